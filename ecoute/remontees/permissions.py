"""Who may raise, see, support and follow up agents' remontées.

- Raise: an agent (a member of an organisation, `catalogue.AgentMembership`) with a confirmed
  address, from one of the organisations they are a member of.
- See, once moderation published it: the agents of the same network (as in Services Publics +,
  where an agent's remontées are shared within their network so that colleagues elsewhere can
  say "moi aussi"; another network's internal difficulties stay its own). Before publication
  or once hidden: its author, moderators and the managers of its organisation.
- Support ("moi aussi"): an agent of the same network, once published, not the author.
- Follow up (status, public summary): `can_manage_remontees(user, organisation)`.

Managers: the managers (`AgentMembership.role`, "responsable d'équipe") of the remontée's
organisation or of one above it follow up their organisation's remontées; staff accounts and
moderators stand in for national steering and follow up every one (see
docs/decisions/0015-remontees-agents.md).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from ecoute.accounts.models import User
from ecoute.catalogue.models import AgentMembership, MembershipRole, Organisation
from ecoute.catalogue.permissions import get_acting_organisation
from ecoute.moderation.permissions import can_moderate

from .models import PublicSummary, Remontee, RemonteeQuerySet, Visibility

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active


def network_ids_for_agent(user: AnyUser) -> set[int]:
    """The networks of the organisations `user` is a member of (one query)."""
    if not isinstance(user, User) or not user.is_active:
        return set()
    return set(
        Organisation.objects.filter(memberships__user=user).values_list("network_id", flat=True)
    )


def raising_organisations(user: AnyUser) -> list[Organisation]:
    """The organisations an agent may raise a remontée from: those they are a member of."""
    if not isinstance(user, User) or not user.is_active:
        return []
    return list(
        Organisation.objects.filter(memberships__user=user)
        .select_related("network")
        .order_by("name", "id")
    )


def can_raise_remontee(user: AnyUser, *, network_ids: set[int] | None = None) -> bool:
    """An agent with a confirmed address (`network_ids`: theirs, when the caller has them)."""
    if not (isinstance(user, User) and user.is_active and user.has_confirmed_email):
        return False
    if network_ids is not None:
        return bool(network_ids)
    return Organisation.objects.filter(memberships__user=user).exists()


def is_steering(user: AnyUser) -> bool:
    """National steering: staff and moderators (every remontée, every network)."""
    return _active(user) and (user.is_staff or user.is_superuser or can_moderate(user))


def can_manage_remontees(user: AnyUser, organisation: Organisation) -> bool:
    """May set the status of the remontées raised from `organisation` and publish their public
    summary: a manager of the organisation or of one above it, or steering."""
    return (
        is_steering(user) or get_acting_organisation(user, organisation, manager=True) is not None
    )


def _managed(user: AnyUser) -> list[tuple[int, str]]:
    """(id, materialised path) of the organisations `user` is a manager of."""
    if not isinstance(user, User) or not _active(user):
        return []
    return list(
        AgentMembership.objects.filter(user=user, role=MembershipRole.MANAGER).values_list(
            "organisation_id", "organisation__path"
        )
    )


def can_steer_remontees(user: AnyUser) -> bool:
    """Opens the steering view: steering, or the manager of at least one organisation."""
    return is_steering(user) or bool(_managed(user))


def is_author(user: AnyUser, remontee: Remontee) -> bool:
    return user.is_authenticated and remontee.author_id == user.pk


def can_view_remontee(
    user: AnyUser, remontee: Remontee, *, network_ids: set[int] | None = None
) -> bool:
    if is_author(user, remontee) or can_moderate(user):
        return True
    if remontee.visibility == Visibility.HIDDEN:
        return False
    if remontee.is_published:
        if network_ids is None:
            network_ids = network_ids_for_agent(user)
        if remontee.network_id in network_ids:
            return True
    # Pending, or another network's: its organisation's managers (and steering).
    return can_manage_remontees(user, remontee.organisation)


def visible_remontees(user: AnyUser, *, network_ids: set[int] | None = None) -> RemonteeQuerySet:
    """The list an agent browses: published ones of their networks (every network for
    steering) and their own, whatever their state."""
    if not _active(user):
        return Remontee.objects.none()
    published = Q(visibility=Visibility.PUBLISHED)
    if not is_steering(user):
        if network_ids is None:
            network_ids = network_ids_for_agent(user)
        published &= Q(network_id__in=network_ids)
    return Remontee.objects.filter(published | Q(author=user))


def can_browse_remontees(user: AnyUser, *, network_ids: set[int] | None = None) -> bool:
    if network_ids is None:
        network_ids = network_ids_for_agent(user)
    return bool(network_ids) or is_steering(user)


def can_support(user: AnyUser, remontee: Remontee, *, network_ids: set[int] | None = None) -> bool:
    if not (isinstance(user, User) and user.is_active and user.has_confirmed_email):
        return False
    if not remontee.is_published or is_author(user, remontee):
        return False
    if network_ids is None:
        network_ids = network_ids_for_agent(user)
    return remontee.network_id in network_ids


def can_set_status(user: AnyUser, remontee: Remontee) -> bool:
    return remontee.is_published and can_manage_remontees(user, remontee.organisation)


def can_write_summary(user: AnyUser, remontee: Remontee) -> bool:
    """A manager writes (or rewrites) the public summary of a published remontée."""
    return can_set_status(user, remontee)


def managed_remontees(user: AnyUser) -> RemonteeQuerySet:
    """What the steering view reads: published remontées of the organisations `user` manages
    (and of those below them); every published one for steering."""
    if is_steering(user):
        return Remontee.objects.published()
    managed = _managed(user)
    if not managed:
        return Remontee.objects.none()
    below = Q()
    for org_id, path in managed:
        own_path = path if path.endswith(f"/{org_id}/") else f"{path or '/'}{org_id}/"
        below |= Q(organisation_id=org_id) | Q(organisation__path__startswith=own_path)
    return Remontee.objects.published().filter(below)


def can_view_summary(user: AnyUser, summary: PublicSummary) -> bool:
    return summary.visibility == Visibility.PUBLISHED or can_view_remontee(user, summary.remontee)
