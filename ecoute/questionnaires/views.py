"""Pages of a questionnaire: answering it section by section (no JavaScript needed), the
confirmation, the results (from the tallies), the free-text answers, the downloads."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ecoute.common.charts import Cell, Chart, DataTable, bar_chart, csv_download, format_number
from ecoute.common.pagination import keyset_paginate
from ecoute.consultations.models import Consultation, Status
from ecoute.territories.models import Departement

from . import actions, exports
from .forms import parse_question, parse_section
from .models import Answer, Question, QuestionKind, Questionnaire, RespondentAudience, Response
from .permissions import answer_refusal, can_see_results, get_questionnaire_for_user
from .queries import QuestionResult, ordered_questions, results
from .rules import AnswerInput, hidden_questions

TEXTS_PER_PAGE = 20


def consultation_url(consultation: Consultation) -> str:
    try:
        return consultation.get_absolute_url()
    except NoReverseMatch:  # the consultation pages are another app's, maybe not there yet
        return ""


def _questionnaire(request: HttpRequest, slug: str, pk: int) -> Questionnaire:
    questionnaire = get_questionnaire_for_user(request.user, slug, pk)
    if questionnaire is None:
        raise Http404(_("Ce questionnaire n'existe pas."))
    return questionnaire


def _breadcrumb(questionnaire: Questionnaire, *crumbs: tuple[str, str | None]) -> list:
    consultation = questionnaire.consultation
    assert consultation is not None  # noqa: S101 - never a template
    return [
        (_("Consultations"), reverse("consultations:list")),
        (consultation.title, consultation_url(consultation) or None),
        *crumbs,
    ]


@dataclass
class QuestionView:
    question: Question
    number: int
    answer: AnswerInput
    error: str = ""
    raw_text: str = ""
    condition: str = ""  # "Si vous avez répondu « Oui » à la question 3"

    @property
    def field(self) -> str:
        return f"q{self.question.pk}"

    @property
    def condition_choice_ids(self) -> str:
        return ",".join(str(c.pk) for c in self.question.condition_choices.all())

    @property
    def ranked_choices(self) -> list[tuple[object, int | None]]:
        return [(c, self.answer.ranks.get(c.pk)) for c in self.question.choices.all()]

    @property
    def rank_values(self) -> range:
        return range(1, len(self.question.choices.all()) + 1)

    @property
    def scale_values(self) -> range:
        return range(self.question.scale_min or 0, (self.question.scale_max or 0) + 1)

    @property
    def input_type(self) -> str:
        return "checkbox" if self.question.kind == QuestionKind.MULTIPLE else "radio"


def _sections(questions: list[Question]) -> list[list[Question]]:
    grouped: dict[int, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.section_id, []).append(question)
    return list(grouped.values())


def _condition_text(question: Question, numbers: dict[int, int]) -> str:
    if question.condition_question_id is None:
        return ""
    labels = " » ou « ".join(c.label for c in question.condition_choices.all())
    return _("Si vous avez répondu « %(choices)s » à la question %(number)s") % {
        "choices": labels,
        "number": numbers.get(question.condition_question_id, "?"),
    }


def _section_index(request: HttpRequest, count: int) -> int:
    raw = request.POST.get("section") or request.GET.get("section") or "1"
    try:
        index = int(raw)
    except ValueError:
        index = 1
    return min(max(index, 1), max(count, 1))


def _render_answer_page(
    request: HttpRequest,
    questionnaire: Questionnaire,
    *,
    questions: list[Question],
    index: int,
    response: Response | None,
    answers: dict[int, AnswerInput],
    departement_code: str = "",
    errors: dict[int, str] | None = None,
    posted: QueryDict | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = _sections(questions)
    numbers = {q.pk: n for n, q in enumerate(questions, start=1)}
    errors = errors or {}
    current = sections[index - 1] if sections else []
    views = []
    for question in current:
        raw_text = ""
        if posted is not None:
            answer, _error = parse_question(question, posted)
            raw_text = posted.get(f"q{question.pk}", "") if question.is_text else ""
            raw_text = raw_text or posted.get(f"q{question.pk}-autre", "")
        else:
            answer = answers.get(question.pk, AnswerInput())
        views.append(
            QuestionView(
                question,
                numbers[question.pk],
                answer,
                errors.get(question.pk, ""),
                raw_text or answer.text,
                _condition_text(question, numbers),
            )
        )
    is_last = index == len(sections)
    if posted is not None:
        departement_code = posted.get("departement", "") or departement_code
    consultation = questionnaire.consultation
    assert consultation is not None  # noqa: S101
    return render(
        request,
        "questionnaires/answer.html",
        {
            "questionnaire": questionnaire,
            "consultation": consultation,
            "section": current[0].section if current else None,
            "index": index,
            "count": len(sections),
            "is_last": is_last,
            "questions": views,
            "errors": [(v, v.error) for v in views if v.error],
            "page_has_errors": any(v.error for v in views),
            "response": response,
            "refusal": refusal,
            "departements": Departement.objects.order_by("code") if is_last else [],
            "departement_code": departement_code,
            "title": _("%(title)s, section %(index)s sur %(count)s")
            % {"title": questionnaire.title, "index": index, "count": len(sections)}
            if len(sections) > 1
            else questionnaire.title,
            "breadcrumb": _breadcrumb(questionnaire, (questionnaire.title, None)),
            "consultation_url": consultation_url(consultation),
            "results_visible": can_see_results(request.user, consultation),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, slug, pk)
    questions = ordered_questions(questionnaire)
    sections = _sections(questions)
    index = _section_index(request, len(sections))
    refusal = answer_refusal(request.user, questionnaire)
    response = None
    if request.user.is_authenticated:
        response = (
            Response.objects.filter(questionnaire=questionnaire, account=request.user)
            .select_related("departement")
            .prefetch_related("answers", "choices")
            .first()
        )
    stored, stored_code = actions.editable_answers(response) if response else ({}, "")
    if request.method != "POST":
        return _render_answer_page(
            request,
            questionnaire,
            questions=questions,
            index=index,
            response=response,
            answers=stored,
            departement_code=stored_code,
            refusal=refusal,
        )
    if refusal:
        raise PermissionDenied(refusal)
    action = request.POST.get("action", "brouillon")
    current = sections[index - 1] if sections else []
    parsed = parse_section(current, request.POST, complete=False)
    hidden = hidden_questions(questions, {**stored, **parsed.answers})
    if action in ("suivant", "envoyer"):
        parsed = parse_section(current, request.POST, complete=True, hidden=hidden)
    departement = None
    code = request.POST.get("departement", "")
    is_last = index == len(sections)
    if is_last and code:
        departement = Departement.objects.filter(code=code).first()
        if departement is None:
            parsed.errors[0] = _("Ce département n'existe pas.")
    if parsed.errors:
        return _render_answer_page(
            request,
            questionnaire,
            questions=questions,
            index=index,
            response=response,
            answers=stored,
            departement_code=stored_code,
            errors=parsed.errors,
            posted=request.POST,
            status=400,
        )
    try:
        saved = actions.save_answers(
            actor=request.user,
            questionnaire=questionnaire,
            answers=parsed.answers,
            departement=departement,
            set_departement=is_last,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{request.path}?section={index}")
    if action == "suivant":
        return redirect(f"{request.path}?section={min(index + 1, len(sections))}")
    if action == "precedent":
        return redirect(f"{request.path}?section={max(index - 1, 1)}")
    if action == "envoyer":
        try:
            actions.submit_response(actor=request.user, questionnaire=questionnaire)
        except actions.IncompleteResponse as incomplete:
            first = next(
                n
                for n, section in enumerate(sections, start=1)
                if any(q.pk in incomplete.errors for q in section)
            )
            response = Response.objects.filter(
                questionnaire=questionnaire, account_id=request.user.pk
            ).first()
            editable = actions.editable_answers(response) if response else ({}, "")
            messages.error(
                request,
                _(
                    "Vos réponses ne sont pas encore envoyées : "
                    "la section %(number)s est à compléter."
                )
                % {"number": first},
            )
            return _render_answer_page(
                request,
                questionnaire,
                questions=questions,
                index=first,
                response=response,
                answers=editable[0],
                departement_code=editable[1],
                errors=incomplete.errors,
                status=400,
            )
        return redirect("questionnaires:confirmation", slug=slug, pk=pk)
    if saved.has_unsent_changes:
        messages.success(
            request,
            _(
                "Modifications enregistrées, pas encore envoyées : les résultats gardent vos "
                "réponses envoyées tant que vous n'envoyez pas les modifications."
            ),
        )
    else:
        messages.success(
            request,
            _("Brouillon enregistré. Vous pouvez revenir le compléter jusqu'à la clôture."),
        )
    return redirect(f"{request.path}?section={index}")


@require_safe
def confirmation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, slug, pk)
    if not request.user.is_authenticated:
        return redirect("questionnaires:answer", slug=slug, pk=pk)
    response = get_object_or_404(
        Response, questionnaire=questionnaire, account=request.user, submitted_at__isnull=False
    )
    consultation = questionnaire.consultation
    assert consultation is not None  # noqa: S101
    return render(
        request,
        "questionnaires/confirmation.html",
        {
            "questionnaire": questionnaire,
            "consultation": consultation,
            "response": response,
            "can_edit": answer_refusal(request.user, questionnaire) is None,
            "results_visible": can_see_results(request.user, consultation),
            "title": _("Réponses envoyées"),
            "breadcrumb": _breadcrumb(
                questionnaire,
                (questionnaire.title, reverse("questionnaires:answer", args=[slug, pk])),
                (_("Réponses envoyées"), None),
            ),
        },
    )


def _results_questionnaire(request: HttpRequest, slug: str, pk: int) -> Questionnaire:
    questionnaire = _questionnaire(request, slug, pk)
    assert questionnaire.consultation is not None  # noqa: S101
    if not can_see_results(request.user, questionnaire.consultation):
        raise PermissionDenied(_("Les résultats seront publiés à la fin de la participation."))
    return questionnaire


def _filters(request: HttpRequest) -> tuple[str, str]:
    audience = request.GET.get("public", "")
    if audience not in RespondentAudience.values:
        audience = ""
    departement = request.GET.get("departement", "")
    if not (departement == "-" or (departement.isalnum() and len(departement) <= 3)):
        departement = ""
    return audience, departement


def _with_table(
    chart: Chart,
    caption: str,
    columns: tuple[str, ...],
    rows: tuple[tuple[Cell, ...], ...],
    csv_columns: tuple[str, ...],
) -> Chart:
    """The chart with its own table: labelled cells instead of the bar chart's default."""
    return dataclasses.replace(
        chart, table=DataTable(caption=caption, columns=columns, rows=rows, csv_columns=csv_columns)
    )


def _chart(result: QuestionResult) -> Chart | None:
    question = result.question
    chart_id = f"question-{result.number}"
    base = _("Base : %(count)s personnes ont répondu à cette question.") % {
        "count": format_number(result.answered)
    }
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        chart = bar_chart(
            chart_id=chart_id,
            title=question.text,
            bars=[(c.choice.label, c.share) for c in result.choices],
            value_label=_("Part des répondants"),
            category_label=_("Réponse"),
            decimals=1,
            unit="%",
            notes=[base]
            + (
                [_("Plusieurs réponses possibles.")]
                if question.kind == QuestionKind.MULTIPLE
                else []
            ),
        )
        rows = tuple(
            (
                Cell(c.choice.label, c.choice.label),
                Cell(format_number(c.count), c.count),
                Cell(format_number(c.share, 1, "%"), c.share),
            )
            for c in result.choices
        )
        return _with_table(
            chart,
            question.text,
            (_("Réponse"), _("Nombre"), _("Part des répondants")),
            rows,
            ("reponse", "nombre", "part_pourcent"),
        )
    if question.kind == QuestionKind.RANKING:
        chart = bar_chart(
            chart_id=chart_id,
            title=question.text,
            bars=[(c.choice.label, c.mean_rank) for c in result.choices],
            value_label=_("Rang moyen"),
            category_label=_("Choix"),
            decimals=2,
            description=_("Rang moyen donné à chaque choix (1 = placé en premier)."),
            notes=[base],
        )
        rows = tuple(
            (
                Cell(c.choice.label, c.choice.label),
                Cell(format_number(c.mean_rank, 2), c.mean_rank),
                Cell(format_number(c.count), c.count),
            )
            for c in result.choices
        )
        return _with_table(
            chart,
            question.text,
            (_("Choix"), _("Rang moyen"), _("Placé en premier")),
            rows,
            ("choix", "rang_moyen", "premier"),
        )
    if question.kind == QuestionKind.SCALE:

        def label(value: int) -> str:
            if value == question.scale_min and question.scale_min_label:
                return f"{value} — {question.scale_min_label}"
            if value == question.scale_max and question.scale_max_label:
                return f"{value} — {question.scale_max_label}"
            return str(value)

        chart = bar_chart(
            chart_id=chart_id,
            title=question.text,
            bars=[(label(v), share) for v, _n, share in result.distribution],
            value_label=_("Part des répondants"),
            category_label=_("Note"),
            decimals=1,
            unit="%",
            description=_("Moyenne : %(mean)s") % {"mean": format_number(result.mean, 1)},
            notes=[base],
        )
        rows = tuple(
            (
                Cell(label(v), v),
                Cell(format_number(n), n),
                Cell(format_number(share, 1, "%"), share),
            )
            for v, n, share in result.distribution
        )
        return _with_table(
            chart,
            question.text,
            (_("Note"), _("Nombre"), _("Part des répondants")),
            rows,
            ("note", "nombre", "part_pourcent"),
        )
    return None


@require_safe
def results_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    questionnaire = _results_questionnaire(request, slug, pk)
    consultation = questionnaire.consultation
    assert consultation is not None  # noqa: S101
    audience, departement = _filters(request)
    found = results(questionnaire, audience=audience, departement=departement)
    sections = []
    charts = []
    for section, question_results in found.sections:
        items = []
        for result in question_results:
            chart = _chart(result)
            if chart is not None:
                charts.append(chart)
            items.append((result, chart))
        sections.append((section, items))
    download = csv_download(request, charts)
    if download is not None:
        return download
    return render(
        request,
        "questionnaires/results.html",
        {
            "questionnaire": questionnaire,
            "consultation": consultation,
            "results": found,
            "sections": sections,
            "provisional": consultation.status() != Status.RESULTS,
            "audience": audience,
            "departement": departement,
            "audiences": RespondentAudience.choices,
            "title": _("Résultats : %(title)s") % {"title": questionnaire.title},
            "breadcrumb": _breadcrumb(
                questionnaire,
                (questionnaire.title, reverse("questionnaires:answer", args=[slug, pk])),
                (_("Résultats"), None),
            ),
        },
    )


@require_safe
def texts(request: HttpRequest, slug: str, pk: int, question_pk: int) -> HttpResponse:
    questionnaire = _results_questionnaire(request, slug, pk)
    question = get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)
    topics = list(question.topics.all())
    topic = None
    wanted = request.GET.get("theme", "")
    if wanted.isdigit():
        topic = next((t for t in topics if t.number == int(wanted)), None)
    answers = Answer.objects.filter(
        question=question, response__submitted_at__isnull=False
    ).exclude(text="")
    if topic is not None:
        answers = answers.filter(topic=topic)
    page = keyset_paginate(
        answers.select_related("topic"),
        ordering=["id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=TEXTS_PER_PAGE,
    )
    return render(
        request,
        "questionnaires/texts.html",
        {
            "questionnaire": questionnaire,
            "question": question,
            "topics": topics,
            "topic": topic,
            "page": page,
            "title": _("Réponses libres"),
            "breadcrumb": _breadcrumb(
                questionnaire,
                (_("Résultats"), reverse("questionnaires:results", args=[slug, pk])),
                (_("Réponses libres"), None),
            ),
        },
    )


@require_safe
def download(
    request: HttpRequest, slug: str, pk: int, name: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """resultats.csv / .json, reponses.csv / .json and their Table Schemas."""
    questionnaire = _results_questionnaire(request, slug, pk)
    if fmt == "schema.json":
        return exports.schema_response(name)
    audience, departement = _filters(request)
    if name == "resultats":
        found = results(questionnaire, audience=audience, departement=departement)
        schema_url = request.build_absolute_uri(
            reverse(
                "questionnaires:download",
                kwargs={"slug": slug, "pk": pk, "name": "resultats", "fmt": "schema.json"},
            )
        )
        return exports.results_response(questionnaire, found, fmt, schema_url=schema_url)
    schema_url = request.build_absolute_uri(
        reverse(
            "questionnaires:download",
            kwargs={"slug": slug, "pk": pk, "name": "reponses", "fmt": "schema.json"},
        )
    )
    return exports.responses_response(questionnaire, fmt, schema_url=schema_url)
