"""Who sees which inbox, notes and journal, and who may assign, note and route.

Everything is scoped by organisation: an agent acts on an experience only for an organisation
of its chain (experiences.handling.base_organisation and the ones above it), exactly those
who may answer it (experiences.permissions.answering_organisation). Managers
(AgentMembership.role) of an organisation of the chain also reassign what a colleague took.
Moderators have no rights here: they publish and hide, they do not handle.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.models import AgentMembership, MembershipRole, Organisation
from ecoute.catalogue.permissions import get_acting_organisation
from ecoute.experiences.handling import base_organisation
from ecoute.experiences.models import Experience
from ecoute.experiences.permissions import answering_organisation

from .models import Handling


def inbox_memberships(user: User | AnonymousUser) -> QuerySet[AgentMembership]:
    """The organisations whose inbox the user opens directly (their memberships)."""
    if not user.is_authenticated or not user.is_active:
        return AgentMembership.objects.none()
    return (
        AgentMembership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


def can_view_inbox(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """An agent of the organisation or of one above it (a direction reads its agencies')."""
    return get_acting_organisation(user, organisation) is not None


def is_manager(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """A manager of the organisation or of one above it: sees the team's load, reassigns."""
    return get_acting_organisation(user, organisation, manager=True) is not None


def acting_organisation(user: User | AnonymousUser, experience: Experience) -> Organisation | None:
    """The service in whose name `user` handles `experience` (the one that would sign their
    answer), or None: notes, journal, assignment and routing all follow it."""
    return answering_organisation(user, experience)


def can_view_notes(user: User | AnonymousUser, experience: Experience) -> bool:
    return acting_organisation(user, experience) is not None


can_write_note = can_view_notes


def can_route(user: User | AnonymousUser, experience: Experience) -> bool:
    """Any agent of the chain routes an experience that has no answer yet."""
    return not experience.is_answered and acting_organisation(user, experience) is not None


def assignable_agents(organisation: Organisation, experience: Experience) -> QuerySet[User]:
    """Colleagues `organisation` may hand `experience` to: active members of the organisations
    of the chain from `organisation` down to the base (so each of them can answer it)."""
    base = base_organisation(experience)
    if base is None:
        return User.objects.none()
    chain = base.ancestor_ids()
    if organisation.pk not in chain:
        return User.objects.none()
    below = chain[chain.index(organisation.pk) :]
    return (
        User.objects.filter(is_active=True, memberships__organisation_id__in=below)
        .distinct()
        .order_by("username")
    )


def assignment_scope(user: User | AnonymousUser, experience: Experience) -> Organisation | None:
    """The organisation whose colleagues `user` may hand `experience` to: the one they manage
    in its chain, or else the one they act for."""
    return _manager_organisation(user, experience) or acting_organisation(user, experience)


def can_assign(
    user: User | AnonymousUser,
    experience: Experience,
    handling: Handling | None,
    assignee: User | None,
) -> bool:
    """Take or hand over an unanswered experience. An agent takes an unassigned one, hands
    over what they hold, or gives it back (assignee None); a manager of the chain reassigns
    anything. The assignee must be someone of the chain at or below assignment_scope."""
    if experience.is_answered or handling is None:
        return False
    scope = assignment_scope(user, experience)
    if scope is None:
        return False
    current = handling.assignee_id
    if current not in (None, user.pk) and not can_manage_for(user, experience):
        return False
    if assignee is None:
        return current is not None
    return assignable_agents(scope, experience).filter(pk=assignee.pk).exists()


def _manager_organisation(
    user: User | AnonymousUser, experience: Experience
) -> Organisation | None:
    base = base_organisation(experience)
    if base is None:
        return None
    return get_acting_organisation(user, base, manager=True)


def can_manage_for(user: User | AnonymousUser, experience: Experience) -> bool:
    return _manager_organisation(user, experience) is not None


def route_targets(experience: Experience) -> QuerySet[Organisation]:
    """Where an experience may be sent: the organisations above its handling organisation,
    those just below it, and every other organisation in the same département (another
    network: CAF ↔ CPAM). Not the handling organisation itself."""
    handler = base_organisation(experience)
    if handler is None:
        return Organisation.objects.none()
    near = Q(pk__in=handler.ancestor_ids()) | Q(parent_id=handler.pk)
    if handler.departement_id is not None:
        near |= Q(departement_id=handler.departement_id)
    return (
        Organisation.objects.filter(near, is_active=True)
        .exclude(pk=handler.pk)
        .select_related("network")
        .order_by("network__name", "name", "id")
    )


def can_route_to(
    user: User | AnonymousUser, experience: Experience, organisation: Organisation
) -> bool:
    return (
        can_route(user, experience)
        and route_targets(experience).filter(pk=organisation.pk).exists()
    )


def managed_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations the user manages directly (team view)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.MANAGER
    ).order_by("name", "id")
