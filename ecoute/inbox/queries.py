"""Reading the inbox: one organisation's entries, filtered and paged by key, counts capped
like the public list's (experiences.queries.count_results), the team's load."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ecoute.catalogue.models import AgentMembership, Organisation
from ecoute.common.pagination import KeysetPage, keyset_paginate

from .models import InboxEntry, InboxState

COUNT_CAP = 1_000
PAGE_SIZE = 20
OLDEST_FIRST = ["published_at", "id"]
NEWEST_FIRST = ["-published_at", "-id"]


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox shows; empty values do not filter. `state` "" means every open state."""

    state: str = ""
    contact_point_id: int | None = None
    channel: str = ""
    sentiment: str = ""
    assignee_id: int | None = None
    unassigned: bool = False


def filtered_entries(organisation: Organisation, filters: InboxFilters) -> QuerySet[InboxEntry]:
    """The organisation's entries matching `filters`; each condition is a column of one of the
    entry's indexes (organisation first, sort key last)."""
    entries = InboxEntry.objects.filter(organisation=organisation)
    if filters.state:
        entries = entries.filter(state=filters.state, is_open=filters.state != InboxState.ANSWERED)
    else:
        entries = entries.filter(is_open=True)
    if filters.contact_point_id is not None:
        entries = entries.filter(contact_point_id=filters.contact_point_id)
    if filters.channel:
        entries = entries.filter(channel=filters.channel)
    if filters.sentiment:
        entries = entries.filter(sentiment=filters.sentiment)
    if filters.unassigned:
        entries = entries.filter(assignee__isnull=True)
    elif filters.assignee_id is not None:
        entries = entries.filter(assignee_id=filters.assignee_id)
    return entries


def inbox_page(
    organisation: Organisation, filters: InboxFilters, *, cursor: str | None, before: str | None
) -> KeysetPage:
    """A page of entries with their experience, contact point and assignee: unanswered oldest
    first (the most urgent on top), answered newest first."""
    entries = (
        filtered_entries(organisation, filters)
        .select_related("experience", "contact_point", "assignee")
        .defer("experience__search_vector", "experience__body")
    )
    ordering = NEWEST_FIRST if filters.state == InboxState.ANSWERED else OLDEST_FIRST
    return keyset_paginate(entries, ordering=ordering, cursor=cursor, before=before, size=PAGE_SIZE)


@dataclass
class Counts:
    """Entries by state and overdue, each capped at COUNT_CAP (then shown as "plus de")."""

    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    cap: int = COUNT_CAP

    def capped(self, value: int) -> bool:
        return value > self.cap

    def rows(self) -> list[tuple[str, str, int, bool]]:
        """(state, label, count, capped) in the order the inbox shows them."""
        return [
            (
                state,
                str(label),
                min(self.by_state.get(state, 0), self.cap),
                self.capped(self.by_state.get(state, 0)),
            )
            for state, label in InboxState.choices
        ]

    @property
    def open_total(self) -> int:
        return sum(self.by_state.get(state, 0) for state in InboxState.values if state != "repondu")


def counts(organisation: Organisation, *, now: dt.datetime | None = None) -> Counts:
    """One query: per state, and overdue (open past its due date), each a count of at most
    COUNT_CAP + 1 index entries, so an organisation of 700 k experiences costs what one of
    10 k does."""
    now = now or timezone.now()
    table = InboxEntry._meta.db_table
    limit = COUNT_CAP + 1
    parts: list[str] = []
    params: list[int | str | bool | dt.datetime] = []
    # `state` alone (is_open follows from it: constraint inbox_open_matches_state) so that each
    # count is an index-only range of inbox_state_oldest; with `is_open` too, PostgreSQL chose
    # the open index and filtered a rare state out of every open entry (50 k rows at 10 M).
    for state in InboxState.values:
        parts.append(
            f'(SELECT COUNT(*) FROM (SELECT 1 FROM "{table}" WHERE organisation_id = %s '  # noqa: S608
            f"AND state = %s LIMIT %s) AS s)"
        )
        params += [organisation.pk, state, limit]
    parts.append(
        f'(SELECT COUNT(*) FROM (SELECT 1 FROM "{table}" WHERE organisation_id = %s '  # noqa: S608
        f"AND is_open = %s AND due_at < %s LIMIT %s) AS s)"
    )
    params += [organisation.pk, True, now, limit]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return Counts(by_state=dict(zip(InboxState.values, row[:-1], strict=True)), overdue=row[-1])


@dataclass
class AgentLoad:
    membership: AgentMembership
    open_count: int
    oldest: dt.datetime | None


def team_page(
    organisation: Organisation, *, cursor: str | None, before: str | None, size: int = 20
) -> tuple[KeysetPage, list[AgentLoad]]:
    """The agents of the organisation and of those below it, a page at a time, each with the
    unanswered experiences they hold in this organisation's inbox (capped at COUNT_CAP) and the
    oldest one's date: two queries, whatever the team's size and the volume."""
    own = organisation.path or f"/{organisation.pk}/"
    memberships = AgentMembership.objects.filter(
        organisation__path__startswith=own, user__is_active=True
    ).select_related("user", "organisation")
    page = keyset_paginate(memberships, ordering=["id"], cursor=cursor, before=before, size=size)
    loads = _loads(organisation, sorted({membership.user_id for membership in page.items}))
    rows = [
        AgentLoad(
            membership=membership,
            open_count=loads[membership.user_id][0],
            oldest=loads[membership.user_id][1],
        )
        for membership in page.items
    ]
    return page, rows


def _loads(
    organisation: Organisation, user_ids: list[int]
) -> dict[int, tuple[int, dt.datetime | None]]:
    """Per agent, in one query: a capped count of the open entries they hold and the oldest
    one's publication date, each an index range of (organisation, assignee, is_open, ...)."""
    if not user_ids:
        return {}
    table = InboxEntry._meta.db_table
    where = f'FROM "{table}" WHERE organisation_id = %s AND assignee_id = %s AND is_open = %s'
    parts: list[str] = []
    params: list[int | bool] = []
    for user_id in user_ids:
        parts.append(f"(SELECT COUNT(*) FROM (SELECT 1 {where} LIMIT %s) AS s)")  # noqa: S608 - the table name only
        parts.append(f"(SELECT published_at {where} ORDER BY published_at LIMIT 1)")
        params += [organisation.pk, user_id, True, COUNT_CAP + 1, organisation.pk, user_id, True]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {
        user_id: (min(row[2 * index], COUNT_CAP), _datetime(row[2 * index + 1]))
        for index, user_id in enumerate(user_ids)
    }


def _datetime(value: object) -> dt.datetime | None:
    """A raw cursor's timestamp: aware on PostgreSQL, naive UTC (or text) on SQLite."""
    if value is None:
        return None
    parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed
