"""Reading results from the tallies (a fixed number of queries whatever the responses)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from ecoute.territories.models import Departement

from .models import (
    ANSWERED,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    RespondentTally,
    Section,
    Tally,
    TextTopic,
)


@dataclass
class ChoiceResult:
    choice: Choice
    count: int
    share: float | None  # of those who answered the question, in %
    mean_rank: float | None = None


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered: int
    choices: list[ChoiceResult] = field(default_factory=list)
    distribution: list[tuple[int, int, float | None]] = field(default_factory=list)
    mean: float | None = None
    topics: list[TextTopic] = field(default_factory=list)


@dataclass
class Results:
    respondents: int
    sections: list[tuple[Section, list[QuestionResult]]]
    departements: list[Departement]


def _share(count: int, total: int) -> float | None:
    return 100.0 * count / total if total else None


def ordered_questions(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.select_related("section", "condition_question")
        .prefetch_related("choices", "condition_choices")
        .order_by("section__order", "section__id", "order", "id")
    )


def results(questionnaire: Questionnaire, *, audience: str = "", departement: str = "") -> Results:
    filters: dict[str, str] = {}
    if audience:
        filters["audience"] = audience
    if departement:
        filters["departement"] = "" if departement == "-" else departement
    counts: dict[tuple[int, int | None, int], int] = {
        (row["question_id"], row["choice_id"], row["value"]): row["n"]
        for row in Tally.objects.filter(questionnaire=questionnaire, **filters)
        .values("question_id", "choice_id", "value")
        .annotate(n=Sum("count"))
    }
    respondent_rows = RespondentTally.objects.filter(
        questionnaire=questionnaire, count__gt=0
    ).values_list("audience", "departement", "count")
    respondents = 0
    codes = set()
    for row_audience, row_departement, count in respondent_rows:
        if row_departement:
            codes.add(row_departement)
        if audience and row_audience != audience:
            continue
        if departement and row_departement != ("" if departement == "-" else departement):
            continue
        respondents += count
    topics: dict[int, list[TextTopic]] = defaultdict(list)
    for topic in TextTopic.objects.filter(question__questionnaire=questionnaire):
        topics[topic.question_id].append(topic)
    by_section: dict[int, tuple[Section, list[QuestionResult]]] = {}
    for number, question in enumerate(ordered_questions(questionnaire), start=1):
        answered = counts.get((question.pk, None, ANSWERED), 0)
        result = QuestionResult(question, number, answered, topics=topics[question.pk])
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            for choice in question.choices.all():
                n = counts.get((question.pk, choice.pk, 0), 0)
                result.choices.append(ChoiceResult(choice, n, _share(n, answered)))
        elif question.kind == QuestionKind.RANKING:
            size = len(question.choices.all())
            for choice in question.choices.all():
                ranked = [
                    (r, counts.get((question.pk, choice.pk, r), 0)) for r in range(1, size + 1)
                ]
                n = sum(c for _r, c in ranked)
                mean = sum(r * c for r, c in ranked) / n if n else None
                first = counts.get((question.pk, choice.pk, 1), 0)
                result.choices.append(ChoiceResult(choice, first, _share(first, answered), mean))
            result.choices.sort(key=lambda c: (c.mean_rank is None, c.mean_rank or 0))
        elif question.kind == QuestionKind.SCALE:
            low, high = question.scale_min or 0, question.scale_max or 0
            total = 0
            for value in range(low, high + 1):
                n = counts.get((question.pk, None, value), 0)
                total += value * n
                result.distribution.append((value, n, _share(n, answered)))
            result.mean = total / answered if answered else None
        by_section.setdefault(question.section_id, (question.section, []))[1].append(result)
    departements = list(Departement.objects.filter(code__in=codes).order_by("code"))
    return Results(respondents, list(by_section.values()), departements)


def respondent_count(questionnaire: Questionnaire) -> int:
    return (
        RespondentTally.objects.filter(questionnaire=questionnaire).aggregate(n=Sum("count"))["n"]
        or 0
    )
