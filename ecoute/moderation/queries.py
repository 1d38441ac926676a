"""Read helpers for the queue, the trash and the report pages."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery

from .models import AWAITING, HIDDEN, ModerationItem, ModerationState, Report, ReportStatus
from .registry import Moderated, all_moderated, moderated_by_key
from .reporting import Reportable, reportable_for


def reports_with_counts() -> QuerySet[Report]:
    """Reports with their reporter and how many open reports their target has."""
    same_target = (
        Report.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            object_id=OuterRef("object_id"),
            status=ReportStatus.OPEN,
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Report.objects.select_related("reporter", "content_type").annotate(
        open_on_target=Subquery(same_target, output_field=IntegerField())
    )


def open_reports() -> QuerySet[Report]:
    return reports_with_counts().filter(status=ReportStatus.OPEN)


@dataclass
class ReportRow:
    report: Report
    target: Any  # None when the content no longer exists
    reportable: Reportable | None

    @property
    def label(self) -> str:
        return str(self.reportable.label) if self.reportable else ""

    @property
    def title(self) -> str:
        return self.reportable.describe(self.target) if self.reportable else ""

    @property
    def url(self) -> str:
        return self.reportable.url(self.target) if self.reportable else ""

    @property
    def excerpt(self) -> str:
        return self.reportable.excerpt(self.target) if self.reportable else ""

    @property
    def is_hidden(self) -> bool:
        return bool(self.reportable and self.reportable.is_hidden(self.target))


def with_targets(reports: list[Report]) -> list[ReportRow]:
    """Attach each report's content: one query per kind of content, whatever the row count."""
    ids: dict[Any, set[int]] = defaultdict(set)
    for report in reports:
        ids[report.content_type].add(report.object_id)
    found: dict[tuple[int, int], Any] = {}
    for content_type, pks in ids.items():
        reportable = reportable_for(content_type.model_class())
        if reportable is None:
            continue
        for pk, target in reportable.queryset().in_bulk(pks).items():
            found[(content_type.pk, pk)] = target
    rows = []
    for report in reports:
        target = found.get((report.content_type_id, report.object_id))
        reportable = reportable_for(type(target)) if target is not None else None
        rows.append(ReportRow(report=report, target=target, reportable=reportable))
    return rows


# --- The moderation queue and the trash ---------------------------------------------------

COUNT_CAP = 1000


@dataclass
class KindCount:
    key: str
    label: str
    counts: list[tuple[str, int, bool]]  # (state, count, capped), in ModerationState order


def state_counts() -> list[KindCount]:
    """Items per kind and state, exact up to COUNT_CAP ("plus de 1 000" beyond): one query of
    bounded index-only counts (one per kind and state), whatever the number of items."""
    pairs = [(m, state) for m in all_moderated() for state in ModerationState.values]
    if not pairs:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for index, (moderated, state) in enumerate(pairs):
        capped = ModerationItem.objects.filter(kind=moderated.key, state=state).order_by()
        sql, part_params = capped.values("id")[: COUNT_CAP + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped{index})")  # noqa: S608 (ORM SQL)
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 (compiled by the ORM)
        numbers = cursor.fetchone()
    rows: dict[str, KindCount] = {}
    for (moderated, state), n in zip(pairs, numbers, strict=True):
        row = rows.setdefault(
            moderated.key, KindCount(moderated.key, str(moderated.label_plural), [])
        )
        row.counts.append((state, min(n, COUNT_CAP), n > COUNT_CAP))
    return list(rows.values())


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
