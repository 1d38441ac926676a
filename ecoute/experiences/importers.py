"""Import the 855 real SP+ experiences about Pôle emploi as pending, masked experiences.

The source text is lower-cased and stripped of accents and punctuation by its publishers, and
some texts name citizens or agents: every row enters the moderation queue (status pending),
with personal data masked first. The import only creates: once stored, an experience belongs
to moderation, so a re-import never rewrites its status, title or body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path

from django.db import transaction

from ecoute.catalogue.models import Channel, Network
from ecoute.moderation.actions import add_items
from ecoute.moderation.masking import mask_many
from ecoute.territories.importers import (
    BATCH_SIZE,
    DatasetReport,
    ImportAborted,
    TableStats,
    read_csv,
)

from .models import Experience, ExperienceOrigin, ExperienceStatus

SP_EXPERIENCES = Path("sp-plus") / "experiences-pole-emploi-normalisees.csv"
POLE_EMPLOI_SLUG = "pole-emploi"
SOURCE_PREFIX = "spplus-pe:"
TITLE_WORDS = 8
# Rows read, checked against the stored keys, masked and written together.
CHUNK_SIZE = 2000

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


def load_spplus_experiences(
    data_dir: Path, *, strict: bool = False, chunk_size: int = CHUNK_SIZE
) -> DatasetReport:
    """Create one pending experience per SP+ text; needs the catalogue (Pôle emploi network).

    Streams the file in chunks. Per chunk, one query finds the texts already stored; the new
    ones are masked together (`mask_many`, which batches the NER model) in a worker thread
    while this thread writes the previous chunk with `bulk_create`: masking (Python) and
    writing (the database server) overlap, on two cores. Memory stays flat whatever the file
    size (only the keys seen are kept, to skip repeated texts).
    """
    report = DatasetReport("experiences")
    stats = report.table("experiences.experience (SP+ Pôle emploi)")
    with transaction.atomic():
        network = Network.objects.filter(slug=POLE_EMPLOI_SLUG).first()
        if network is None:
            raise ImportAborted("network 'pole-emploi' missing: load the catalogue first")
        masked_total = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mask") as masker:
            masking: Future[tuple[list[Experience], int]] | None = None
            for chunk in _chunks(_read_texts(data_dir, stats), chunk_size):
                new = _not_stored(chunk, stats)
                next_masking = masker.submit(_masked_experiences, new, network.pk)
                if masking is not None:
                    masked_total += _write(*masking.result(), stats=stats)
                masking = next_masking
            if masking is not None:
                masked_total += _write(*masking.result(), stats=stats)
        report.notes.append(f"{masked_total} personal data items masked in the new rows' source")
        if strict and report.skipped:
            raise ImportAborted("bad rows in strict mode", report)
    return report


def _read_texts(data_dir: Path, stats: TableStats) -> Iterator[tuple[str, str, str]]:
    """(key, channel, text) of each usable row, the first of repeated texts only."""
    first_line: dict[str, int] = {}
    for line, row in read_csv(data_dir / SP_EXPERIENCES, delimiter=";", required=REQUIRED_COLUMNS):
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
        yield key, channel_from_flags(row), text


def _chunks(
    items: Iterator[tuple[str, str, str]], size: int
) -> Iterator[list[tuple[str, str, str]]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _not_stored(chunk: list[tuple[str, str, str]], stats: TableStats) -> list[tuple[str, str, str]]:
    """The chunk's rows not stored yet: a stored experience belongs to moderation now, it is
    never rewritten (counted unchanged)."""
    keys = [key for key, _channel, _text in chunk]
    stored: set[str | None] = set()
    for start in range(0, len(keys), BATCH_SIZE):
        stored.update(
            Experience.objects.filter(source_key__in=keys[start : start + BATCH_SIZE]).values_list(
                "source_key", flat=True
            )
        )
    stats.unchanged += len(stored)
    return [item for item in chunk if item[0] not in stored]


def _masked_experiences(
    rows: list[tuple[str, str, str]], network_id: int
) -> tuple[list[Experience], int]:
    """Unsaved experiences with masked title and body (no database access: runs in the worker
    thread), and the number of personal data items masked."""
    objects = []
    masked_total = 0
    for (key, channel, _text), masked in zip(
        rows, mask_many(text for _key, _channel, text in rows), strict=True
    ):
        masked_total += masked.count
        objects.append(
            Experience(
                source_key=key,
                network_id=network_id,
                contact_point_id=None,
                author_id=None,
                channel=channel,
                title=make_title(masked.text),
                body=masked.text,
                masked_items=min(masked.count, 32767),
                status=ExperienceStatus.PENDING,
                origin=ExperienceOrigin.IMPORTED,
            )
        )
    return objects, masked_total


def _write(objects: list[Experience], masked_total: int, *, stats: TableStats) -> int:
    created = Experience.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    # Rows written in bulk join the moderation queue here (their items, state pending).
    add_items(created)
    stats.created += len(objects)
    return masked_total


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
