"""The agents' space: inbox, one experience's handling (notes, journal, assignment, routing),
the team's load for managers, the dashboard. Thin: rules in permissions.py, writes in
actions.py, reads in queries.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.catalogue.models import AgentMembership, Organisation
from ecoute.experiences.models import Experience
from ecoute.experiences.queries import ANSWER_FIGURES_MINIMUMS, organisation_answer_statistics

from . import actions, queries
from .forms import AssignForm, InboxFilterForm, NoteForm, OrganisationChoiceForm, RouteForm
from .models import Handling, InternalNote, JournalEntry
from .permissions import (
    acting_organisation,
    assignable_agents,
    assignment_scope,
    can_assign,
    can_route,
    can_view_inbox,
    can_view_notes,
    inbox_memberships,
    is_manager,
    route_targets,
)


def _inbox_organisation(
    request: AuthenticatedHttpRequest,
) -> tuple[Organisation, list[AgentMembership]]:
    """The organisation whose inbox is asked for (`?organisation=`, default: the agent's
    first), and the agent's memberships; PermissionDenied for anyone else."""
    memberships = list(inbox_memberships(request.user))
    if not memberships:
        raise PermissionDenied(_("Réservé aux agents des services."))
    wanted = request.GET.get("organisation", "")
    if not wanted.isdigit():
        return memberships[0].organisation, memberships
    for membership in memberships:
        if membership.organisation_id == int(wanted):
            return membership.organisation, memberships
    organisation = Organisation.objects.filter(pk=int(wanted)).first()
    if organisation is None or not can_view_inbox(request.user, organisation):
        raise PermissionDenied(_("Cette boîte de réception n'est pas la vôtre."))
    return organisation, memberships


def _breadcrumb(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Espace agent"), reverse("inbox:inbox") if trail else None), *trail]


@require_safe
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation, memberships = _inbox_organisation(request)
    form = InboxFilterForm(request.GET or None, organisation=organisation)
    filters = form.filters(request.user)
    manager = is_manager(request.user, organisation)
    if filters.assignee_id not in (None, request.user.pk) and not manager:
        raise PermissionDenied(_("Réservé aux responsables d'équipe."))
    page = queries.inbox_page(
        organisation, filters, cursor=request.GET.get("apres"), before=request.GET.get("avant")
    )
    return render(
        request,
        "inbox/inbox.html",
        {
            "organisation": organisation,
            "organisation_form": OrganisationChoiceForm(
                initial={"organisation": organisation.pk},
                organisations=Organisation.objects.filter(
                    pk__in=[m.organisation_id for m in memberships]
                ).order_by("name"),
            )
            if len(memberships) > 1
            else None,
            "form": form,
            "filters": filters,
            "counts": queries.counts(organisation),
            "page": page,
            "now": timezone.now(),
            "is_manager": manager,
            "title": _("Boîte de réception"),
            "breadcrumb": _breadcrumb(),
        },
    )


def _experience_for_agent(
    request: AuthenticatedHttpRequest, pk: int
) -> tuple[Experience, Organisation, Organisation]:
    """The experience, the organisation the user acts for on it and the one whose colleagues
    they may hand it to; PermissionDenied unless they are an agent of its chain."""
    experience = get_object_or_404(
        Experience.objects.select_related(
            "contact_point__organisation", "handling_organisation", "network"
        ).defer("search_vector"),
        pk=pk,
    )
    organisation = acting_organisation(request.user, experience)
    scope = assignment_scope(request.user, experience)
    if organisation is None or scope is None:
        raise PermissionDenied(_("Cette expérience n'est pas traitée par vos services."))
    return experience, organisation, scope


def _handling(experience: Experience) -> Handling | None:
    return (
        Handling.objects.select_related("assignee", "escalated_to")
        .filter(experience=experience)
        .first()
    )


@require_safe
@login_required
def item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_item(request, *_experience_for_agent(request, pk))


def _render_item(
    request: AuthenticatedHttpRequest,
    experience: Experience,
    organisation: Organisation,
    scope: Organisation,
    *,
    note_form: NoteForm | None = None,
    route_form: RouteForm | None = None,
    assign_form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    handling = _handling(experience)
    may_assign = can_assign(user, experience, handling, user) or can_assign(
        user, experience, handling, None
    )
    if may_assign and assign_form is None:
        current = handling.assignee_id if handling else None
        assign_form = AssignForm(
            initial={"assignee": current or user.pk}, agents=assignable_agents(scope, experience)
        )
    if can_route(user, experience) and route_form is None:
        route_form = RouteForm(targets=route_targets(experience))
    title = experience.title
    return render(
        request,
        "inbox/item.html",
        {
            "experience": experience,
            "organisation": organisation,
            "handling": handling,
            "now": timezone.now(),
            "notes": InternalNote.objects.filter(experience=experience)
            .select_related("author", "organisation")
            .order_by("created_at", "id")
            if can_view_notes(user, experience)
            else [],
            "journal": JournalEntry.objects.filter(experience=experience)
            .select_related("actor", "from_organisation", "to_organisation", "assignee")
            .order_by("created_at", "id"),
            "note_form": note_form or NoteForm(),
            "assign_form": assign_form if may_assign else None,
            "route_form": route_form if can_route(user, experience) else None,
            "title": title,
            "breadcrumb": _breadcrumb((title, None)),
        },
        status=status,
    )


@require_POST
@login_required
@ratelimit(key="user", rate="600/h", method="POST", block=True)
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    experience, organisation, scope = _experience_for_agent(request, pk)
    form = AssignForm(request.POST, agents=assignable_agents(scope, experience))
    if not form.is_valid():
        return _render_item(request, experience, organisation, scope, assign_form=form, status=400)
    assignee = form.cleaned_data["assignee"]
    handling = _handling(experience)
    if not can_assign(request.user, experience, handling, assignee):
        raise PermissionDenied(_("Vous ne pouvez pas attribuer cette expérience."))
    try:
        actions.assign_experience(actor=request.user, experience=experience, assignee=assignee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if assignee is None:
            messages.success(request, _("L'expérience n'est plus attribuée."))
        else:
            messages.success(
                request, _("Expérience attribuée à %(name)s.") % {"name": assignee.username}
            )
    return redirect("inbox:item", pk=experience.pk)


@require_POST
@login_required
@ratelimit(key="user", rate="300/h", method="POST", block=True)
def note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    experience, organisation, scope = _experience_for_agent(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_item(request, experience, organisation, scope, note_form=form, status=400)
    try:
        actions.add_note(actor=request.user, experience=experience, body=form.cleaned_data["body"])
    except ValidationError as error:
        form.add_error("body", error)
        return _render_item(request, experience, organisation, scope, note_form=form, status=400)
    messages.success(request, _("Note ajoutée."))
    return redirect("inbox:item", pk=experience.pk)


@require_POST
@login_required
@ratelimit(key="user", rate="120/h", method="POST", block=True)
def route(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    experience, organisation, scope = _experience_for_agent(request, pk)
    if not can_route(request.user, experience):
        raise PermissionDenied(_("Cette expérience ne peut plus être orientée."))
    form = RouteForm(request.POST, targets=route_targets(experience))
    if not form.is_valid():
        return _render_item(request, experience, organisation, scope, route_form=form, status=400)
    target = form.cleaned_data["organisation"]
    try:
        actions.route_experience(
            actor=request.user,
            experience=experience,
            organisation=target,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_item(request, experience, organisation, scope, route_form=form, status=400)
    messages.success(
        request,
        _("Expérience transmise à %(service)s ; son auteur en est informé.")
        % {"service": target.display_name},
    )
    if acting_organisation(request.user, experience) is None:  # no longer ours
        return redirect("inbox:inbox")
    return redirect("inbox:item", pk=experience.pk)


@require_safe
@login_required
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation, _memberships = _inbox_organisation(request)
    if not is_manager(request.user, organisation):
        raise PermissionDenied(_("Réservé aux responsables d'équipe."))
    page, rows = queries.team_page(
        organisation, cursor=request.GET.get("apres"), before=request.GET.get("avant")
    )
    return render(
        request,
        "inbox/team.html",
        {
            "organisation": organisation,
            "page": page,
            "rows": rows,
            "title": _("Mon équipe"),
            "breadcrumb": _breadcrumb((_("Mon équipe"), None)),
        },
    )


@require_safe
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation, _memberships = _inbox_organisation(request)
    manager = is_manager(request.user, organisation)
    team_rows = queries.team_page(organisation, cursor=None, before=None)[1] if manager else []
    return render(
        request,
        "inbox/dashboard.html",
        {
            "organisation": organisation,
            "counts": queries.counts(organisation),
            "is_manager": manager,
            "team_rows": team_rows,
            # The answer rate and median delay to the first answer of the organisation (with
            # the ones below it) and of its network: one read of their roll-up rows.
            "answer_figures": organisation_answer_statistics(organisation),
            "answer_minimums": ANSWER_FIGURES_MINIMUMS,
            "title": _("Tableau de bord"),
            "breadcrumb": _breadcrumb((_("Tableau de bord"), None)),
        },
    )
