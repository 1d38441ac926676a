"""Every change to questionnaires and their responses.

Texts are masked (personal data) before they are stored. Submitting (or resubmitting) a
response updates the tallies by delta in the same transaction: the response keeps, in
`tallied`, the keys it added, so a resubmission subtracts exactly what it counted before.

Once a response is submitted, its answer rows are the sent version, the one the tallies,
the free-text lists and the exports read; edits saved afterwards wait in `Response.pending`
until they are sent again (`submit_response`), so what is public is always the last sent
version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.permissions import is_agent
from ecoute.consultations.actions import record_participation
from ecoute.consultations.models import Consultation
from ecoute.consultations.permissions import can_manage_consultations
from ecoute.moderation.masking import mask_personal_data
from ecoute.territories.models import Departement

from .models import (
    ANSWERED,
    Answer,
    AnswerChoice,
    Question,
    QuestionKind,
    Questionnaire,
    RespondentAudience,
    RespondentTally,
    Response,
    ResponseState,
    Section,
    Tally,
    TextTopic,
)
from .permissions import answer_refusal
from .rules import AnswerInput, format_error, hidden_questions, missing_answer

# A tally key: (question, choice or 0, value, audience, département code or "").
Key = tuple[int, int, int, str, str]


class IncompleteResponse(ValidationError):
    """Submitting a response that misses answers: `errors` maps question id -> message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(_("Certaines réponses sont à compléter."), code="incomplete")
        self.errors = errors


def _questions(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.select_related("section")
        .prefetch_related("choices", "condition_choices")
        .order_by("section__order", "section__id", "order", "id")
    )


def stored_answers(response: Response) -> dict[int, AnswerInput]:
    """The response's answers as `AnswerInput`s (question id -> answer)."""
    answers: dict[int, AnswerInput] = {}
    for answer in response.answers.all():
        answers[answer.question_id] = AnswerInput(text=answer.text, number=answer.number)
    for chosen in response.choices.order_by("id"):
        item = answers.setdefault(chosen.question_id, AnswerInput())
        if chosen.rank is not None:
            item.ranks[chosen.choice_id] = chosen.rank
        else:
            item.choice_ids.append(chosen.choice_id)
    return answers


def _encode_answers(answers: Mapping[int, AnswerInput]) -> dict[str, Any]:
    return {
        str(question_id): {
            "choices": list(dict.fromkeys(answer.choice_ids)),
            "ranks": {str(c): r for c, r in answer.ranks.items()},
            "text": answer.text,
            "number": answer.number,
        }
        for question_id, answer in answers.items()
        if not answer.is_empty
    }


def _decode_answers(payload: Mapping[str, Any]) -> dict[int, AnswerInput]:
    return {
        int(question_id): AnswerInput(
            choice_ids=[int(c) for c in item.get("choices", [])],
            ranks={int(c): int(r) for c, r in item.get("ranks", {}).items()},
            text=item.get("text", ""),
            number=item.get("number"),
        )
        for question_id, item in payload.items()
    }


def _departement_code(response: Response) -> str:
    return response.departement_id or ""


def editable_answers(response: Response) -> tuple[dict[int, AnswerInput], str]:
    """What the participant is editing: the pending changes of a submitted response if any,
    else its stored answers; and the département code ("" if none)."""
    if response.pending is not None:
        return _decode_answers(response.pending["answers"]), response.pending["departement"]
    return stored_answers(response), _departement_code(response)


def _same_answer(first: AnswerInput | None, second: AnswerInput | None) -> bool:
    def normal(answer: AnswerInput | None) -> tuple[Any, ...]:
        answer = answer or AnswerInput()
        return (sorted(set(answer.choice_ids)), answer.ranks, answer.text, answer.number)

    return normal(first) == normal(second)


def _changed(
    before: Mapping[int, AnswerInput], after: Mapping[int, AnswerInput]
) -> dict[int, AnswerInput]:
    """The answers of `after` that differ from `before` (an empty answer: removed)."""
    return {
        question_id: after.get(question_id, AnswerInput())
        for question_id in sorted(set(before) | set(after))
        if not _same_answer(before.get(question_id), after.get(question_id))
    }


def _check_actor(actor: User | AnonymousUser, questionnaire: Questionnaire) -> User:
    refusal = answer_refusal(actor, questionnaire)
    if refusal:
        raise PermissionDenied(refusal)
    assert isinstance(actor, User)  # noqa: S101 - participation_refusal checked the account
    return actor


def _write_answers(
    response: Response, questions: Mapping[int, Question], answers: Mapping[int, AnswerInput]
) -> None:
    """Replace the answers of these questions (empty answers remove the question's rows)."""
    Answer.objects.filter(response=response, question_id__in=answers).delete()
    AnswerChoice.objects.filter(response=response, question_id__in=answers).delete()
    rows: list[Answer] = []
    chosen: list[AnswerChoice] = []
    for question_id, answer in answers.items():
        if answer.is_empty:
            continue
        rows.append(
            Answer(
                response=response, question_id=question_id, text=answer.text, number=answer.number
            )
        )
        chosen.extend(
            AnswerChoice(response=response, question_id=question_id, choice_id=choice_id)
            for choice_id in dict.fromkeys(answer.choice_ids)
        )
        chosen.extend(
            AnswerChoice(response=response, question_id=question_id, choice_id=c, rank=r)
            for c, r in answer.ranks.items()
        )
    Answer.objects.bulk_create(rows)
    AnswerChoice.objects.bulk_create(chosen)


@transaction.atomic
def save_answers(
    *,
    actor: User | AnonymousUser,
    questionnaire: Questionnaire,
    answers: Mapping[int, AnswerInput],
    departement: Departement | None = None,
    set_departement: bool = False,
) -> Response:
    """Save answers to the account's response: a draft's rows until it is submitted; once
    submitted, into its pending changes (never public), which `submit_response` sends. Free
    texts are masked before they are stored."""
    account = _check_actor(actor, questionnaire)
    questions = {q.pk: q for q in _questions(questionnaire)}
    cleaned: dict[int, AnswerInput] = {}
    for question_id, answer in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ValidationError(_("Cette question n'est pas dans ce questionnaire."))
        error = format_error(question, answer)
        if error:
            raise ValidationError(error, code="format")
        text = mask_personal_data(answer.text).text if answer.text else ""
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and not any(
            c.is_other and c.pk in answer.choice_ids for c in question.choices.all()
        ):
            text = ""  # a precision only goes with « Autre »
        cleaned[question_id] = AnswerInput(
            choice_ids=list(answer.choice_ids),
            ranks=dict(answer.ranks),
            text=text,
            number=answer.number,
        )
    response, _created = Response.objects.select_for_update().get_or_create(
        questionnaire=questionnaire, account=account
    )
    fields = ["updated_at"]
    if response.is_submitted:
        sent = stored_answers(response)
        edited, code = editable_answers(response)
        edited.update(cleaned)
        if set_departement:
            code = departement.code if departement else ""
        if _changed(sent, edited) or code != _departement_code(response):
            response.pending = {"answers": _encode_answers(edited), "departement": code}
        else:  # back to the sent version: nothing left to send
            response.pending = None
        fields.append("pending")
    else:
        _write_answers(response, questions, cleaned)
        if set_departement:
            response.departement = departement
            fields.append("departement")
    response.save(update_fields=fields)
    return response


def response_keys(
    response: Response, questions: Iterable[Question], answers: Mapping[int, AnswerInput]
) -> list[Key]:
    audience, departement = (
        response.audience,
        (response.departement.code if response.departement else ""),
    )
    keys: list[Key] = []
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None or answer.is_empty:
            continue
        keys.append((question.pk, 0, ANSWERED, audience, departement))
        keys.extend((question.pk, c, 0, audience, departement) for c in answer.choice_ids)
        keys.extend((question.pk, c, r, audience, departement) for c, r in answer.ranks.items())
        if answer.number is not None:
            keys.append((question.pk, 0, answer.number, audience, departement))
    return keys


def _tally_row(questionnaire: Questionnaire, key: Key, count: int = 0) -> Tally:
    question_id, choice_id, value, audience, departement = key
    return Tally(
        questionnaire=questionnaire,
        question_id=question_id,
        choice_id=choice_id or None,
        value=value,
        audience=audience,
        departement=departement,
        count=count,
    )


def _apply_delta(questionnaire: Questionnaire, before: Iterable[Key], after: Iterable[Key]) -> None:
    delta = Counter(after)
    delta.subtract(Counter(before))
    changes = {key: change for key, change in delta.items() if change}
    Tally.objects.bulk_create(
        [_tally_row(questionnaire, key) for key, change in changes.items() if change > 0],
        ignore_conflicts=True,
    )
    for (q, c, v, a, d), change in sorted(changes.items()):
        Tally.objects.filter(
            question_id=q,
            choice__isnull=not c,
            value=v,
            audience=a,
            departement=d,
            **({"choice_id": c} if c else {}),
        ).update(count=F("count") + change)


def _count_respondent(
    questionnaire: Questionnaire, audience: str, departement: str, n: int
) -> None:
    RespondentTally.objects.bulk_create(
        [RespondentTally(questionnaire=questionnaire, audience=audience, departement=departement)],
        ignore_conflicts=True,
    )
    RespondentTally.objects.filter(
        questionnaire=questionnaire, audience=audience, departement=departement
    ).update(count=F("count") + n)


def _decode_tallied(tallied: Any) -> tuple[list[Key], tuple[str, str] | None]:
    if not tallied:
        return [], None
    keys = [tuple(key) for key in tallied.get("keys", [])]
    return keys, (tallied["audience"], tallied["departement"])  # type: ignore[return-value]


@transaction.atomic
def submit_response(*, actor: User | AnonymousUser, questionnaire: Questionnaire) -> Response:
    """Send the account's answers: every visible required question answered, rankings
    complete; answers to conditional questions left hidden are dropped. The tallies move by
    the difference with what this response counted before (nothing on a first submission)."""
    account = _check_actor(actor, questionnaire)
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("departement")
        .filter(questionnaire=questionnaire, account=account)
        .first()
    )
    if response is None:
        raise ValidationError(_("Aucune réponse à envoyer."), code="empty")
    questions = _questions(questionnaire)
    sent = stored_answers(response)
    answers, code = editable_answers(response)
    hidden = hidden_questions(questions, answers)
    errors: dict[int, str] = {}
    for question in questions:
        if question.pk in hidden:
            continue
        answer = answers.get(question.pk, AnswerInput())
        error = format_error(question, answer) or missing_answer(question, answer)
        if error:
            errors[question.pk] = error
    if errors:
        raise IncompleteResponse(errors)
    answers = {q: a for q, a in answers.items() if q not in hidden}
    # The rows become the version sent now (only the questions that changed are rewritten:
    # the others keep their topic).
    _write_answers(response, {q.pk: q for q in questions}, _changed(sent, answers))
    if code != _departement_code(response):
        response.departement = Departement.objects.filter(code=code).first() if code else None
    response.pending = None
    response.audience = RespondentAudience.AGENT if is_agent(account) else RespondentAudience.USAGER
    keys = response_keys(response, questions, answers)
    before, counted = _decode_tallied(response.tallied)
    _apply_delta(questionnaire, before, keys)
    now_counted = (response.audience, response.departement.code if response.departement else "")
    if counted != now_counted:
        if counted is not None:
            _count_respondent(questionnaire, *counted, -1)
        _count_respondent(questionnaire, *now_counted, 1)
    response.tallied = {
        "audience": now_counted[0],
        "departement": now_counted[1],
        "keys": [list(key) for key in keys],
    }
    response.state = ResponseState.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(
        update_fields=[
            "audience",
            "departement",
            "tallied",
            "state",
            "submitted_at",
            "pending",
            "updated_at",
        ]
    )
    assert questionnaire.consultation is not None  # noqa: S101 - _check_actor checked it
    record_participation(user=account, consultation=questionnaire.consultation)
    return response


# --- Imports and rebuilds ----------------------------------------------------------------


@dataclass
class ImportedResponse:
    respondent_key: str  # an opaque hash, never the source's id
    answers: dict[int, AnswerInput]
    audience: str = RespondentAudience.UNKNOWN
    departement: Departement | None = None


@transaction.atomic
def import_responses(*, questionnaire: Questionnaire, responses: Iterable[ImportedResponse]) -> int:
    """Store submitted responses without accounts (texts already masked by the caller), then
    rebuild the questionnaire's tallies. Idempotent: a respondent already stored is replaced."""
    questions = {q.pk: q for q in _questions(questionnaire)}
    count = 0
    now = timezone.now()
    for item in responses:
        for question_id, answer in item.answers.items():
            error = format_error(questions[question_id], answer)
            if error:
                raise ValidationError(error)
        Response.objects.filter(
            questionnaire=questionnaire, respondent_key=item.respondent_key
        ).delete()
        response = Response.objects.create(
            questionnaire=questionnaire,
            respondent_key=item.respondent_key,
            state=ResponseState.SUBMITTED,
            submitted_at=now,
            audience=item.audience,
            departement=item.departement,
        )
        _write_answers(response, questions, item.answers)
        count += 1
    rebuild_tallies(questionnaire=questionnaire)
    return count


@transaction.atomic
def rebuild_tallies(*, questionnaire: Questionnaire, batch_size: int = 2000) -> None:
    """Recount every tally of a questionnaire from its submitted responses (imports, repair)."""
    Tally.objects.filter(questionnaire=questionnaire).delete()
    RespondentTally.objects.filter(questionnaire=questionnaire).delete()
    questions = _questions(questionnaire)
    totals: Counter[Key] = Counter()
    respondents: Counter[tuple[str, str]] = Counter()
    submitted = (
        Response.objects.filter(questionnaire=questionnaire, state=ResponseState.SUBMITTED)
        .select_related("departement")
        .prefetch_related("answers", "choices")
        .order_by("id")
    )
    batch: list[Response] = []
    for response in submitted.iterator(chunk_size=batch_size):
        keys = response_keys(response, questions, stored_answers(response))
        totals.update(keys)
        counted = (response.audience, response.departement.code if response.departement else "")
        respondents[counted] += 1
        response.tallied = {
            "audience": counted[0],
            "departement": counted[1],
            "keys": [list(key) for key in keys],
        }
        batch.append(response)
        if len(batch) >= batch_size:
            Response.objects.bulk_update(batch, ["tallied"])
            batch = []
    Response.objects.bulk_update(batch, ["tallied"])
    store_tallies(questionnaire=questionnaire, totals=totals, respondents=respondents)


def tallies_match_responses(questionnaire: Questionnaire) -> bool:
    """Whether the stored tallies equal a fresh count (tests and `check` runs)."""
    stored = Counter(
        {
            (t.question_id, t.choice_id or 0, t.value, t.audience, t.departement): t.count
            for t in Tally.objects.filter(questionnaire=questionnaire, count__gt=0)
        }
    )
    questions = _questions(questionnaire)
    fresh: Counter[Key] = Counter()
    for response in Response.objects.filter(
        questionnaire=questionnaire, state=ResponseState.SUBMITTED
    ).select_related("departement"):
        # The rows are the sent version (pending changes are elsewhere): count them.
        fresh.update(response_keys(response, questions, stored_answers(response)))
    respondents = Response.objects.filter(
        questionnaire=questionnaire, state=ResponseState.SUBMITTED
    ).aggregate(n=Count("id", filter=Q(state=ResponseState.SUBMITTED)))["n"]
    counted = sum(t.count for t in RespondentTally.objects.filter(questionnaire=questionnaire))
    return stored == fresh and respondents == counted


# --- Templates -------------------------------------------------------------------------------


@transaction.atomic
def copy_template(
    *, actor: User | AnonymousUser, template: Questionnaire, consultation: Consultation
) -> Questionnaire:
    """A new questionnaire of `consultation` with the template's sections, questions, choices
    and conditions."""
    if not can_manage_consultations(actor):
        raise PermissionDenied(_("Réservé aux organisateurs."))
    if not template.is_template:
        raise ValidationError(_("Ce questionnaire n'est pas un modèle."))
    copy = Questionnaire.objects.create(
        consultation=consultation,
        title=template.title,
        introduction=template.introduction,
        order=Questionnaire.objects.filter(consultation=consultation).count(),
    )
    sections: dict[int, Section] = {}
    questions: dict[int, Question] = {}
    choices: dict[int, Any] = {}
    for section in template.sections.all():
        sections[section.pk] = Section.objects.create(
            questionnaire=copy,
            title=section.title,
            description=section.description,
            order=section.order,
        )
    for question in _questions(template):
        old_pk = question.pk
        old_choices = list(question.choices.all())
        condition_choices = [c.pk for c in question.condition_choices.all()]
        condition_question = question.condition_question_id
        question.pk = None
        question.questionnaire = copy
        question.section = sections[question.section_id]
        question.condition_question = None
        question.save()
        questions[old_pk] = question
        for choice in old_choices:
            old_choice = choice.pk
            choice.pk = None
            choice.question = question
            choice.save()
            choices[old_choice] = choice
        if condition_question:
            question.condition_question = questions.get(condition_question)
            question.save(update_fields=["condition_question"])
            question.condition_choices.set([choices[c] for c in condition_choices if c in choices])
    return copy


# --- Topics of free texts --------------------------------------------------------------------

MIN_TEXTS_FOR_TOPICS = 10


@transaction.atomic
def compute_question_topics(*, question: Question, n_topics: int | str = "auto") -> int:
    """Group the free texts of a question by topic (ecoute.analysis), store the topics and
    each answer's topic. Fewer than MIN_TEXTS_FOR_TOPICS texts: no topics. Returns the number
    of topics."""
    from ecoute.analysis.topics import TopicInputError, analyse_texts

    rows = list(
        Answer.objects.filter(question=question, response__state=ResponseState.SUBMITTED)
        .exclude(text="")
        .order_by("id")
        .values_list("id", "text")
    )
    question.topics.all().delete()  # answers' topic set to NULL
    if len(rows) < MIN_TEXTS_FOR_TOPICS:
        return 0
    try:
        result = analyse_texts([text for _id, text in rows], [pk for pk, _t in rows], n_topics)
    except TopicInputError:
        return 0
    topics = {
        topic["id"]: TextTopic.objects.create(
            question=question,
            number=topic["id"] + 1,
            label=topic["label"][:200],
            size=topic["size"],
            share=topic["share"],
        )
        for topic in result.topics
    }
    by_topic: dict[int, list[int]] = {}
    for item in result.assignments():
        if item["topic"] is not None:
            by_topic.setdefault(item["topic"], []).append(item["id"])
    for topic_id, answer_ids in by_topic.items():
        Answer.objects.filter(pk__in=answer_ids).update(topic=topics[topic_id])
    return len(topics)


def store_tallies(
    *,
    questionnaire: Questionnaire,
    totals: Counter[Key],
    respondents: Counter[tuple[str, str]],
    batch_size: int = 2000,
) -> None:
    """Write counted tallies of a questionnaire whose tallies are empty (rebuild, bench)."""
    Tally.objects.bulk_create(
        [_tally_row(questionnaire, key, n) for key, n in totals.items()], batch_size=batch_size
    )
    RespondentTally.objects.bulk_create(
        [
            RespondentTally(questionnaire=questionnaire, audience=a, departement=d, count=n)
            for (a, d), n in respondents.items()
        ]
    )
