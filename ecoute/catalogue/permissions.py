"""Access rules for agents: an agent answers only for the organisations they belong to.

Membership of an organisation covers every structure below it in the SP+ tree (a
departmental direction answers for its agencies), found through the materialised `path`.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

from ecoute.accounts.models import User

from .models import AgentMembership, ContactPoint, MembershipRole, Organisation


def is_agent(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return AgentMembership.objects.filter(user=user).exists()


def get_answering_organisation(
    user: User | AnonymousUser, contact_point: ContactPoint
) -> Organisation | None:
    """The organisation in whose name `user` may answer about `contact_point`, or None.

    The closest one wins (the agency itself before its direction), so answers are signed with
    the most precise service name.
    """
    return get_acting_organisation(user, contact_point.organisation)


def get_acting_organisation(
    user: User | AnonymousUser, organisation: Organisation, *, manager: bool = False
) -> Organisation | None:
    """The closest organisation among `organisation` and its ancestors that `user` is an agent
    (with `manager`: a manager) of, or None: the service in whose name they act on something
    addressed to `organisation`."""
    if not user.is_authenticated or not user.is_active:
        return None
    membership = Q(memberships__user=user)
    if manager:
        membership &= Q(memberships__role=MembershipRole.MANAGER)
    candidates = list(
        Organisation.objects.filter(membership, pk__in=organisation.ancestor_ids()).only(
            "id", "name", "public_name", "path", "answer_delay_days"
        )
    )
    if not candidates:
        return None
    return max(candidates, key=lambda org: len(org.path))


def contact_points_for_agent(user: User) -> models.QuerySet[ContactPoint]:
    """Every contact point an agent answers for (their organisations and all below them)."""
    condition = _agent_scope(user, "organisation__")
    if condition is None:
        return ContactPoint.objects.none()
    return ContactPoint.objects.filter(condition)


def organisations_for_agent(user: User) -> models.QuerySet[Organisation]:
    """Every organisation an agent acts for: their own and all below them in the tree."""
    condition = _agent_scope(user, "")
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition)


def _agent_scope(user: User, prefix: str) -> Q | None:
    """Condition on `<prefix>id` / `<prefix>path` matching the agent's organisations and every
    organisation below them (one query for the memberships); None for a non-agent."""
    paths = list(Organisation.objects.filter(memberships__user=user).values_list("id", "path"))
    if not paths:
        return None
    condition = Q()
    for org_id, path in paths:
        own_path = path if path.endswith(f"/{org_id}/") else f"{path or '/'}{org_id}/"
        condition |= Q(**{f"{prefix}id": org_id}) | Q(**{f"{prefix}path__startswith": own_path})
    return condition


def get_network_head_organisation(
    user: User | AnonymousUser, network_id: int
) -> Organisation | None:
    """The head (root) organisation of a network the user is an agent of, or None.

    Experiences that name only a network (imported SP+ stories have no contact point) are
    answered by its national head: an agent of an agency does not speak for the whole network.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Organisation.objects.filter(
            network_id=network_id, parent__isnull=True, memberships__user=user
        )
        .order_by("id")
        .first()
    )


def head_network_ids_for_agent(user: User) -> list[int]:
    return list(
        Organisation.objects.filter(parent__isnull=True, memberships__user=user).values_list(
            "network_id", flat=True
        )
    )
