"""An agent's public answers: write (preview, then publish), edit (preview, then publish a new
version), and the public history of an answer's versions.

Both forms work in two POSTs without JavaScript: "Prévisualiser" shows the text as it will be
published (personal data masked, the masks highlighted) with the typed text carried in a
hidden field; "Publier" publishes it; "Modifier le texte" goes back to the form.
"""

import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.catalogue.models import Organisation
from ecoute.common.pagination import keyset_paginate
from ecoute.moderation.masking import MASK_LABELS

from . import actions
from .forms import AnswerEditForm, AnswerForm, new_form_key
from .models import Answer, Experience
from .permissions import answering_organisation, can_edit_answer, can_view_answer_history
from .queries import answer_revisions

STEP_PREVIEW, STEP_PUBLISH, STEP_BACK = "apercu", "publier", "modifier"
_MASK_RE = re.compile("(" + "|".join(re.escape(label) for label in MASK_LABELS) + ")")


def highlight_masks(text: str) -> SafeString:
    """The masked text, escaped, with each mask wrapped in <mark> (shown in the preview)."""
    pieces = _MASK_RE.split(text)  # odd positions are the masks
    return format_html_join(
        "",
        "{}",
        (
            (format_html('<mark class="ecoute-masked">{}</mark>', piece) if odd else escape(piece),)
            for odd, piece in ((index % 2 == 1, piece) for index, piece in enumerate(pieces))
        ),
    )


def _step(request: HttpRequest) -> str:
    step = request.POST.get("etape", STEP_PREVIEW)
    return step if step in (STEP_PREVIEW, STEP_PUBLISH, STEP_BACK) else STEP_PREVIEW


def _answer_url(experience: Experience, answer: Answer) -> str:
    return f"{experience.get_absolute_url()}#answer-{answer.pk}"


def _breadcrumb(experience: Experience, title: str) -> list[tuple[str, str | None]]:
    return [
        (_("Expériences"), "/experiences/"),
        (experience.title, experience.get_absolute_url()),
        (title, None),
    ]


@dataclass(frozen=True)
class Target:
    """What a form answers: the experience, the signing organisation, the answer edited."""

    experience: Experience
    organisation: Organisation
    answer: Answer | None = None


def _render_form(
    request: HttpRequest, target: Target, form: AnswerEditForm, *, status: int = 200
) -> HttpResponse:
    """The form alone (back from the preview, or refused): the detail page shows it inline."""
    experience, answer = target.experience, target.answer
    if answer is not None:
        title = _("Modifier la réponse")
    elif form["complement"].value() in (True, "True", "true", "on", "1"):
        title = _("Ajouter un complément à la réponse de votre service")
    else:
        title = _("Répondre au nom du service")
    return render(
        request,
        "experiences/answer_form.html",
        {
            "experience": experience,
            "organisation": target.organisation,
            "form": form,
            "answer": answer,
            "title": title,
            "breadcrumb": _breadcrumb(experience, title),
        },
        status=status,
    )


def _render_preview(request: HttpRequest, target: Target, form: AnswerEditForm) -> HttpResponse:
    """Step 1: the text as it will be published, or the form with its error."""
    experience = target.experience
    try:
        masked = actions.preview_answer(
            organisation=target.organisation, experience=experience, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        form.add_error("body", error)
        return _render_form(request, target, form, status=400)
    title = _("Vérifier la réponse avant publication")
    return render(
        request,
        "experiences/answer_preview.html",
        {
            "experience": experience,
            "organisation": target.organisation,
            "form": form,
            "answer": target.answer,
            "preview": highlight_masks(masked.text),
            "masked_count": masked.count,
            "title": title,
            "breadcrumb": _breadcrumb(experience, title),
        },
    )


@require_POST
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """POST etape=apercu (preview), publier (publish) or modifier (back to the form)."""
    experience = get_object_or_404(
        Experience.objects.select_related("contact_point__organisation").defer("search_vector"),
        pk=pk,
    )
    organisation = answering_organisation(request.user, experience)
    if organisation is None:
        raise PermissionDenied(_("Vous ne pouvez répondre que pour vos propres services."))
    form = AnswerForm(request.POST)
    target = Target(experience, organisation)
    if (shown := _before_publishing(request, target, form)) is not None:
        return shown
    try:
        published = actions.answer_experience(
            author=request.user,
            experience=experience,
            body=form.cleaned_data["body"],
            follow_up=form.cleaned_data["complement"],
            form_key=form.cleaned_data["jeton"],
        )
    except actions.AnswerAlreadyPublished as error:
        if error.code == "already_published":  # a double click, a replayed form
            messages.info(request, _("Cette réponse est déjà publiée."))
            return redirect(_answer_url(experience, error.answer))
        # Another agent of the service published the official answer meanwhile: the text is
        # kept, offered as a complement.
        form = AnswerForm(
            {"body": form.cleaned_data["body"], "complement": True, "jeton": new_form_key()}
        )
        form.is_valid()
        form.add_error(None, error)
        return _render_form(request, target, form, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, target, form, status=400)
    messages.success(request, _("Votre réponse est publiée."))
    return redirect(_answer_url(experience, published))


def _before_publishing(
    request: HttpRequest, target: Target, form: AnswerEditForm
) -> HttpResponse | None:
    """The page of a step before publishing (back to the form, its errors, the preview), or
    None when the POST is "publier" with a valid form."""
    step = _step(request)
    if step == STEP_BACK:
        return _render_form(request, target, form)
    if not form.is_valid():
        return _render_form(request, target, form, status=400)
    if step == STEP_PREVIEW:
        return _render_preview(request, target, form)
    return None


def _editable_answer(request: AuthenticatedHttpRequest, pk: int) -> Answer:
    answer = get_object_or_404(
        Answer.objects.select_related("experience__contact_point", "organisation").defer(
            "experience__search_vector"
        ),
        pk=pk,
    )
    if not can_edit_answer(request.user, answer, answer.experience):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette réponse."))
    return answer


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def edit_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the form with the published text; POST: preview, publish or back to the form."""
    answer = _editable_answer(request, pk)
    experience = answer.experience
    target = Target(experience, answer.organisation, answer)
    if request.method != "POST":
        return _render_form(request, target, AnswerEditForm(initial={"body": answer.body}))
    form = AnswerEditForm(request.POST)
    if (shown := _before_publishing(request, target, form)) is not None:
        return shown
    try:
        actions.edit_answer(actor=request.user, answer=answer, body=form.cleaned_data["body"])
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, target, form, status=400)
    messages.success(request, _("La réponse modifiée est publiée."))
    return redirect(_answer_url(experience, answer))


@require_safe
def answer_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of a public answer, newest first, as each was published (masked)."""
    answer = get_object_or_404(
        Answer.objects.select_related("experience", "organisation").defer(
            "experience__search_vector"
        ),
        pk=pk,
    )
    experience = answer.experience
    if not can_view_answer_history(answer, experience):
        raise Http404
    page = keyset_paginate(
        answer_revisions(answer),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=20,
    )
    title = _("Historique de la réponse")
    return render(
        request,
        "experiences/answer_history.html",
        {
            "experience": experience,
            "answer": answer,
            "page": page,
            "title": title,
            "breadcrumb": _breadcrumb(experience, title),
        },
    )
