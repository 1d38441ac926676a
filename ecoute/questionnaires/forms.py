"""Reading one section's answers from a POST (no JavaScript needed) into `AnswerInput`s, with
an error per question. Field names: `q<id>` (choice, choices, scale value, text), `q<id>-autre`
(the « Autre » precision), `q<id>-rang-<choice id>` (a ranking's rank of each choice)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from .models import Question, QuestionKind
from .rules import AnswerInput, missing_answer, too_many_choices_message

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
OTHER_TEXT_MAX = 300


@dataclass
class SectionInput:
    answers: dict[int, AnswerInput] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    # What was posted, to show the form again as typed (question id -> field name -> values).
    raw: dict[str, list[str]] = field(default_factory=dict)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _clean_text(value: str, limit: int) -> tuple[str, str | None]:
    text = value.replace("\r\n", "\n").strip()
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        return "", _("Le texte contient des caractères non autorisés.")
    if len(text) > limit:
        return "", _("%(limit)s caractères au plus (vous en avez écrit %(count)s).") % {
            "limit": limit,
            "count": len(text),
        }
    return text, None


def parse_question(
    question: Question, data: QueryDict | Mapping[str, list[str]]
) -> tuple[AnswerInput, str | None]:
    """One question's answer as posted, and the error in it (None: well formed). Whether a
    required question is answered is checked by `missing_answer` (not for a draft)."""
    name = f"q{question.pk}"
    getlist = data.getlist if isinstance(data, QueryDict) else (lambda k: data.get(k, []))
    choices = list(question.choices.all())
    by_id = {choice.pk: choice for choice in choices}
    other_text = ""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parsed = [_int(v) for v in getlist(name) if v != ""]
        ids = list(dict.fromkeys(i for i in parsed if i is not None and i in by_id))
        if len(set(parsed)) != len(ids):
            return AnswerInput(), _("Ce choix n'existe pas.")
        if question.kind == QuestionKind.SINGLE and len(ids) > 1:
            return AnswerInput(), _("Choisissez une seule réponse.")
        if question.max_choices and len(ids) > question.max_choices:
            return AnswerInput(choice_ids=ids), too_many_choices_message(
                question.max_choices, len(ids)
            )
        if any(by_id[i].is_other for i in ids):
            other_text, error = _clean_text((getlist(f"{name}-autre") or [""])[0], OTHER_TEXT_MAX)
            if error:
                return AnswerInput(choice_ids=ids), error
        return AnswerInput(choice_ids=ids, text=other_text), None
    if question.kind == QuestionKind.RANKING:
        ranks: dict[int, int] = {}
        for choice in choices:
            raw = (getlist(f"{name}-rang-{choice.pk}") or [""])[0]
            if raw == "":
                continue
            rank = _int(raw)
            if rank is None or not 1 <= rank <= len(choices):
                return AnswerInput(), _("Un rang va de 1 à %(count)s.") % {"count": len(choices)}
            ranks[choice.pk] = rank
        if len(set(ranks.values())) != len(ranks):
            return AnswerInput(ranks=ranks), _("Donnez un rang différent à chaque choix.")
        return AnswerInput(ranks=ranks), None
    if question.kind == QuestionKind.SCALE:
        raw = (getlist(name) or [""])[0]
        if raw == "":
            return AnswerInput(), None
        number = _int(raw)
        low, high = question.scale_min or 0, question.scale_max or 0
        if number is None or not low <= number <= high:
            return AnswerInput(), _("Choisissez une valeur de %(low)s à %(high)s.") % {
                "low": low,
                "high": high,
            }
        return AnswerInput(number=number), None
    limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    text, error = _clean_text((getlist(name) or [""])[0], limit)
    return AnswerInput(text=text), error


def parse_section(
    questions: Sequence[Question],
    data: QueryDict,
    *,
    complete: bool,
    hidden: frozenset[int] = frozenset(),
) -> SectionInput:
    """Every question of a section; `complete` also checks required answers and rankings
    (not of the `hidden` questions: conditional ones whose condition is not met)."""
    result = SectionInput()
    for question in questions:
        answer, error = parse_question(question, data)
        for key in data:
            if key == f"q{question.pk}" or key.startswith(f"q{question.pk}-"):
                result.raw[key] = data.getlist(key)
        if error is None and complete and question.pk not in hidden:
            error = missing_answer(question, answer)
        if error:
            result.errors[question.pk] = error
        else:
            result.answers[question.pk] = answer
    return result
