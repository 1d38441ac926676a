"""Read helpers for the queue, an item's page and the trash."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from .models import AWAITING, HIDDEN, ModerationItem, ModerationState, Report, ReportStatus
from .registry import Moderated, all_moderated, moderated_by_key

COUNT_CAP = 1000


@dataclass
class KindCount:
    key: str
    label: str
    counts: list[tuple[str, int, bool]]  # (state, count, capped), in ModerationState order


@dataclass
class QueueCounts:
    kinds: list[KindCount]
    reported: int  # items with open reports (the queue's "Signalés seulement" filter)
    reported_capped: bool


def queue_counts() -> QueueCounts:
    """Items per kind and state, and reported items, exact up to COUNT_CAP ("plus de 1 000"
    beyond): one query of bounded index-only counts (one per kind and state, one over the
    reported filter's index), whatever the number of items."""
    pairs = [(m, state) for m in all_moderated() for state in ModerationState.values]
    capped_sets = [
        ModerationItem.objects.filter(kind=moderated.key, state=state) for moderated, state in pairs
    ]
    capped_sets.append(ModerationItem.objects.filter(AWAITING, open_reports__gt=0))
    parts: list[str] = []
    params: list[Any] = []
    for index, rows in enumerate(capped_sets):
        sql, part_params = rows.order_by().values("id")[: COUNT_CAP + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped{index})")  # noqa: S608 (ORM SQL)
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 (compiled by the ORM)
        *numbers, reported = cursor.fetchone()
    kinds: dict[str, KindCount] = {}
    for (moderated, state), n in zip(pairs, numbers, strict=True):
        row = kinds.setdefault(
            moderated.key, KindCount(moderated.key, str(moderated.label_plural), [])
        )
        row.counts.append((state, min(n, COUNT_CAP), n > COUNT_CAP))
    return QueueCounts(list(kinds.values()), min(reported, COUNT_CAP), reported > COUNT_CAP)


def open_reports_on(item: ModerationItem) -> list[Report]:
    """The open reports on an item's content, oldest first (its page lists them)."""
    return list(
        Report.objects.filter(
            content_type_id=item.content_type_id,
            object_id=item.object_id,
            status=ReportStatus.OPEN,
        )
        .select_related("reporter")
        .order_by("created_at", "id")
    )


def queue_items(filters: dict[str, Any], *, now: dt.datetime) -> QuerySet[ModerationItem]:
    """What waits for a decision, in queue order (see the indexes of ModerationItem)."""
    items = ModerationItem.objects.filter(AWAITING)
    if filters.get("type"):
        items = items.filter(kind=filters["type"])
    if filters.get("reseau"):
        items = items.filter(network_id=filters["reseau"])
    if filters.get("departement"):
        items = items.filter(departement=filters["departement"].upper())
    if filters.get("origine"):
        items = items.filter(origin=filters["origine"])
    if filters.get("signale"):
        items = items.filter(open_reports__gt=0)
    if filters.get("age"):
        items = items.filter(created_at__lt=now - dt.timedelta(days=int(filters["age"])))
    return items


@dataclass
class ItemRow:
    item: ModerationItem
    target: Any  # None when the content no longer exists
    moderated: Moderated | None

    @property
    def label(self) -> str:
        return str(self.moderated.label) if self.moderated else self.item.kind

    @property
    def excerpt(self) -> str:
        return self.moderated.excerpt(self.target) if self.moderated and self.target else ""

    @property
    def url(self) -> str:
        return self.moderated.url(self.target) if self.moderated and self.target else ""


def with_item_targets(items: list[ModerationItem]) -> list[ItemRow]:
    """Attach each item's content: one query per kind, whatever the number of rows."""
    ids: dict[str, set[int]] = defaultdict(set)
    for item in items:
        ids[item.kind].add(item.object_id)
    found: dict[tuple[str, int], Any] = {}
    for kind, pks in ids.items():
        moderated = moderated_by_key(kind)
        if moderated is not None:
            for pk, target in moderated.queryset().in_bulk(pks).items():
                found[(kind, pk)] = target
    return [
        ItemRow(item, found.get((item.kind, item.object_id)), moderated_by_key(item.kind))
        for item in items
    ]


def trash_items(kinds: list[str]) -> QuerySet[ModerationItem]:
    """Hidden contributions of these kinds, most recently hidden first (the public trash):
    titles, reasons and dates only, never the hidden text."""
    return ModerationItem.objects.filter(HIDDEN, decided_at__isnull=False, kind__in=kinds).only(
        "kind", "title", "reason", "decided_at"
    )
