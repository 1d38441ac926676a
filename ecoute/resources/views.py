"""Resources and training pages: signed-in agents and staff only, no JavaScript needed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.catalogue.models import Organisation

from . import actions
from .models import Resource, TrainingModule
from .permissions import (
    can_see_completion_page,
    can_view_any_completion,
    can_view_content,
    can_view_drafts,
    can_view_resources,
    can_view_training_completion,
    completion_organisations_for,
)
from .queries import (
    categories_with_resources,
    completed_module_ids,
    completion_for,
    modules_for,
    modules_including,
)


def _check_reader(request: AuthenticatedHttpRequest) -> None:
    if not can_view_resources(request.user):
        raise PermissionDenied(_("Réservé aux agents des services publics."))


def _breadcrumb(*steps: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Ressources et formation"), reverse("resources:index")), *steps]


@require_safe
@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_reader(request)
    drafts = can_view_drafts(request.user)
    return render(
        request,
        "resources/index.html",
        {
            "categories": categories_with_resources(drafts=drafts),
            "modules": list(modules_for(drafts=drafts)),
            "done": completed_module_ids(request.user),
            "title": _("Ressources et formation"),
            "breadcrumb": [(_("Ressources et formation"), None)],
        },
    )


@require_safe
@login_required
def resource_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    _check_reader(request)
    resource = get_object_or_404(Resource.objects.select_related("category"), slug=slug)
    if not can_view_content(request.user, resource):
        raise Http404
    return render(
        request,
        "resources/resource.html",
        {
            "resource": resource,
            "modules": modules_including(resource, drafts=can_view_drafts(request.user)),
            "title": resource.title,
            "breadcrumb": _breadcrumb((resource.title, None)),
        },
    )


@require_safe
@login_required
def module_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_reader(request)
    modules = list(modules_for(drafts=can_view_drafts(request.user)))
    done = completed_module_ids(request.user)
    published = [module for module in modules if module.is_published]
    return render(
        request,
        "resources/modules.html",
        {
            "modules": modules,
            "done": done,
            "done_count": sum(1 for module in published if module.pk in done),
            "total": len(published),
            "can_see_completion": can_see_completion_page(request.user),
            "title": _("Modules de formation"),
            "breadcrumb": _breadcrumb((_("Modules de formation"), None)),
        },
    )


def _module_or_404(request: AuthenticatedHttpRequest, slug: str) -> TrainingModule:
    module = get_object_or_404(TrainingModule, slug=slug)
    if not can_view_content(request.user, module):
        raise Http404
    return module


@require_safe
@login_required
def module_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    _check_reader(request)
    module = _module_or_404(request, slug)
    steps = list(module.steps.select_related("resource"))
    drafts = can_view_drafts(request.user)
    return render(
        request,
        "resources/module.html",
        {
            "module": module,
            "steps": [step for step in steps if drafts or step.resource.is_published],
            "is_done": module.pk in completed_module_ids(request.user),
            "title": module.title,
            "breadcrumb": _breadcrumb(
                (_("Modules de formation"), reverse("resources:modules")), (module.title, None)
            ),
        },
    )


def _set_done(request: AuthenticatedHttpRequest, slug: str, *, done: bool) -> HttpResponse:
    _check_reader(request)
    module = _module_or_404(request, slug)
    if done:
        actions.complete_module(user=request.user, module=module)
        message = _("Module « %(title)s » marqué comme terminé.")
    else:
        actions.uncomplete_module(user=request.user, module=module)
        message = _("Module « %(title)s » remis à faire.")
    messages.success(request, message % {"title": module})
    return redirect(module.get_absolute_url())


@require_POST
@login_required
@ratelimit(key="user", rate="120/h", method="POST", block=True)
def module_complete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _set_done(request, slug, done=True)


@require_POST
@login_required
@ratelimit(key="user", rate="120/h", method="POST", block=True)
def module_uncomplete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _set_done(request, slug, done=False)


@require_safe
@login_required
def completion(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers: the share of an organisation's agents (and those below it) who completed each
    module. `?organisation=<id>` chooses among the user's organisations (staff: any)."""
    choices = list(completion_organisations_for(request.user))
    raw = request.GET.get("organisation", "")
    organisation: Organisation | None = None
    if raw:
        if not raw.isdigit():
            return _completion_page(
                request,
                choices,
                None,
                status=400,
                error=_("Choisissez une organisation de la liste."),
            )
        organisation = Organisation.objects.filter(pk=int(raw)).first()
        if organisation is None:
            raise Http404
    elif choices:
        organisation = choices[0]
    if organisation is None:
        if can_view_any_completion(request.user):
            return _completion_page(request, choices, None)
        raise PermissionDenied(_("Réservé aux responsables d'une organisation."))
    if not can_view_training_completion(request.user, organisation):
        raise PermissionDenied(_("Vous ne pouvez pas voir le suivi de cette organisation."))
    return _completion_page(request, choices, organisation)


def _completion_page(
    request: AuthenticatedHttpRequest,
    choices: list[Organisation],
    organisation: Organisation | None,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    agents, rows = completion_for(organisation) if organisation else (0, [])
    return render(
        request,
        "resources/completion.html",
        {
            "choices": choices,
            "organisation": organisation,
            "agents": agents,
            "rows": rows,
            "error": error,
            "title": _("Suivi de la formation"),
            "breadcrumb": _breadcrumb((_("Suivi de la formation"), None)),
        },
        status=status,
    )
