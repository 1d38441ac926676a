"""What a well-formed and complete answer is, defined once for the form and the actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Question, QuestionKind


@dataclass
class AnswerInput:
    """One question's answer: chosen choices, ranks (choice id -> rank), text (the free text or
    the « Autre » precision), number (a scale's value)."""

    choice_ids: list[int] = field(default_factory=list)
    ranks: dict[int, int] = field(default_factory=dict)
    text: str = ""
    number: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.choice_ids or self.ranks or self.text or self.number is not None)

    def chosen(self) -> set[int]:
        return set(self.choice_ids) | set(self.ranks)


def too_many_choices_message(maximum: int, count: int) -> str:
    return ngettext(
        "%(maximum)s réponse au maximum : vous en avez coché %(count)s.",
        "%(maximum)s réponses au maximum : vous en avez coché %(count)s.",
        maximum,
    ) % {"maximum": maximum, "count": count}


def format_error(question: Question, answer: AnswerInput) -> str | None:
    """An answer the question cannot hold (whatever the form said)."""
    valid = {choice.pk for choice in question.choices.all()}
    if not answer.chosen() <= valid:
        return _("Ce choix n'existe pas.")
    if question.kind == QuestionKind.SINGLE and len(answer.choice_ids) > 1:
        return _("Choisissez une seule réponse.")
    if question.max_choices and len(answer.choice_ids) > question.max_choices:
        return too_many_choices_message(question.max_choices, len(answer.choice_ids))
    if answer.ranks:
        ranks = list(answer.ranks.values())
        if len(set(ranks)) != len(ranks) or not all(1 <= r <= len(valid) for r in ranks):
            return _("Donnez un rang différent à chaque choix.")
    if answer.number is not None and not (
        (question.scale_min or 0) <= answer.number <= (question.scale_max or 0)
    ):
        return _("Cette valeur n'est pas sur l'échelle.")
    return None


def missing_answer(question: Question, answer: AnswerInput) -> str | None:
    """The error of a required question left unanswered, or of an incomplete ranking."""
    if question.kind == QuestionKind.RANKING and answer.ranks:
        missing = len(question.choices.all()) - len(answer.ranks)
        if missing:
            return ngettext(
                "Classez tous les choix : %(count)s reste sans rang.",
                "Classez tous les choix : %(count)s restent sans rang.",
                missing,
            ) % {"count": missing}
    if question.required and answer.is_empty:
        return _("Répondez à cette question.")
    return None


def hidden_questions(
    questions: Iterable[Question], answers: Mapping[int, AnswerInput]
) -> frozenset[int]:
    """Conditional questions whose condition the answers do not meet (in question order, so a
    question behind a hidden one is hidden too)."""
    hidden: set[int] = set()
    for question in questions:
        if question.condition_question_id is None:
            continue
        wanted = {choice.pk for choice in question.condition_choices.all()}
        earlier = answers.get(question.condition_question_id)
        if (
            question.condition_question_id in hidden
            or earlier is None
            or not (earlier.chosen() & wanted)
        ):
            hidden.add(question.pk)
    return frozenset(hidden)
