"""Services Publics + engagements: the loader of data/engagements/ and the one read helper.

Kept apart from `importers.py` (the SP+ directory) because the two data sets have nothing in
common but the `Network` slugs an engagement may point to.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet

from ecoute.territories.importers import DatasetReport, ImportAborted, Row, read_csv, sync_model

from .models import Engagement, Network

# Common engagements of the programme since the CITP of 9 May 2023 (data/engagements/SOURCE.md).
PROGRAMME_ENGAGEMENTS = 8
ENGAGEMENTS_CSV = Path("engagements") / "engagements.csv"
COLUMNS = ["code", "number", "axis", "title", "network", "indicator_code", "source_url"]
FIELDS = ["number", "axis", "title", "network_id", "indicator_code", "source_url"]


def load_engagements(data_dir: Path, *, strict: bool = False) -> DatasetReport:
    """Create or update every engagement of the CSV (keyed on `code`), in one transaction.

    Needs the networks of the catalogue for network-specific rows; a row naming an unknown
    network, a bad number or URL, or a number already used in the same scope is skipped (and
    aborts everything with `strict`).
    """
    report = DatasetReport("engagements")
    stats = report.table("catalogue.engagement")
    validate_url = URLValidator(schemes=["https"])
    with transaction.atomic():
        networks = dict(Network.objects.values_list("slug", "pk"))
        rows: dict[str, Row] = {}
        numbers: set[tuple[int | None, int]] = set()
        for line, row in read_csv(data_dir / ENGAGEMENTS_CSV, delimiter=";", required=COLUMNS):
            stats.read += 1
            if "__error__" in row:
                stats.skip(line, row["__error__"])
                continue
            values = {name: row[name].strip() for name in COLUMNS}
            code, title, slug = values["code"], values["title"], values["network"]
            if not code or not title:
                stats.skip(line, "missing code or title")
                continue
            if not values["number"].isdigit() or int(values["number"]) < 1:
                stats.skip(line, f"bad number {values['number']!r}")
                continue
            try:
                validate_url(values["source_url"])
            except ValidationError:
                stats.skip(line, f"bad source URL {values['source_url']!r}")
                continue
            network_id = networks.get(slug) if slug else None
            if slug and network_id is None:
                stats.skip(line, f"unknown network {slug!r}")
                continue
            number = int(values["number"])
            if code in rows or (network_id, number) in numbers:
                stats.skip(line, "duplicate code or number")
                continue
            numbers.add((network_id, number))
            rows[code] = {
                "code": code,
                "number": number,
                "axis": values["axis"],
                "title": title,
                "network_id": network_id,
                "indicator_code": values["indicator_code"],
                "source_url": values["source_url"],
            }
        if strict and report.skipped:
            raise ImportAborted("bad rows in strict mode", report)
        sync_model(
            Engagement,
            rows,
            stats=stats,
            existing=Engagement.objects.all(),
            key_of=lambda engagement: engagement.code,
            compare=["code", *FIELDS],
        )
    return report


def engagements_for_network(network_id: int | None) -> QuerySet[Engagement]:
    """The national engagements, then those of `network_id` (if any): one query."""
    scope = Q(network__isnull=True)
    if network_id is not None:
        scope |= Q(network_id=network_id)
    return Engagement.objects.filter(scope).select_related("network")
