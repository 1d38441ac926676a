"""Read helpers of the remontées pages: a bounded number of queries whatever the rows."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from ecoute.accounts.models import User

from .models import Remontee, Status, Support, Theme
from .permissions import AnyUser, can_support


def mark_supports(user: AnyUser, remontees: Sequence[Remontee], network_ids: set[int]) -> None:
    """Set `user_supports` and `support_allowed` on each remontée shown (one query)."""
    supported: set[int] = set()
    if isinstance(user, User) and remontees:
        supported = set(
            Support.objects.filter(
                user=user, remontee_id__in=[remontee.pk for remontee in remontees]
            ).values_list("remontee_id", flat=True)
        )
    for remontee in remontees:
        remontee.user_supports = remontee.pk in supported  # type: ignore[attr-defined]
        remontee.support_allowed = can_support(  # type: ignore[attr-defined]
            user, remontee, network_ids=network_ids
        )


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


def counts_by_status(
    queryset: QuerySet[Remontee], *, selected: str | None = None
) -> tuple[int, list[StatusCount]]:
    """The count of each status of `queryset` (one grouped query), and the total: of every
    status, or of the `selected` one (the list's status filter)."""
    rows = dict(
        queryset.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    counts = [StatusCount(value, str(label), rows.get(value, 0)) for value, label in Status.choices]
    total = rows.get(selected, 0) if selected else sum(rows.values())
    return total, counts


@dataclass
class ThemeRow:
    label: str
    counts: list[int]
    total: int


@dataclass
class NetworkRow:  # a network's or an organisation's line
    name: str
    count: int
    supports: int


TOP_ORGANISATIONS = 20


@dataclass
class SteeringTables:
    themes: list[ThemeRow]
    networks: list[NetworkRow]
    organisations: list[NetworkRow]  # the TOP_ORGANISATIONS with most remontées


def steering_tables(queryset: QuerySet[Remontee]) -> SteeringTables:
    """Counts by theme × status, by network and by organisation (the 20 with most) for the
    steering view: three grouped queries."""
    cells = {
        (theme, status): n
        for theme, status, n in queryset.order_by()
        .values_list("theme", "status")
        .annotate(n=Count("id"))
        .values_list("theme", "status", "n")
    }
    themes = [
        ThemeRow(
            str(label),
            [cells.get((value, status), 0) for status in Status.values],
            sum(cells.get((value, status), 0) for status in Status.values),
        )
        for value, label in Theme.choices
    ]
    networks = sorted(
        (
            NetworkRow(name, n, supports or 0)
            for name, n, supports in queryset.order_by()
            .values_list("network__name")
            .annotate(n=Count("id"), s=Sum("support_count"))
            .values_list("network__name", "n", "s")
        ),
        key=lambda row: (-row.count, row.name),
    )
    organisations = [
        NetworkRow(public_name or name, n, supports or 0)
        for _id, public_name, name, n, supports in queryset.order_by()
        .values_list("organisation_id", "organisation__public_name", "organisation__name")
        .annotate(n=Count("id"), s=Sum("support_count"))
        .order_by("-n", "organisation_id")[:TOP_ORGANISATIONS]
    ]
    return SteeringTables(themes, networks, organisations)
