"""Indicators at 10 M experiences against 10 k, on PostgreSQL (issue 10, "Performance").

On the databases of bench/pages_scale.py (`ecoute_bench_10k`, `ecoute_bench_10m`: generated
once, reused; its generator marks every experience "bench:<id>"):

- `rebuild`: the full rebuild of the roll-ups (`rollups.rebuild`, what
  `manage.py rebuild_indicator_rollups` runs) timed on the large database: rows read and
  written, seconds, peak memory of the PostgreSQL backend (VmHWM) and of Python.
- `duckdb`: the same rows exported once (published experiences with a date: ratings, place,
  month; `COPY … TO STDOUT` into a CSV, then a Parquet file by DuckDB — the export, timed
  apart), then DuckDB computing the same roll-ups from the Parquet file (best of 2), the ratio
  rebuild ÷ DuckDB, and a check that both give the same rows: row count and sums per
  indicator × scope kind × period kind, and 500 random keys compared one by one.
- `incremental`: 10,000 new published experiences on 2,000 random contact points of the
  directory over the last 30 days, rolled up by `apply_experience_ids` on the large database,
  twice per round: the first batch of the month (its month keys are new) and the next one
  (every key exists). The roll-up table is VACUUMed first, as autovacuum would; both batches
  and their roll-ups are rolled back, so the database stays as generated.
- `pages`: p95 of the indicator pages on both databases (the pages_scale harness: two worker
  processes alternating request by request): the largest contact point's page (its indicators
  table), the national results, the SP+ barometer when it exists, an indicator's page (map of
  the départements), the largest département's results, the largest network's results; the
  SP+ barometer's index and its edition in force (when one is published:
  `manage.py prepare_barometer_edition 2026-S1 --publish` on each database).

    .venv/bin/python -m bench.indicators_scale                    # everything, 10 k vs 10 M
    .venv/bin/python -m bench.indicators_scale rebuild duckdb     # some steps
    .venv/bin/python -m bench.indicators_scale --sizes 10000 1000000 pages

Writes bench/results/indicators_scale-<date>.json. Generating the 10 M database takes about an
hour the first time (bench/pages_scale.py); `python -m bench` runs none of this by default
(`run(full=True)` does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import pages_scale

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MODULE = "bench.indicators_scale"
EXPORT = ROOT / "var" / "bench-indicators-export"  # var/ is not versioned
STEPS = ("rebuild", "duckdb", "incremental", "pages")
SAMPLE_KEYS = 500
DUCKDB_RUNS = 2  # best of, per thread count


def _backend_memory(cursor: Any) -> dict[str, int | None]:
    """Peak and current resident memory (kB) of this connection's backend, if on this machine."""
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    found: dict[str, int | None] = {"VmHWM": None, "VmRSS": None}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _sep, value = line.partition(":")
            if name in found:
                found[name] = int(value.split()[0])
    except OSError:
        pass
    return {"backend_peak_kb": found["VmHWM"], "backend_rss_kb": found["VmRSS"]}


# --- steps run inside a subprocess on one database (DATABASE_URL) -------------------------


def step_rebuild() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from bench.indicators_rollup import renice
    from ecoute.experiences.models import Experience
    from ecoute.indicators.rollups import rebuild

    call_command("migrate", verbosity=0, interactive=False)
    reniced = renice()
    published = Experience.objects.published().filter(occurred_on__isnull=False).count()
    with connection.cursor() as cursor:
        before = _backend_memory(cursor)
    start = time.perf_counter()
    rows = rebuild()
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        memory = _backend_memory(cursor)
        cursor.execute("VACUUM ANALYZE indicators_indicatorrollup")
        cursor.execute("SELECT pg_total_relation_size('indicators_indicatorrollup')")
        size = cursor.fetchone()[0]
    return {
        "published_dated_experiences": published,
        "reniced": reniced,
        "rollup_rows": rows,
        "seconds": round(seconds, 1),
        "backend_peak_kb_before": before["backend_peak_kb"],
        **memory,
        "python_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "rollup_table_bytes": size,
    }


EXPORT_SQL = """
    SELECT e.contact_point_id AS cp, e.organisation_id AS org, COALESCE(o.path, '') AS path,
           e.network_id AS net, e.commune_id AS com, e.departement_id AS dep, d.region_id AS reg,
           date_trunc('month', e.occurred_on)::date AS month,
           e.rating_satisfaction, e.rating_delays, e.rating_accessibility, e.rating_simplicity,
           e.rating_relationship
    FROM experiences_experience e
    LEFT JOIN catalogue_organisation o ON o.id = e.organisation_id
    LEFT JOIN territories_departement d ON d.code = e.departement_id
    WHERE e.status = 'published' AND e.occurred_on IS NOT NULL
"""


def _duckdb_sql(parquet: Path) -> str:
    """The roll-ups of indicators.felt_sql in DuckDB's SQL: same keys, same sums."""
    from ecoute.indicators.definitions import BY_RATING, SATISFIED_FROM
    from ecoute.indicators.models import NATION_KEY, SCOPES_WITHOUT_MONTHS

    counts = ", ".join(
        f"count(*) FILTER (WHERE rating_{key} >= {SATISFIED_FROM}) AS {key}_n, "
        f"count(rating_{key}) AS {key}_d, coalesce(sum(rating_{key}), 0) AS {key}_s"
        for key in BY_RATING
    )
    indicators = ", ".join(
        f"{{'slug': '{i.slug}', 'n': {key}_n, 'd': {key}_d, 's': {key}_s}}"
        for key, i in BY_RATING.items()
    )
    monthless = ", ".join(f"'{kind}'" for kind in sorted(SCOPES_WITHOUT_MONTHS))
    scopes = f"""list_concat(
        [{{'kind': 'nation', 'key': '{NATION_KEY}'}},
         {{'kind': 'contact_point', 'key': cp::varchar}},
         {{'kind': 'network', 'key': net::varchar}},
         {{'kind': 'commune', 'key': com}},
         {{'kind': 'departement', 'key': dep}},
         {{'kind': 'region', 'key': reg}}],
        list_transform(
            list_distinct(list_filter(
                list_concat(string_split(trim(path, '/'), '/'), [org::varchar]),
                lambda x: x IS NOT NULL AND x <> '')),
            lambda x: {{'kind': 'organisation', 'key': x}}))"""
    periods = """[{'kind': 'month', 'start': month},
        {'kind': 'semester',
         'start': make_date(year(month), CASE WHEN month(month) <= 6 THEN 1 ELSE 7 END, 1)},
        {'kind': 'year', 'start': make_date(year(month), 1, 1)}]"""
    # Several unnest() in one select list are zipped, not crossed: one level each.
    return f"""
        WITH g AS (
            SELECT cp, org, path, net, com, dep, reg, month, {counts}
            FROM read_parquet('{parquet}') GROUP BY ALL
        ),
        l AS (SELECT {scopes} AS scopes, {periods} AS periods, [{indicators}] AS inds FROM g),
        s AS (SELECT unnest(scopes) AS sc, periods, inds FROM l),
        sp AS (SELECT sc, unnest(periods) AS p, inds FROM s),
        spi AS (SELECT sc, p, unnest(inds) AS i FROM sp)
        SELECT i.slug AS indicator, sc.kind AS scope_kind, sc.key AS scope_key,
               p.kind AS period_kind, p.start AS period_start,
               sum(i.n)::bigint AS numerator, sum(i.d)::bigint AS denominator,
               sum(i.s)::bigint AS total
        FROM spi
        WHERE sc.key IS NOT NULL AND i.d > 0
          AND NOT (p.kind = 'month' AND sc.kind IN ({monthless}))
        GROUP BY ALL
    """  # noqa: S608 (constants only)


def export() -> dict[str, Any]:
    """The rows the rebuild reads, from PostgreSQL into EXPORT/rows.parquet (CSV by COPY, then
    Parquet by DuckDB); its figures kept beside it (export.json)."""
    import duckdb
    from django.db import connection

    from bench.indicators_rollup import renice

    renice()
    EXPORT.mkdir(parents=True, exist_ok=True)
    csv_path, parquet = EXPORT / "rows.csv", EXPORT / "rows.parquet"
    start = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor, csv_path.open("wb") as out:
        with cursor.copy(f"COPY ({EXPORT_SQL}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for data in copy:
                out.write(data)
    copied = time.perf_counter() - start
    types = {
        "cp": "BIGINT",
        "org": "BIGINT",
        "path": "VARCHAR",
        "net": "BIGINT",
        "com": "VARCHAR",
        "dep": "VARCHAR",
        "reg": "VARCHAR",
        "month": "DATE",
        **{
            f"rating_{key}": "SMALLINT"
            for key in ("satisfaction", "delays", "accessibility", "simplicity", "relationship")
        },
    }
    duck = duckdb.connect()
    duck.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header = true, columns = {types!r})) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    figures = {
        "database": connection.settings_dict["NAME"],
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "rows_exported": duck.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()[
            0
        ],
        "export_seconds": round(time.perf_counter() - start, 1),
        "export_copy_seconds": round(copied, 1),
        "load": os.getloadavg(),
        "parquet_bytes": parquet.stat().st_size,
    }
    csv_path.unlink()
    (EXPORT / "export.json").write_text(json.dumps(figures), encoding="utf-8")
    return figures


def step_duckdb() -> dict[str, Any]:
    """DuckDB computing the roll-ups from the export (made now, or reused with
    BENCH_REUSE_EXPORT=1 when it is of this database: the data does not change once
    generated), best of DUCKDB_RUNS with one thread and with every core; then the check."""
    import duckdb
    from django.db import connection

    from bench.indicators_rollup import renice
    from ecoute.indicators.definitions import FELT

    reniced = renice()  # this process: DuckDB runs in it
    parquet = EXPORT / "rows.parquet"
    kept = EXPORT / "export.json"
    figures = json.loads(kept.read_text()) if kept.exists() else {}
    reused = (
        os.environ.get("BENCH_REUSE_EXPORT") == "1"
        and parquet.exists()
        and figures.get("database") == connection.settings_dict["NAME"]
    )
    if not reused:
        figures = export()
    duck = duckdb.connect()
    rows = figures["rows_exported"]
    sql = _duckdb_sql(parquet)
    timings: dict[str, list[float]] = {}
    for threads in (1, os.cpu_count() or 1):
        duck.execute(f"SET threads = {threads}")
        for _ in range(DUCKDB_RUNS):
            duck.execute("DROP TABLE IF EXISTS rollups")
            began = time.perf_counter()
            duck.execute(f"CREATE TABLE rollups AS {sql}")
            timings.setdefault(f"threads={threads}", []).append(
                round(time.perf_counter() - began, 2)
            )
    result: dict[str, Any] = {
        "rows_exported": rows,
        "reniced": reniced,
        "export": figures,
        "export_reused": reused,
        "duckdb_version": duckdb.__version__,
        "duckdb_seconds": timings,
        "duckdb_best_seconds": {name: min(values) for name, values in timings.items()},
        "duckdb_rows": duck.execute("SELECT count(*) FROM rollups").fetchone()[0],
        "python_and_duckdb_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    result["check"] = _compare(duck, [indicator.slug for indicator in FELT])
    return result


def _compare(duck: Any, felt: list[str]) -> dict[str, Any]:
    """Same rows in DuckDB and in IndicatorRollup: counts and sums per indicator × scope kind ×
    period kind, and SAMPLE_KEYS random keys one by one."""
    from django.db import connection

    summary = (
        "SELECT indicator, scope_kind, period_kind, count(*), sum(numerator), sum(denominator), "
        "sum(total) FROM {table} WHERE {where} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )
    ours = duck.execute(summary.format(table="rollups", where="true")).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(
            summary.format(
                table="indicators_indicatorrollup",
                where="indicator = ANY(%s) AND NOT (numerator = 0 AND denominator = 0 "
                "AND total = 0)",
            ),
            [felt],
        )
        theirs = cursor.fetchall()
        sample = duck.execute(
            "SELECT indicator, scope_kind, scope_key, period_kind, period_start, numerator, "
            f"denominator, total FROM rollups USING SAMPLE {SAMPLE_KEYS} ROWS (reservoir, 10)"
        ).fetchall()
        cursor.execute(
            "SELECT r.indicator, r.scope_kind, r.scope_key, r.period_kind, r.period_start, "
            "r.numerator, r.denominator, r.total FROM indicators_indicatorrollup r "
            "JOIN unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::date[]) "
            "AS k (indicator, scope_kind, scope_key, period_kind, period_start) "
            "USING (indicator, scope_kind, scope_key, period_kind, period_start)",
            [list(column) for column in zip(*(row[:5] for row in sample), strict=True)],
        )
        found = {tuple(row) for row in cursor.fetchall()}
    normalise = [tuple(int(v) if isinstance(v, int | float) else v for v in row) for row in ours]
    return {
        "groups": len(ours),
        "summary_equal": normalise == [tuple(row) for row in theirs],
        "rollup_rows_duckdb": sum(row[3] for row in ours),
        "rollup_rows_postgres": sum(row[3] for row in theirs),
        "sample_keys": len(sample),
        "sample_equal": sum(1 for row in sample if tuple(row) in found),
    }


def step_incremental(rounds: int = 3, batch: int = 10_000) -> dict[str, Any]:
    from django.db import connection, transaction

    from bench.indicators_rollup import backend_cpu, new_batch, renice, updates, vacuum
    from ecoute.catalogue.models import ContactPoint
    from ecoute.indicators.models import IndicatorRollup
    from ecoute.indicators.rollups import apply_experience_ids

    reniced = renice()
    rng = random.Random(10)
    candidates = list(
        ContactPoint.objects.filter(
            is_active=True, organisation__isnull=False, departement__isnull=False
        ).values_list("pk", flat=True)
    )
    points = list(
        ContactPoint.objects.filter(pk__in=rng.sample(candidates, 2000)).select_related(
            "organisation"
        )
    )

    def timed(ids: list[int]) -> dict[str, Any]:
        cpu = backend_cpu()
        started = time.perf_counter()
        apply_experience_ids(ids, 1)
        seconds = time.perf_counter() - started
        cpu_after = backend_cpu()
        return {
            "seconds": round(seconds, 3),
            "backend_cpu_seconds": None
            if cpu is None or cpu_after is None
            else round(cpu_after - cpu, 2),
            "load": os.getloadavg(),
        }

    # Each round: the first batch of a month (its month keys are new: inserted) then a second
    # one on the same points (every key exists: updated), rolled back together.
    rounds_out = []
    for _ in range(rounds):
        vacuum()
        before = updates()
        with transaction.atomic():
            first = timed(new_batch(points, batch, rng, 30))
            second = timed(new_batch(points, batch, rng, 30))
            transaction.set_rollback(True)
        after = updates()
        share = round((after[1] - before[1]) / max(1, after[0] - before[0]), 2)
        rounds_out.append({"first_batch": first, "next_batch": second, "hot_share": share})
        print(f"  incremental: {rounds_out[-1]}", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM indicators_indicatorrollup")
    return {
        "batch": batch,
        "reniced": reniced,
        "rollup_rows": IndicatorRollup.objects.count(),
        "rounds": rounds_out,
    }


# --- pages (worker processes of the pages_scale harness) ---------------------------------


def _setup_urls() -> dict[str, str]:
    """The indicator pages, named after what they show; keys are those of this database."""
    from django.db.models import Count
    from django.urls import Resolver404, resolve

    from ecoute.catalogue.models import Network
    from ecoute.experiences.models import Experience

    def largest(field: str) -> Any:
        return (
            Experience.objects.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list(field, flat=True)
            .first()
        )

    network = Network.objects.get(pk=largest("network_id"))
    urls = {
        "largest contact point": f"/services/{largest('contact_point_id')}/",
        "national results": "/resultats/",
        "indicator satisfaction": "/indicateurs/satisfaction/",
        "largest département": f"/resultats/departements/{largest('departement_id')}/",
        "largest network": f"/resultats/reseaux/{network.slug}/",
    }
    try:
        resolve("/barometre/")
    except Resolver404:
        return urls
    # The SP+ barometer (decision 0021): its index, and the edition in force of the newest
    # semester with its largest département (prepare_barometer_edition … --publish first).
    from ecoute.barometre.models import Edition

    urls["SP+ barometer"] = "/barometre/"
    edition = Edition.objects.filter(status="published", is_current=True).order_by("-year", "-half")
    current = edition.first()
    if current is not None:
        base = f"/barometre/{current.year}-S{current.half}/v{current.version}/"
        urls["SP+ barometer edition"] = base
        urls["SP+ barometer edition, largest département"] = (
            f"{base}departements/{largest('departement_id')}/"
        )
    return urls


def worker() -> None:
    pages_scale.worker(_setup_urls)


# --- driver ---------------------------------------------------------------------------------


def _step(size: int, name: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": pages_scale.database_url(pages_scale.database_name(size)),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    completed = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", MODULE, "--step", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode:
        raise RuntimeError(f"step {name} on {size} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure(small: int, large: int, steps: list[str]) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    result: dict[str, Any] = {"date": now.isoformat(timespec="minutes"), "sizes": [small, large]}
    result["load_before"] = os.getloadavg()
    result["generated"] = {size: pages_scale.prepare(size) for size in (small, large)}
    if "rebuild" in steps:
        # Both: the pages compare roll-ups built by the same code.
        result["rebuild"] = {size: _step(size, "rebuild") for size in (small, large)}
        print(f"  rebuild: {result['rebuild']}", file=sys.stderr, flush=True)
    if "duckdb" in steps and importlib.util.find_spec("duckdb") is None:
        result["duckdb"] = "skipped: duckdb not installed (pip install -e '.[bench]')"
    elif "duckdb" in steps:
        result["duckdb"] = _step(large, "duckdb")
        rebuilt = result.get("rebuild", {}).get(large, {}).get("seconds")
        if rebuilt:
            result["ratio_rebuild_over_duckdb"] = {
                name: round(rebuilt / best, 1)
                for name, best in result["duckdb"]["duckdb_best_seconds"].items()
            }
        print(f"  duckdb: {result['duckdb']}", file=sys.stderr, flush=True)
    if "incremental" in steps:
        result["incremental"] = _step(large, "incremental")
    if "pages" in steps:
        result["pages"] = pages_scale.compare(small, large, module=MODULE)
    result["load_after"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"indicators_scale-{now.strftime('%Y%m%d-%H%M')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}", file=sys.stderr)
    return result


def run(full: bool = False) -> dict[str, Any]:
    """`python -m bench`: 10 k vs 1 M; with --full, 10 k vs 10 M (an hour to generate)."""
    return measure(10_000, 10_000_000 if full else 1_000_000, list(STEPS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("steps", nargs="*", help=f"among {', '.join(STEPS)} (default: all)")
    parser.add_argument("--sizes", nargs=2, type=int, default=[10_000, 10_000_000])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=["rebuild", "export", "duckdb", "incremental"])
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    if args.step:
        import django

        django.setup()
        steps = {
            "rebuild": step_rebuild,
            "export": export,
            "duckdb": step_duckdb,
            "incremental": step_incremental,
        }
        print(json.dumps(steps[args.step](), default=str))
        return
    unknown = set(args.steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    small, large = args.sizes
    print(json.dumps(measure(small, large, args.steps or list(STEPS)), indent=2, default=str))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    main()
