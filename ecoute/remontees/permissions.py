"""Who may raise, see, support and follow up agents' remontées.

- Raise: an agent (a member of an organisation, `catalogue.AgentMembership`) with a confirmed
  address, from one of the organisations they are a member of.
- See, once moderation published it: the agents of the same network (as in Services Publics +,
  where an agent's remontées are shared within their network so that colleagues elsewhere can
  say "moi aussi"; another network's internal difficulties stay its own). Before publication
  or once hidden: its author, moderators and the managers of its organisation.
- Support ("moi aussi"): an agent of the same network, once published, not the author.
- Follow up (status, public summary): `can_manage_remontees(user, organisation)`.

Managers: the inbox helper adds a manager role to `AgentMembership` on another branch. Until
it is merged, `can_manage_remontees` relies on staff accounts and moderators (the steering
stand-ins); it is the one function to wire to "manager of this organisation or of one above
it" once that role exists (see docs/decisions/0015-remontees-agents.md).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation
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
    """Staff and moderators stand in for steering until the manager role exists."""
    return _active(user) and (user.is_staff or user.is_superuser or can_moderate(user))


def can_manage_remontees(user: AnyUser, organisation: Organisation) -> bool:
    """May set the status of the remontées raised from `organisation` and publish their public
    summary. To be wired to the manager role of `AgentMembership` (an organisation's managers,
    and those of the organisations above it) once it is merged; staff and moderators today."""
    return is_steering(user)


def is_author(user: AnyUser, remontee: Remontee) -> bool:
    return user.is_authenticated and remontee.author_id == user.pk


def can_view_remontee(
    user: AnyUser, remontee: Remontee, *, network_ids: set[int] | None = None
) -> bool:
    if is_author(user, remontee) or can_moderate(user):
        return True
    if remontee.visibility == Visibility.HIDDEN:
        return False
    if can_manage_remontees(user, remontee.organisation):
        return True
    if not remontee.is_published:
        return False
    if network_ids is None:
        network_ids = network_ids_for_agent(user)
    return remontee.network_id in network_ids


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
    """What the steering view reads: published remontées of the organisations `user` manages."""
    if not is_steering(user):
        return Remontee.objects.none()
    return Remontee.objects.published()


def can_view_summary(user: AnyUser, summary: PublicSummary) -> bool:
    return summary.visibility == Visibility.PUBLISHED or can_view_remontee(user, summary.remontee)
