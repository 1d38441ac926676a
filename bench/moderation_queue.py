"""The moderation queue at 1 M items waiting against 1 k, on PostgreSQL (issue 8).

Each volume lives in its own PostgreSQL database on the same server (`ecoute_bench_modq_1k`,
`ecoute_bench_modq_1m`), migrated and filled by COPY: `size` pending experiences, each with its
moderation item (the queue reads items, then the 20 experiences of the page), plus 5 % as many
hidden ones (the trash). Skewed as a national queue would be: 30 % imported, 0.5 % reported
(1 to 3 open reports), networks and départements Zipf-distributed, creation dates over seven
years. A database already generated with the same size and generator version is reused: the
bench is rerunnable and only its first run pays the load.

Timing: as bench/pages_scale.py — two worker processes (one per database) running Django's
test client in-process as a signed-in moderator; requests alternate between them in rounds of
5 after WARMUP; p50 / p95 and the ratio large / small, plus each page's database cost (buffers
touched by its SELECTs, rows thrown away by filters), which the machine's load does not change.

    .venv/bin/python -m bench.moderation_queue            # 1 k vs 1 M
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres  (default)

Generated data is marked: experiences have `source_key` "bench-modq:<id>".
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench import pages_scale
from bench.pages_scale import (
    _copy,
    _copy_fields,
    _drop_secondary_indexes,
    _restore_indexes,
    _row,
    _stamp,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GENERATOR_VERSION = "1"
HIDDEN_SHARE = 0.05
IMPORTED_SHARE = 0.30
REPORTED_SHARE = 0.005
NETWORKS = 12
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "974"]
WARMUP = 5
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
CHUNK = 200_000
MODERATOR = "bench-moderator"
MODULE = "bench.moderation_queue"


def database_name(size: int) -> str:
    label = f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1_000}k"
    return f"ecoute_bench_modq_{label}"


def _zipf(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect(cumulative, rng.random()), len(cumulative) - 1)


def _cumulative(count: int) -> list[float]:
    weights = [1 / (rank + 1) ** 1.05 for rank in range(count)]
    total, running, out = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        out.append(running)
    return out


def generate(size: int) -> dict[str, Any]:
    """Fill the current database (DATABASE_URL) with `size` waiting items; reuse when stamped."""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from ecoute.accounts.models import User
    from ecoute.catalogue.models import Network
    from ecoute.experiences.models import Experience
    from ecoute.moderation.models import ModerationItem, priority_of

    description = f"modq v{GENERATOR_VERSION} size={size}"
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        if _stamp(cursor) == description:
            return {"reused": True, "size": size}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (ModerationItem, Experience):
            cursor.execute(f'TRUNCATE "{model._meta.db_table}" CASCADE')
        cursor.execute("DELETE FROM bench_stamp")
    if not User.objects.filter(username=MODERATOR).exists():
        User.objects.create(
            username=MODERATOR, email="bench-moderator@example.invalid", password="!"
        )
    User.objects.filter(username=MODERATOR).update(is_moderator=True)
    networks = [
        Network.objects.get_or_create(slug=f"bench-modq-{i}", defaults={"name": f"Réseau {i}"})[
            0
        ].pk
        for i in range(NETWORKS)
    ]
    experience_type = ContentType.objects.get_for_model(Experience)
    rng = random.Random(size)
    network_weights = _cumulative(len(networks))
    departement_weights = _cumulative(len(DEPARTEMENTS))
    texts = [
        "Deux heures d'attente au guichet pour un simple justificatif, personne ne répond.",
        "Dossier perdu deux fois, il a fallu tout renvoyer par courrier recommandé.",
        "Accueil aimable, mais le site ne permet pas de prendre rendez-vous en ligne.",
    ]
    experience_fields = _copy_fields(Experience)
    item_fields = _copy_fields(ModerationItem)
    tables = [Experience._meta.db_table, ModerationItem._meta.db_table]
    dropped = _drop_secondary_indexes(connection, tables)
    epoch = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    span = (dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - epoch).total_seconds()
    total = size + int(size * HIDDEN_SHARE)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER ALL')
    raw = connection.connection
    next_id = 1
    for chunk_start in range(0, total, CHUNK):
        count = min(CHUNK, total - chunk_start)
        experiences, items = io.StringIO(), io.StringIO()
        for _ in range(count):
            hidden = next_id > size
            created = epoch + dt.timedelta(seconds=rng.random() * span)
            network = networks[_zipf(rng, network_weights)]
            departement = DEPARTEMENTS[_zipf(rng, departement_weights)]
            imported = rng.random() < IMPORTED_SHARE
            reports = rng.randint(1, 3) if not hidden and rng.random() < REPORTED_SHARE else 0
            title = f"Expérience générée n° {next_id}"
            status = "hidden" if hidden else "pending"
            reason = "Généré (bench)" if hidden else ""
            experiences.write(
                _row(
                    experience_fields,
                    {
                        "id": next_id,
                        "network_id": network,
                        "title": title,
                        "body": texts[next_id % len(texts)],
                        "status": status,
                        "origin": "imported" if imported else "user",
                        "source_key": f"bench-modq:{next_id}",
                        "created_at": created,
                        "hidden_reason": reason,
                    },
                )
            )
            origin = "imported" if imported else "new"
            items.write(
                _row(
                    item_fields,
                    {
                        "id": next_id,
                        "content_type_id": experience_type.pk,
                        "object_id": next_id,
                        "kind": "experience",
                        "state": status,
                        "reason": reason,
                        "title": title,
                        "network_id": network,
                        "departement": departement,
                        "origin": origin,
                        "open_reports": reports,
                        "priority": int(priority_of(origin=origin, open_reports=reports)),
                        "awaiting": not hidden,
                        "created_at": created,
                        "decided_at": created + dt.timedelta(days=2) if hidden else None,
                    },
                )
            )
            next_id += 1
        _copy(raw, tables[0], experience_fields, experiences)
        _copy(raw, tables[1], item_fields, items)
        print(f"  {database_name(size)}: {chunk_start + count:,} / {total:,}", file=sys.stderr)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER ALL')
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
    _restore_indexes(connection, dropped)
    raw.autocommit = True
    raw.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_stamp (description) VALUES (%s)", [description])
    return {"reused": False, "size": size, "seconds": round(time.perf_counter() - start, 1)}


# --- timing (worker processes) ------------------------------------------------------------


def worker() -> None:
    """Read URLs on stdin, answer one JSON line of timings each (`--worker`)."""
    pages_scale.signed_in_worker(MODERATOR, _setup_urls)


def _setup_urls() -> dict[str, str]:
    """URLs named after what they show; values are those of this database."""
    from urllib.parse import urlencode

    from django.db.models import Count

    from ecoute.common.pagination import _encode, _salt
    from ecoute.moderation.models import QUEUE_ORDER, ModerationItem

    waiting = ModerationItem.objects.filter(awaiting=True)
    network = (
        waiting.values("network_id").annotate(n=Count("id")).order_by("-n").first()["network_id"]
    )
    urls = {
        "queue": "/moderation/",
        "queue, type": "/moderation/?type=experience",
        "queue, network": f"/moderation/?reseau={network}",
        "queue, département": "/moderation/?departement=01",
        "queue, imported": "/moderation/?origine=imported",
        "queue, reported": "/moderation/?signale=oui",
        "queue, older than 30 days": "/moderation/?age=30",
        "queue, network + imported": f"/moderation/?reseau={network}&origine=imported",
        "trash": "/moderation/corbeille/",
    }
    count = waiting.count()
    row = waiting.order_by(*QUEUE_ORDER).values_list(*QUEUE_ORDER)[count // 2]
    cursor = _encode(list(row), salt=_salt(ModerationItem, QUEUE_ORDER))
    urls["queue, halfway"] = f"/moderation/?{urlencode({'apres': cursor})}"
    return urls


def main() -> None:
    pages_scale.comparison_main(
        description=__doc__ or "",
        label="moderation_queue",
        module=MODULE,
        name_of=database_name,
        generate=generate,
        worker=worker,
        sizes=[1_000, 1_000_000],
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
