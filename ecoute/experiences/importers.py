"""Import the 855 real SP+ experiences about Pôle emploi as pending, masked experiences.

The source text is lower-cased and stripped of accents and punctuation by its publishers, and
some texts name citizens or agents: every row enters the moderation queue (status pending),
with personal data masked first. The import only creates: once stored, an experience belongs
to moderation, so a re-import never rewrites its status, title or body.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from ecoute.catalogue.models import Channel, Network
from ecoute.moderation.actions import sync_items
from ecoute.moderation.masking import mask_personal_data
from ecoute.territories.importers import (
    DatasetReport,
    ImportAborted,
    Row,
    read_csv,
    sync_model,
)

from .models import Experience, ExperienceOrigin, ExperienceStatus

SP_EXPERIENCES = Path("sp-plus") / "experiences-pole-emploi-normalisees.csv"
POLE_EMPLOI_SLUG = "pole-emploi"
SOURCE_PREFIX = "spplus-pe:"
TITLE_WORDS = 8
CREATE_FIELDS = [
    "source_key",
    "network_id",
    "contact_point_id",
    "author_id",
    "channel",
    "title",
    "body",
    "masked_items",
    "status",
    "origin",
]

# Channel flags of the SP+ export, in priority order: the first flag set gives the channel.
# Online first (most experiences are about the online account), then phone, written, counter.
CHANNEL_FLAGS: list[tuple[str, str]] = [
    ("demarche en ligne", Channel.ONLINE),
    ("compte ou espace personnel", Channel.ONLINE),
    ("telephone", Channel.PHONE),
    ("courrier", Channel.MAIL),
    ("e-mail", Channel.MAIL),
    ("accueil", Channel.COUNTER),
]
# A renamed flag column would silently leave every channel blank: read_csv checks them.
REQUIRED_COLUMNS = ["Description", *(column for column, _channel in CHANNEL_FLAGS)]


def load_spplus_experiences(data_dir: Path, *, strict: bool = False) -> DatasetReport:
    """Create one pending experience per SP+ text; needs the catalogue (Pôle emploi network)."""
    report = DatasetReport("experiences")
    stats = report.table("experiences.experience (SP+ Pôle emploi)")
    with transaction.atomic():
        network = Network.objects.filter(slug=POLE_EMPLOI_SLUG).first()
        if network is None:
            raise ImportAborted("network 'pole-emploi' missing: load the catalogue first")
        stored = list(
            Experience.objects.filter(source_key__startswith=SOURCE_PREFIX).only("id", "source_key")
        )
        stored_keys = {e.source_key for e in stored}
        rows: dict[str, Row] = {}
        first_line: dict[str, int] = {}
        masked_total = 0
        for line, row in read_csv(
            data_dir / SP_EXPERIENCES, delimiter=";", required=REQUIRED_COLUMNS
        ):
            stats.read += 1
            if "__error__" in row:
                stats.skip(line, row["__error__"])
                continue
            text = " ".join(row.get("Description", "").split())
            if not text:
                stats.skip(line, "empty Description")
                continue
            key = source_key(text)
            if key in first_line:
                stats.skip(line, f"same text as line {first_line[key]}")
                continue
            first_line[key] = line
            if key in stored_keys:
                rows[key] = {}  # stored: moderation owns it now
                continue
            masked = mask_personal_data(text)
            masked_total += masked.count
            rows[key] = {
                "source_key": key,
                "network_id": network.pk,
                "contact_point_id": None,
                "author_id": None,
                "channel": channel_from_flags(row),
                "title": make_title(masked.text),
                "body": masked.text,
                "masked_items": min(masked.count, 32767),
                "status": ExperienceStatus.PENDING,
                "origin": ExperienceOrigin.IMPORTED,
            }
        sync_model(
            Experience,
            rows,
            stats=stats,
            existing=stored,
            key_of=lambda o: o.source_key or "",  # never null here: filtered on a prefix
            compare=[],
            create_only=CREATE_FIELDS,
        )
        # Rows written in bulk join the moderation queue here (their items, state pending).
        sync_items(Experience)
        report.notes.append(f"{masked_total} personal data items masked in the new rows' source")
        if strict and report.skipped:
            raise ImportAborted("bad rows in strict mode", report)
    return report


def source_key(text: str) -> str:
    """Stable key of a source text: the same text always maps to the same experience."""
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{SOURCE_PREFIX}{digest[:16]}"


def channel_from_flags(row: dict[str, str]) -> str:
    for column, channel in CHANNEL_FLAGS:
        if row.get(column, "").strip() == "1":
            return channel
    return ""


def make_title(text: str) -> str:
    """First words, capitalised, with an ellipsis when the text goes on: 'Le site ne marche…'."""
    words = text.split()
    title = " ".join(words[:TITLE_WORDS])
    title = title[:1].upper() + title[1:]
    if len(words) > TITLE_WORDS:
        title += "…"
    return title[:150]
