"""Debate pages at 100,000 contributions and 5,000,000 votes against 100 contributions, on
PostgreSQL (issue 11).

Each volume lives in its own database (`ecoute_bench_debate_100`, `ecoute_bench_debate_100k`),
migrated and filled by COPY: one open consultation with one "Propositions" section of `size`
contributions (3 pinned), 50 votes each from a pool of 20,000 accounts (5 M votes at 100 k;
the counters match the rows), arguments counts spread 0–40 for "most discussed", and one
contribution carrying the heavy argument thread: 10,000 arguments (half pour, half contre) on
the large database, 10 on the small one. A database already generated with the same size and
generator version is reused.

Timed pages (signed in, Django's test client in-process, alternating rounds as
bench/pages_scale.py): the section's first page in each order (ordonné puis aléatoire, most
voted, most discussed, newest, oldest), a page halfway through the most voted, a contribution's
page, the heavy contribution's page and a page halfway through its "pour" arguments.
Target: each within 1.5× of the small database.

    .venv/bin/python -m bench.debate_pages            # 100 vs 100 k
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres  (default)

Generated rows are marked: the consultation's `source_key` is "bench-debate".
"""

from __future__ import annotations

import datetime as dt
import io
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
    _ensure_users,
    _restore_indexes,
    _row,
    _stamp,
)

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = "1"
VOTES_PER_CONTRIBUTION = 50
VOTER_POOL = 20_000
STEP = 397  # distinct voters per contribution: 397 * 49 < VOTER_POOL
PINNED = 3
CHUNK = 20_000
USER = "bench-debater"
MODULE = "bench.debate_pages"
SLUG = "bench-debat"
SECTION = "propositions"


def database_name(size: int) -> str:
    label = f"{size // 1_000}k" if size >= 1_000 else str(size)
    return f"ecoute_bench_debate_{label}"


def heavy_arguments(size: int) -> int:
    return 10_000 if size >= 10_000 else 10


def generate(size: int) -> dict[str, Any]:
    """Fill the current database (DATABASE_URL); reuse it when stamped with this description."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from ecoute.accounts.models import User
    from ecoute.consultations.models import Consultation, Phase
    from ecoute.debates.models import Argument, Contribution, Section, Vote

    description = f"debate v{GENERATOR_VERSION} size={size}"
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        if _stamp(cursor) == description:
            return {"reused": True, "size": size}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute('TRUNCATE "consultations_consultation" CASCADE')
        cursor.execute("DELETE FROM bench_stamp")
    voters = _ensure_users(connection, VOTER_POOL)[:VOTER_POOL]
    user, _created = User.objects.get_or_create(
        username=USER,
        defaults={
            "email": "bench-debater@example.invalid",
            "password": "!",
            "email_confirmed_at": timezone.now(),
        },
    )
    today = timezone.localdate()
    consultation = Consultation.objects.create(
        slug=SLUG,
        title="Consultation générée (bench)",
        source_key="bench-debate",
        published_at=timezone.now(),
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=30),
    )
    Phase.objects.create(
        consultation=consultation,
        title="Participation",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
    )
    section = Section.objects.create(
        consultation=consultation, kind="propositions", title="Propositions", slug=SECTION
    )
    rng = random.Random(size)
    contribution_fields = _copy_fields(Contribution)
    vote_fields = _copy_fields(Vote)
    argument_fields = _copy_fields(Argument)
    tables = [Contribution._meta.db_table, Vote._meta.db_table, Argument._meta.db_table]
    dropped = _drop_secondary_indexes(connection, tables)
    raw = connection.connection
    epoch = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    values = ("pour", "contre", "mitige")
    counters = {"pour": "votes_for", "contre": "votes_against", "mitige": "votes_mixed"}
    heavy = heavy_arguments(size)
    vote_id = 1
    for chunk_start in range(0, size, CHUNK):
        count = min(CHUNK, size - chunk_start)
        contributions, votes = io.StringIO(), io.StringIO()
        for offset in range(count):
            pk = chunk_start + offset + 1
            created = epoch + dt.timedelta(seconds=pk * 60)
            tally = {"votes_for": 0, "votes_against": 0, "votes_mixed": 0}
            lean = rng.random()
            for k in range(VOTES_PER_CONTRIBUTION):
                value = values[0 if rng.random() < lean else 1 + (rng.random() < 0.3)]
                tally[counters[value]] += 1
                votes.write(
                    _row(
                        vote_fields,
                        {
                            "id": vote_id,
                            "contribution_id": pk,
                            "user_id": voters[(pk * 7 + k * STEP) % VOTER_POOL],
                            "value": value,
                            "created_at": created,
                            "updated_at": created,
                        },
                    )
                )
                vote_id += 1
            contributions.write(
                _row(
                    contribution_fields,
                    {
                        "id": pk,
                        "section_id": section.pk,
                        "author_id": voters[pk % VOTER_POOL],
                        "title": f"Proposition générée n° {pk}",
                        "body": "Ouvrir des classes préparatoires aux concours dans chaque "
                        "département, avec une bourse pour les élèves boursiers.",
                        "pinned": pk <= PINNED,
                        "created_at": created,
                        "visibility": "published",
                        "published_at": created,
                        "votes_total": VOTES_PER_CONTRIBUTION,
                        "arguments_count": heavy if pk == PINNED + 1 else rng.randint(0, 40),
                        "shuffle_key": rng.randrange(2**31 - 1),
                        **tally,
                    },
                )
            )
        _copy(raw, tables[0], contribution_fields, contributions)
        _copy(raw, tables[1], vote_fields, votes)
        print(f"  {database_name(size)}: {chunk_start + count:,} / {size:,}", file=sys.stderr)
    arguments = io.StringIO()
    for index in range(heavy):
        created = epoch + dt.timedelta(seconds=index)
        arguments.write(
            _row(
                argument_fields,
                {
                    "id": index + 1,
                    "contribution_id": PINNED + 1,
                    "author_id": voters[index % VOTER_POOL],
                    "side": "pour" if index % 2 else "contre",
                    "body": f"Argument généré n° {index + 1} : la mesure a fait ses preuves.",
                    "votes_count": rng.randint(0, 60),
                    "created_at": created,
                    "visibility": "published",
                    "published_at": created,
                },
            )
        )
    _copy(raw, tables[2], argument_fields, arguments)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
    _restore_indexes(connection, dropped)
    raw.autocommit = True
    raw.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_stamp (description) VALUES (%s)", [description])
    return {
        "reused": False,
        "size": size,
        "votes": vote_id - 1,
        "heavy_arguments": heavy,
        "seconds": round(time.perf_counter() - start, 1),
    }


# --- timing (worker processes) ------------------------------------------------------------


def worker() -> None:
    pages_scale.signed_in_worker(USER, _setup_urls)


def _setup_urls() -> dict[str, str]:
    from urllib.parse import urlencode

    from ecoute.common.pagination import _encode, _salt
    from ecoute.debates.models import Argument, Contribution

    base = f"/consultations/{SLUG}/debats/{SECTION}/"
    urls = {
        f"section, {label}": f"{base}?tri={sort}"
        for label, sort in (
            ("ordonné puis aléatoire", "aleatoire"),
            ("most voted", "votes"),
            ("most discussed", "debattues"),
            ("newest", "recentes"),
            ("oldest", "anciennes"),
        )
    }
    published = Contribution.objects.filter(visibility="published")
    ordering = ["-arguments_count", "-id"]
    row = published.order_by(*ordering).values_list("arguments_count", "id")[published.count() // 2]
    cursor = _encode(list(row), salt=_salt(Contribution, ordering))
    urls["section, most discussed, halfway"] = (
        f"{base}?{urlencode({'tri': 'debattues', 'apres': cursor})}"
    )
    urls["contribution"] = f"/consultations/{SLUG}/contributions/{PINNED + 2}/"
    heavy = f"/consultations/{SLUG}/contributions/{PINNED + 1}/"
    urls["contribution, heavy argument thread"] = heavy
    arguments = Argument.objects.filter(contribution_id=PINNED + 1, side="pour")
    ordering = ["-votes_count", "-id"]
    row = arguments.order_by(*ordering).values_list("votes_count", "id")[arguments.count() // 2]
    cursor = _encode(list(row), salt=_salt(Argument, ordering))
    urls["contribution, arguments halfway"] = f"{heavy}?{urlencode({'apres_pour': cursor})}"
    return urls


def main() -> None:
    pages_scale.comparison_main(
        description=__doc__ or "",
        label="debate_pages",
        module=MODULE,
        name_of=database_name,
        generate=generate,
        worker=worker,
        sizes=[100, 100_000],
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
