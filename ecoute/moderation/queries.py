"""Read helpers for the report pages."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery

from .models import Report, ReportStatus
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
