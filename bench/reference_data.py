"""Benchmark of `manage.py load_reference_data`: first load, then the idempotent second load.

Each load runs in its own Python process against a fresh temporary SQLite database (with
`--full`, also a fresh PostgreSQL database at TEST_POSTGRES_URL), so wall time and peak resident
memory (ru_maxrss) are those of one load; the baseline is the same process after django.setup().

    .venv/bin/python -m bench.reference_data          # SQLite
    .venv/bin/python -m bench.reference_data --full   # SQLite and PostgreSQL
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/ecoute")

# Runs inside the child: one load, then a JSON line with its own measures.
_CHILD = """
import io, json, resource, sys, time
import django
django.setup()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from django.core.management import call_command
out = io.StringIO()
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
call_command(sys.argv[1], *sys.argv[2:], stdout=out, verbosity=0)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "baseline_kib": baseline,
                  "peak_kib": usage.ru_maxrss, "report": out.getvalue()}))
"""


def _child(database_url: str, *command: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(database_url: str) -> dict:
    _child(database_url, "migrate", "--noinput")
    first = _child(database_url, "load_reference_data")
    second = _child(database_url, "load_reference_data")
    changed_again = [
        line.strip()
        for line in second["report"].splitlines()
        if ": read " in line and "created 0, updated 0" not in line
    ]
    return {
        "first_load_s": round(first["seconds"], 2),
        "second_load_s": round(second["seconds"], 2),
        "ratio_second_to_first": round(second["seconds"] / first["seconds"], 2),
        # CPU time of the loading process: steadier than wall time on a shared machine.
        "first_load_cpu_s": round(first["cpu_seconds"], 2),
        "second_load_cpu_s": round(second["cpu_seconds"], 2),
        "first_peak_rss_mib": round(first["peak_kib"] / 1024, 1),
        "first_rss_growth_mib": round((first["peak_kib"] - first["baseline_kib"]) / 1024, 1),
        "second_peak_rss_mib": round(second["peak_kib"] / 1024, 1),
        "second_run_changes": changed_again,  # must stay empty: the load is idempotent
        "first_report": first["report"],
    }


def _postgres() -> dict:
    import psycopg

    url = urlparse(PG_URL)
    name = f"ecoute_bench_{uuid.uuid4().hex[:8]}"
    # The same URL (password, options) on the maintenance database: CREATE DATABASE runs there.
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return _measure(url._replace(path=f"/{name}").geturl())
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run(full: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        results = {"sqlite": _measure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")}
    if full:
        results["postgresql"] = _postgres()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="also measure on PostgreSQL")
    args = parser.parse_args()
    results = run(full=args.full)
    for backend, figures in results.items():
        report = figures.pop("first_report")
        print(f"== {backend}")
        print(json.dumps(figures, indent=2))
        print(report)


if __name__ == "__main__":
    main()
