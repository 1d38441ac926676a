"""Agents' pages: their organisation's answer templates (list, create, edit, archive) and the
writing page of an answer, which starts from a template or from an answer already given to a
similar experience and posts to the experiences app's preview → publish steps."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.catalogue.models import Organisation
from ecoute.common.pagination import keyset_paginate
from ecoute.experiences.forms import AnswerForm, new_form_key
from ecoute.experiences.models import Answer, Experience
from ecoute.experiences.permissions import answering_organisation
from ecoute.experiences.queries import official_answer

from . import actions
from .fields import FIELDS, field_values, fill
from .forms import ComposeForm, NewTemplateForm, TemplateForm
from .models import AnswerTemplate
from .permissions import (
    can_manage_template,
    managed_organisation_ids,
    managed_organisations,
    templates_for_answer,
    templates_for_user,
)
from .suggestions import suggest

PAGE_SIZE = 25


def compose_link(experience: Experience, organisation: Organisation) -> tuple[str, str]:
    """The answer aid shown next to the experience page's answer form (apps.py)."""
    return (
        _("Partir d'un modèle ou d'une réponse déjà donnée à une expérience proche"),
        reverse("answering:compose", args=[experience.pk]),
    )


def _breadcrumb(*crumbs: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Modèles de réponse"), reverse("answering:template_list")), *crumbs]


def _require_agent(request: AuthenticatedHttpRequest) -> set[int]:
    managed = managed_organisation_ids(request.user)
    if not managed:
        raise PermissionDenied(_("Cette page est réservée aux agents des services."))
    return managed


@require_safe
@login_required
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The templates the agent uses (their organisations' and those above), by family."""
    managed = _require_agent(request)
    archived = request.GET.get("archives") == "1"
    templates = templates_for_user(request.user).filter(is_archived=archived)
    page = keyset_paginate(
        templates.select_related("organisation"),
        ordering=["family", "title", "id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=PAGE_SIZE,
    )
    for template in page.items:
        template.can_manage = template.organisation_id in managed  # type: ignore[attr-defined]
    return render(
        request,
        "answering/template_list.html",
        {
            "page": page,
            "archived": archived,
            "fields": FIELDS,
            "title": _("Modèles de réponse archivés") if archived else _("Modèles de réponse"),
            "breadcrumb": [(_("Modèles de réponse"), None)],
        },
    )


def _render_template_form(
    request: HttpRequest, form: TemplateForm, title: str, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "answering/template_form.html",
        {"form": form, "title": title, "breadcrumb": _breadcrumb((title, None))},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def template_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_agent(request)
    form = NewTemplateForm(request.POST or None, organisations=managed_organisations(request.user))
    return _template_form_page(
        request,
        form,
        _("Nouveau modèle de réponse"),
        lambda data: actions.create_answer_template(actor=request.user, **data),
        _("Le modèle est enregistré."),
    )


def _template_form_page(
    request: AuthenticatedHttpRequest,
    form: TemplateForm,
    title: str,
    save: Callable[[dict[str, Any]], AnswerTemplate],
    done: str,
) -> HttpResponse:
    """GET: the form; POST: `save(cleaned_data)` then back to the list, or the form with its
    errors (400)."""
    if request.method != "POST":
        return _render_template_form(request, form, title)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("answering:template_list")
    return _render_template_form(request, form, title, status=400)


def _managed_template(request: AuthenticatedHttpRequest, pk: int) -> AnswerTemplate:
    """A template the agent may change; another organisation's is not found (404), one of an
    organisation above theirs is seen but not changed (403)."""
    template = get_object_or_404(templates_for_user(request.user), pk=pk)
    if not can_manage_template(request.user, template):
        raise PermissionDenied(_("Ce modèle appartient à une autre organisation."))
    return template


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def template_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = _managed_template(request, pk)
    initial = {"family": template.family, "title": template.title, "body": template.body}
    return _template_form_page(
        request,
        TemplateForm(request.POST or None, initial=initial),
        _("Modifier le modèle"),
        lambda data: actions.update_answer_template(actor=request.user, template=template, **data),
        _("Le modèle est modifié."),
    )


@require_POST
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def template_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """POST archive=1 (archive) or archive=0 (restore); idempotent."""
    template = _managed_template(request, pk)
    archived = request.POST.get("archive", "1") != "0"
    actions.archive_answer_template(actor=request.user, template=template, archived=archived)
    messages.success(
        request, _("Le modèle est archivé.") if archived else _("Le modèle est de nouveau proposé.")
    )
    return redirect(reverse("answering:template_list") + ("?archives=1" if not archived else ""))


@require_safe
@login_required
def compose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Write an answer: the experience beside the organisation's templates and the answers
    already given to the most similar experiences. "Utiliser" (a link: no JavaScript needed)
    reloads the page with that text in the form, fields filled; the form posts to the
    experiences app, which previews then publishes. Nothing is published from here."""
    experience = get_object_or_404(
        Experience.objects.select_related("author", "contact_point__organisation").defer(
            "search_vector"
        ),
        pk=pk,
    )
    organisation = answering_organisation(request.user, experience)
    if organisation is None:
        raise PermissionDenied(_("Vous ne pouvez répondre que pour vos propres services."))
    choice = ComposeForm(request.GET)
    status, body, source = 200, "", ""
    templates = list(templates_for_answer(organisation).select_related("organisation"))
    suggestions = suggest(experience=experience, organisation=organisation)
    values = field_values(experience=experience, organisation=organisation)
    if not choice.is_valid():
        messages.error(request, _("Ce choix de modèle ou de réponse n'est pas valable."))
        status = 400
    elif template_id := choice.cleaned_data["modele"]:
        template = next((t for t in templates if t.pk == template_id), None)
        if template is None:
            raise Http404(_("Ce modèle n'est pas proposé pour cette réponse."))
        body, source = fill(template.body, values), template.title
    elif answer_id := choice.cleaned_data["suggestion"]:
        given = get_object_or_404(
            Answer.objects.filter(
                hidden_at__isnull=True,
                experience__status="published",
                experience__network_id=experience.network_id,
            ).select_related("organisation"),
            pk=answer_id,
        )
        body = given.body
        source = _("Réponse de %(organisation)s") % {"organisation": given.organisation}
    official = official_answer(experience=experience, organisation=organisation)
    form = AnswerForm(
        initial={"body": body, "complement": official is not None, "jeton": new_form_key()}
    )
    title = _("Rédiger la réponse")
    return render(
        request,
        "answering/compose.html",
        {
            "experience": experience,
            "organisation": organisation,
            "form": form,
            "source": source,
            "templates": templates,
            "suggestions": suggestions,
            "complement": official is not None,
            "title": title,
            "breadcrumb": [
                (_("Expériences"), reverse("experiences:list")),
                (experience.title, experience.get_absolute_url()),
                (title, None),
            ],
        },
        status=status,
    )
