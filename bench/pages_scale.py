"""Public pages at 10 M experiences against 10 k, on PostgreSQL (issue 7, "Performance").

Each volume lives in its own PostgreSQL database on the same server (`ecoute_bench_10k`,
`ecoute_bench_1m`, `ecoute_bench_10m`), migrated, loaded with the real reference data
(territories and the SP+ directory) and filled by COPY with generated experiences, skewed as a
national deployment would be: one contact point holds 7.3 % of them (730 k at 10 M), the
others follow a Zipf law, 8.5 % are pending or hidden (no publication date), 15 % of the
published ones are answered. Texts are real SP+ experiences cut at random places, so the French
full-text search has real words to index. A database already generated with the same size and
generator version is reused: the bench is rerunnable and only its first run pays the load.

Timing: two worker processes, one per database, each running Django's test client in-process
(view + ORM + database, no HTTP server). Requests alternate between the two workers, URL by URL,
so that whatever else loads the machine hits both sides alike. Every URL is requested WARMUP
times, then REPEAT times; p50 and p95 are reported with the ratio large / small.

    .venv/bin/python -m bench.pages_scale              # 10 k vs 1 M (pages and full text)
    .venv/bin/python -m bench.pages_scale --full       # adds 10 k vs 10 M for the pages
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres  (default)

Generated data is marked: every generated experience has origin "imported" and a
`source_key` starting with "bench:".
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GENERATOR_VERSION = "4"
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
LARGEST_SHARE = 0.073  # the skew: 730 k of 10 M on one contact point
UNPUBLISHED_SHARE = 0.085  # pending + hidden, no publication date (~850 k of 10 M)
ANSWERED_SHARE = 0.15
NETWORK_ONLY_SHARE = 0.03  # imported stories that name only a network
WARMUP = 5
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))  # requests per page and side, a multiple of 5
CHUNK = 200_000


def database_url(name: str) -> str:
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(size: int) -> str:
    label = f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1_000}k"
    return f"ecoute_bench_{label}"


# --- generation (runs in a subprocess whose DATABASE_URL is the target database) ------------


def _ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(SERVER_URL, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _stamp(cursor: Any) -> str | None:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_stamp (description text NOT NULL)")
    cursor.execute("SELECT description FROM bench_stamp")
    row = cursor.fetchone()
    return row[0] if row else None


def _texts() -> list[str]:
    path = ROOT / "data" / "sp-plus" / "experiences-pole-emploi-normalisees.csv"
    with path.open(encoding="utf-8") as handle:
        return [row["Description"] for row in csv.DictReader(handle, delimiter=";")]


def _pg_copy_text(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def generate(size: int) -> dict[str, Any]:
    """Fill the current database (DATABASE_URL) with `size` experiences; reuse when stamped."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ecoute.accounts.models import User
    from ecoute.catalogue.models import ContactPoint
    from ecoute.experiences.models import Answer, Experience

    description = f"v{GENERATOR_VERSION} size={size}"
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        if _stamp(cursor) == description:
            return {"reused": True, "size": size}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Answer, Experience):
            cursor.execute(f'TRUNCATE "{model._meta.db_table}" CASCADE')
        cursor.execute("DELETE FROM bench_stamp")
    if not ContactPoint.objects.exists():
        call_command("load_reference_data", "--only", "territories", verbosity=0)
        call_command("load_reference_data", "--only", "catalogue", verbosity=0)
    rng = random.Random(size)
    # The largest: the first counter of the directory (a real place with a commune).
    rows = ContactPoint.objects.filter(is_active=True).values_list(
        "id",
        "organisation__network_id",
        "organisation_id",
        "departement_id",
        "commune_id",
        "channel",
    )
    points = [row[:5] for row in sorted(rows, key=lambda row: (row[5] != "guichet", row[0]))]
    agent = User.objects.filter(username="bench-agent").first() or User.objects.create(
        username="bench-agent", email="bench-agent@example.invalid", password="!"
    )
    users = _ensure_users(connection, 20_000)
    largest = points[0]
    # Zipf weights over the others, shuffled so that the heavy ones are spread over networks.
    others = points[1:]
    rng.shuffle(others)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(others))]
    total = sum(weights)
    cumulative = []
    running = 0.0
    for weight in weights:
        running += weight / total
        cumulative.append(running)
    texts = _texts()
    networks = sorted({point[1] for point in points})
    experience_fields = _copy_fields(Experience)
    answer_fields = _copy_fields(Answer)
    table = Experience._meta.db_table
    dropped = _drop_secondary_indexes(connection, [table, Answer._meta.db_table])
    epoch = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    span = (dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - epoch).total_seconds()
    import bisect

    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER ALL')
        cursor.execute(f'ALTER TABLE "{Answer._meta.db_table}" DISABLE TRIGGER ALL')
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), 1, false)")
    next_id = 1
    answered: list[tuple[int, int, dt.datetime]] = []
    raw = connection.connection  # psycopg connection
    for chunk_start in range(0, size, CHUNK):
        count = min(CHUNK, size - chunk_start)
        buffer = io.StringIO()
        for _ in range(count):
            roll = rng.random()
            if roll < LARGEST_SHARE:
                point = largest
            elif roll < LARGEST_SHARE + NETWORK_ONLY_SHARE:
                point = None
            else:
                point = others[min(bisect.bisect(cumulative, rng.random()), len(others) - 1)]
            created = epoch + dt.timedelta(seconds=rng.random() * span)
            unpublished = rng.random() < UNPUBLISHED_SHARE
            status = ("pending" if rng.random() < 0.7 else "hidden") if unpublished else "published"
            published = None if unpublished else created + dt.timedelta(hours=rng.random() * 72)
            text = texts[rng.randrange(len(texts))]
            cut = rng.randrange(max(1, len(text) - 120)) if len(text) > 400 else 0
            body = text[cut : cut + rng.randrange(150, 600)] or text
            sentiment = rng.choice(["positive", "negative", "negative", ""])
            values = {
                "id": next_id,
                "author_id": users[rng.randrange(len(users))] if rng.random() < 0.8 else None,
                "contact_point_id": point[0] if point else None,
                "network_id": point[1] if point else networks[rng.randrange(len(networks))],
                "occurred_on": created.date(),
                "channel": rng.choice(["guichet", "telephone", "en_ligne", "courrier"]),
                "sentiment": sentiment,
                "title": " ".join(body.split()[:8])[:150] or "Expérience",
                "body": body,
                "status": status,
                "origin": "imported",
                "source_key": f"bench:{next_id}",
                "created_at": created,
                "published_at": published,
                "hidden_reason": "Généré (bench)" if status == "hidden" else "",
                # The place, copied from the contact point (as publish_experience does).
                "organisation_id": point[2] if point else None,
                "departement_id": point[3] if point else None,
                "commune_id": point[4] if point else None,
                # "Moi aussi": most stories get none, a few get many (sort by moi aussi).
                "metoo_count": int(rng.paretovariate(1.2)) - 1 if rng.random() < 0.3 else 0,
            }
            for rating in (
                "rating_satisfaction",
                "rating_delays",
                "rating_accessibility",
                "rating_simplicity",
                "rating_relationship",
            ):
                values[rating] = rng.randint(1, 5) if rng.random() < 0.9 else None
            if published and point and rng.random() < ANSWERED_SHARE:
                answered.append(
                    (next_id, point[2], published + dt.timedelta(days=rng.random() * 10))
                )
                values["is_answered"] = True
            buffer.write(_row(experience_fields, values))
            next_id += 1
        _copy(raw, table, experience_fields, buffer)
        print(
            f"  {database_name(size)}: {chunk_start + count:,} / {size:,}",
            file=sys.stderr,
            flush=True,
        )
    buffer = io.StringIO()
    for index, (experience_id, organisation_id, when) in enumerate(answered, start=1):
        values = {
            "id": index,
            "experience_id": experience_id,
            "author_id": agent.pk,
            "organisation_id": organisation_id,
            "body": "Bonjour, merci pour votre retour. Nous avons transmis à l'équipe concernée.",
            "created_at": when,
        }
        buffer.write(_row(answer_fields, values))
        if buffer.tell() > 50_000_000:
            _copy(raw, Answer._meta.db_table, answer_fields, buffer)
            buffer = io.StringIO()
    _copy(raw, Answer._meta.db_table, answer_fields, buffer)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER ALL')
        cursor.execute(f'ALTER TABLE "{Answer._meta.db_table}" ENABLE TRIGGER ALL')
        for model in (Experience, Answer):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{model._meta.db_table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{model._meta.db_table}"))'
            )
    _refresh_denormalised(connection)
    _restore_indexes(connection, dropped)
    from ecoute.experiences.models import Experience
    from ecoute.indicators.rollups import apply_experiences

    for point_id in [largest[0], *(row[0] for row in others[:50])]:
        apply_experiences(Experience.objects.published().filter(contact_point_id=point_id), 1)
    raw.autocommit = True
    raw.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_stamp (description) VALUES (%s)", [description])
    return {
        "reused": False,
        "size": size,
        "answers": len(answered),
        "seconds": round(time.perf_counter() - start, 1),
    }


def _ensure_users(connection: Any, count: int) -> list[int]:
    from ecoute.accounts.models import User

    existing = list(
        User.objects.filter(username__startswith="bench-user-").values_list("id", flat=True)
    )
    if len(existing) >= count:
        return existing
    now = dt.datetime.now(dt.UTC)
    User.objects.bulk_create(
        [
            User(
                username=f"bench-user-{index}",
                email=f"bench-user-{index}@example.invalid",
                password="!",
                email_confirmed_at=now,
            )
            for index in range(len(existing), count)
        ],
        batch_size=5_000,
    )
    return list(
        User.objects.filter(username__startswith="bench-user-").values_list("id", flat=True)
    )


def _copy_fields(model: Any) -> list[Any]:
    """Concrete, stored fields (generated columns are computed by the database)."""
    from django.db.models import GeneratedField

    return [field for field in model._meta.concrete_fields if not isinstance(field, GeneratedField)]


def _row(fields: list[Any], values: dict[str, Any]) -> str:
    out = []
    for field in fields:
        if field.attname in values:
            value = values[field.attname]
        elif f"__{field.attname}" in values:
            value = values[f"__{field.attname}"]
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif field.blank and field.get_internal_type() in {"CharField", "TextField"}:
            value = ""
        else:
            raise RuntimeError(f"bench generator does not know how to fill {field.attname}")
        out.append(_pg_copy_text(value))
    return "\t".join(out) + "\n"


def _copy(raw: Any, table: str, fields: list[Any], buffer: io.StringIO) -> None:
    columns = ", ".join(f'"{field.column}"' for field in fields)
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            copy.write(buffer.getvalue())
    raw.commit()


def _drop_secondary_indexes(connection: Any, tables: list[str]) -> list[str]:
    """Drop the indexes that back no constraint (faster COPY); return their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        rows = cursor.fetchall()
        for name, _definition in rows:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def _restore_indexes(connection: Any, definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for definition in definitions:
            print(f"  index: {definition[:100]}", file=sys.stderr, flush=True)
            cursor.execute(definition)


def _refresh_denormalised(connection: Any) -> None:
    """Counters kept by the actions (answers, supports), set once for the generated rows."""
    from ecoute.experiences.models import Experience

    names = {field.attname for field in Experience._meta.concrete_fields}
    table = Experience._meta.db_table
    with connection.cursor() as cursor:
        if "is_answered" in names:
            cursor.execute(
                f'UPDATE "{table}" e SET is_answered = true WHERE NOT e.is_answered AND EXISTS '
                "(SELECT 1 FROM experiences_answer a WHERE a.experience_id = e.id)"
            )
        if "answered_at" in names:
            cursor.execute(
                f'UPDATE "{table}" e SET answered_at = a.first FROM '
                "(SELECT experience_id, MIN(created_at) AS first FROM experiences_answer "
                "GROUP BY experience_id) a WHERE a.experience_id = e.id"
            )
        if "answer_count" in names:
            cursor.execute(
                f'UPDATE "{table}" e SET answer_count = a.n FROM '
                "(SELECT experience_id, COUNT(*) AS n FROM experiences_answer "
                "GROUP BY experience_id) a WHERE a.experience_id = e.id"
            )


# --- timing (worker processes) ------------------------------------------------------------


def worker(setup_urls: Callable[[], dict[str, str]] | None = None) -> None:
    """Read URLs on stdin, answer one JSON line of timings each (`--worker`); the URLs of
    `setup_urls` (default: the public pages below; bench.indicators_scale: its own)."""
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("setup"):
            sys.stdout.write(json.dumps((setup_urls or _setup_urls)()) + "\n")
            sys.stdout.flush()
            continue
        url, count = request["url"], request["count"]
        if request.get("explain"):
            sys.stdout.write(json.dumps(_buffers(client, url)) + "\n")
            sys.stdout.flush()
            continue
        timings = []
        status = 0
        for _ in range(count):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            status = response.status_code
        sys.stdout.write(json.dumps({"status": status, "timings": timings}) + "\n")
        sys.stdout.flush()


def _buffers(client: Any, url: str) -> dict[str, int]:
    """What the page costs the database, independent of the machine's load: the 8 kB pages
    (shared buffers hit or read) that its SELECT queries touch, by EXPLAIN (ANALYZE, BUFFERS)
    of each query the page ran, and the rows their plans produced or removed by a filter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    blocks = filtered = 0
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0][0]["Plan"]
            blocks += plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
            filtered += _removed_by_filter(plan)
    return {"queries": len(queries.captured_queries), "blocks": blocks, "filtered": filtered}


def _removed_by_filter(plan: dict[str, Any]) -> int:
    own = int(plan.get("Rows Removed by Filter", 0)) * int(plan.get("Actual Loops", 1))
    return own + sum(_removed_by_filter(child) for child in plan.get("Plans", []))


def _setup_urls() -> dict[str, str]:
    """URLs named after what they show; ids are those of this database."""
    from django.db.models import Count

    from ecoute.catalogue.models import ContactPoint
    from ecoute.experiences.models import Experience

    largest = (
        Experience.objects.values("contact_point_id")
        .exclude(contact_point=None)
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    point = ContactPoint.objects.select_related("organisation__network", "commune").get(
        pk=largest["contact_point_id"]
    )
    urls = {
        "home": "/",
        "list": "/experiences/",
        "largest contact point": f"/services/{point.pk}/",
        "search 'caf'": "/services/?q=caf",
        "search 'impots paris'": "/services/?q=impots+paris",
    }
    filters = {
        "network": f"reseau={point.organisation.network.slug}",
        "organisation": f"organisation={point.organisation_id}",
        "contact point": f"point={point.pk}",
        "département": f"departement={point.departement_id}",
        "commune": f"commune={point.commune_id}",
        "channel": "canal=telephone",
        "negative": "ressenti=negative",
        "answered": "reponse=oui",
        "not answered": "reponse=non",
        "period": "du=2024-01-01&au=2024-06-30",
        "full text 'dossier'": "q=dossier",
        "sort moi aussi": "tri=moi-aussi",
        "combined": f"reseau={point.organisation.network.slug}&canal=telephone&ressenti=negative",
        "combined with full text": f"departement={point.departement_id}&reponse=non&q=dossier",
    }
    for label, query in filters.items():
        urls[f"list, {label}"] = f"/experiences/?{query}"
    urls.update(_deep_pages(point))
    return urls


def _deep_pages(point: Any) -> dict[str, str]:
    """A cursor halfway down the full list and down the largest contact point's list: the
    signed position of the row in the middle, as the page before it would have linked."""
    from urllib.parse import urlencode

    from ecoute.common.pagination import _encode, _salt
    from ecoute.experiences.models import Experience

    ordering = ["-published_at", "-id"]
    salt = _salt(Experience, ordering)
    urls = {}
    published = Experience.objects.published()
    network = point.organisation.network
    for label, path, params, queryset in (
        ("list, halfway", "/experiences/", {}, published),
        (
            "largest contact point, halfway",
            f"/services/{point.pk}/",
            {},
            published.filter(contact_point=point),
        ),
        (
            "list, network, halfway",
            "/experiences/",
            {"reseau": network.slug},
            published.filter(network=network),
        ),
        (
            "list, channel, halfway",
            "/experiences/",
            {"canal": "telephone"},
            published.filter(channel="telephone"),
        ),
    ):
        count = queryset.count()
        row = queryset.order_by(*ordering).values_list("published_at", "id")[count // 2]
        cursor = _encode(list(row), salt=salt)
        urls[label] = f"{path}?{urlencode({**params, 'apres': cursor})}"
    return urls


class Worker:
    """A worker process (`python -m <module> --worker`) on one database."""

    def __init__(self, url: str, module: str = "bench.pages_scale") -> None:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", module, "--worker"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, request: dict[str, Any]) -> Any:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def compare(
    small: int,
    large: int,
    *,
    only: set[str] | None = None,
    module: str = "bench.pages_scale",
    name_of: Callable[[int], str] = database_name,
) -> dict[str, Any]:
    """Time each URL of the workers' setup on both databases, alternating (see the module)."""
    workers = {size: Worker(database_url(name_of(size)), module) for size in (small, large)}
    try:
        urls = {size: worker.ask({"setup": True}) for size, worker in workers.items()}
        results: dict[str, Any] = {}
        for name in urls[small]:
            if name not in urls[large] or (only and not any(o in name for o in only)):
                continue
            timings: dict[int, list[float]] = {small: [], large: []}
            statuses = {}
            for size in (small, large):
                workers[size].ask({"url": urls[size][name], "count": WARMUP})
            # Alternate in rounds of 5 so load on the machine hits both sides alike.
            for _round in range(REPEAT // 5):
                for size in (small, large):
                    answer = workers[size].ask({"url": urls[size][name], "count": 5})
                    timings[size].extend(answer["timings"])
                    statuses[size] = answer["status"]
            cost = {
                size: workers[size].ask({"url": urls[size][name], "count": 1, "explain": True})
                for size in (small, large)
            }
            p95 = {size: _percentile(timings[size], 0.95) * 1000 for size in timings}
            p50 = {size: statistics.median(timings[size]) * 1000 for size in timings}
            results[name] = {
                "status": [statuses[small], statuses[large]],
                "p50_ms": [round(p50[small], 2), round(p50[large], 2)],
                "p95_ms": [round(p95[small], 2), round(p95[large], 2)],
                "ratio_p50": round(p50[large] / p50[small], 2),
                "ratio_p95": round(p95[large] / p95[small], 2),
                "queries": [cost[small]["queries"], cost[large]["queries"]],
                "buffers": [cost[small]["blocks"], cost[large]["blocks"]],
                "ratio_buffers": round(cost[large]["blocks"] / max(1, cost[small]["blocks"]), 2),
                "rows_removed_by_filter": [cost[small]["filtered"], cost[large]["filtered"]],
            }
            print(f"  {name}: {results[name]}", file=sys.stderr, flush=True)
        return results
    finally:
        for worker in workers.values():
            worker.close()


def prepare(
    size: int, module: str = "bench.pages_scale", name_of: Callable[[int], str] = database_name
) -> dict[str, Any]:
    """Create the database if needed and generate it (`python -m <module> --generate`)."""
    _ensure_database(name_of(size))
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name_of(size)),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    completed = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", module, "--generate", str(size)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode:
        raise RuntimeError(f"generation of {size} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def signed_in_worker(username: str, setup_urls: Callable[[], dict[str, str]]) -> None:
    """A `--worker` loop (as `worker` above) signed in as `username`, the URLs of `setup_urls`.
    Used by the benches of pages for one role (bench.moderation_queue, bench.inbox_scale)."""
    import django

    django.setup()
    from django.test import Client

    from ecoute.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("setup"):
            answer: Any = setup_urls()
        elif request.get("explain"):
            answer = _buffers(client, request["url"])
        else:
            timings, status = [], 0
            for _ in range(request["count"]):
                start = time.perf_counter()
                response = client.get(request["url"])
                timings.append(time.perf_counter() - start)
                status = response.status_code
            answer = {"status": status, "timings": timings}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def comparison_main(
    *,
    description: str,
    label: str,
    module: str,
    name_of: Callable[[int], str],
    generate: Callable[[int], dict[str, Any]],
    worker: Callable[[], None],
    sizes: list[int],
) -> None:
    """The command line of a two-database comparison: `--sizes SMALL LARGE`, `--only NAME`;
    writes bench/results/<label>-<small db>-vs-<large db>-<date>.json."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", nargs=2, type=int, default=sizes)
    parser.add_argument("--only", action="append", help="only URLs whose name contains this")
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    if args.generate:
        print(json.dumps(generate(args.generate)))
        return
    small, large = args.sizes
    generated = {size: prepare(size, module, name_of) for size in (small, large)}
    pages = compare(small, large, only=set(args.only or []), module=module, name_of=name_of)
    result = {"generated": generated, "pages": pages}
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    out = RESULTS / f"{label}-{name_of(small)}-vs-{name_of(large)}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


def run(full: bool = False) -> dict[str, Any]:
    sizes = (10_000, 1_000_000, 10_000_000) if full else (10_000, 1_000_000)
    generated = {size: prepare(size) for size in sizes}
    result: dict[str, Any] = {"generated": generated}
    result["pages 1M vs 10k"] = compare(10_000, 1_000_000)
    if full:
        result["pages 10M vs 10k"] = compare(10_000, 10_000_000)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"pages_scale-{stamp}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--compare", nargs=2, type=int, metavar=("SMALL", "LARGE"))
    parser.add_argument("--only", action="append", help="only URLs whose name contains this")
    args = parser.parse_args()
    if args.worker:
        worker()
    elif args.generate:
        print(json.dumps(generate(args.generate)))
    elif args.compare:
        small, large = args.compare
        for size in (small, large):
            prepare(size)
        result = compare(small, large, only=set(args.only or []))
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
        out = RESULTS / f"pages_scale-{database_name(small)}-vs-{database_name(large)}-{stamp}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        print(json.dumps(result, indent=2))
    else:
        print(json.dumps(run(full=args.full), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
