"""The guides and modules shipped in data/resources/, loaded by `load_reference_data`.

`catalogue.json` lists the categories and the modules (with their steps, by resource slug);
each resource is a Markdown file `resources/<slug>.md` opening with `key: value` lines
(`titre`, `categorie`, `ordre`, `resume`) and a `---` line before the text.

Rows are keyed on their slug and created when missing, published. A row that exists is left
as it is: once loaded, the administrators own the text (the admin), and a second run changes
nothing.
"""

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecoute.territories.importers import DatasetReport, ImportAborted

from .models import Category, ModuleStep, PublicationStatus, Resource, TrainingModule

RESOURCES_DIR = Path("resources")
HEADER_KEYS = {"titre", "categorie", "ordre", "resume"}


def parse_resource(text: str) -> tuple[dict[str, str], str]:
    """The header (`key: value` lines up to `---`) and the Markdown body of a resource file."""
    head, separator, body = text.partition("\n---\n")
    if not separator:
        raise ValueError("no '---' line between the header and the text")
    header: dict[str, str] = {}
    for line in head.strip().splitlines():
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in HEADER_KEYS:
            raise ValueError(f"unexpected header line: {line!r}")
        header[key.strip()] = value.strip()
    missing = HEADER_KEYS - header.keys()
    if missing:
        raise ValueError(f"missing header keys: {', '.join(sorted(missing))}")
    return header, body.strip() + "\n"


def load_resources(data_dir: Path, *, strict: bool = False) -> DatasetReport:
    report = DatasetReport("resources")
    categories = report.table("resources.category")
    resources = report.table("resources.resource")
    modules = report.table("resources.trainingmodule")
    folder = data_dir / RESOURCES_DIR
    catalogue: dict[str, Any] = json.loads((folder / "catalogue.json").read_text("utf-8"))
    now = timezone.now()
    with transaction.atomic():
        by_slug: dict[str, Category] = {}
        for position, row in enumerate(catalogue["categories"]):
            categories.read += 1
            category, created = Category.objects.get_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "description": row.get("description", ""),
                    "position": position,
                },
            )
            by_slug[category.slug] = category
            categories.created += created
            categories.unchanged += not created
        for path in sorted((folder / "resources").glob("*.md")):
            resources.read += 1
            try:
                header, body = parse_resource(path.read_text("utf-8"))
                category = by_slug[header["categorie"]]
                position = int(header["ordre"])
            except (ValueError, KeyError) as error:
                resources.skip(None, f"{path.name}: {error}")
                continue
            _resource, created = Resource.objects.get_or_create(
                slug=path.stem,
                defaults={
                    "category": category,
                    "title": header["titre"],
                    "summary": header["resume"],
                    "body": body,
                    "position": position,
                    "status": PublicationStatus.PUBLISHED,
                    "published_at": now,
                },
            )
            resources.created += created
            resources.unchanged += not created
        known = dict(Resource.objects.values_list("slug", "pk"))
        for position, row in enumerate(catalogue["modules"]):
            modules.read += 1
            unknown = [slug for slug in row["steps"] if slug not in known]
            if unknown:
                modules.skip(None, f"{row['slug']}: unknown resources {', '.join(unknown)}")
                continue
            module, created = TrainingModule.objects.get_or_create(
                slug=row["slug"],
                defaults={
                    "title": row["title"],
                    "summary": row["summary"],
                    "description": row.get("description", ""),
                    "estimated_minutes": row["estimated_minutes"],
                    "position": position,
                    "status": PublicationStatus.PUBLISHED,
                    "published_at": now,
                },
            )
            modules.created += created
            modules.unchanged += not created
            if created:
                ModuleStep.objects.bulk_create(
                    ModuleStep(module=module, resource_id=known[slug], position=index)
                    for index, slug in enumerate(row["steps"])
                )
        if strict and report.skipped:
            raise ImportAborted(f"{report.skipped} row(s) refused", report)
    return report
