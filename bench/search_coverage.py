"""Search coverage: of structures drawn at random from the SP+ directory, how many appear in the
first 5 results when searched by their usual name and commune (target: at least 98 %).

The query is what a user would type: "Intitulé structure usager" (else "Intitulé de la
structure") followed by "Ville", as in the file. A structure is found when its organisation
(SP+ code) is among the first 5 organisations returned by `catalogue.search`.

Runs against the database of DATABASE_URL (loads the reference data first if its catalogue is
empty), so the same command measures PostgreSQL and SQLite:

    python -m bench search_coverage                                   # seed 2, 200 structures
    python -m bench.search_coverage --seed 1 --show-misses            # the tuning sample
    python -m bench.search_coverage --sample codes.txt                # a sample you bring
    DATABASE_URL=sqlite:///var/x.sqlite3 python -m bench.search_coverage

`--sample FILE`: one SP+ structure code per line (or a CSV with a "Code SP+ de la structure"
column). Results go to bench/results/search_coverage-<backend>-<sample>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SIZE, TOP, TARGET = 200, 5, 0.98
TUNING_SEED, REPORTED_SEED = 1, 2  # ranking tuned on seed 1 only; seed 2 is the reported one
CODE = "Code SP+ de la structure"


def structures(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / "sp-plus" / "export-structures.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        rows = [{k.replace("\ufeff", "").strip('"'): v for k, v in row.items()} for row in reader]
    return {row[CODE].strip(): row for row in rows}


def draw(rows: dict[str, dict[str, str]], seed: int, size: int = SIZE) -> list[str]:
    return random.Random(seed).sample(sorted(rows), size)  # noqa: S311 - a sample, not a secret


def read_sample(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    if CODE in text.splitlines()[0]:
        return [row[CODE].strip() for row in csv.DictReader(text.splitlines(), delimiter=";")]
    return [line.strip() for line in text.splitlines() if line.strip()]


def query_for(row: dict[str, str]) -> str:
    name = row["Intitulé structure usager"].strip() or row["Intitulé de la structure"].strip()
    return f"{name} {row['Ville'].strip()}".strip()


def _ensure_reference_data() -> None:
    from django.core.management import call_command

    from ecoute.catalogue.models import Organisation

    call_command("migrate", verbosity=0, interactive=False)
    if not Organisation.objects.filter(sp_code__isnull=False).exists():
        call_command("load_reference_data", verbosity=0)


def measure(codes: list[str], label: str, *, show_misses: bool = False) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from ecoute.catalogue.models import Organisation
    from ecoute.catalogue.search import search_organisations

    rows = structures(Path(settings.ECOUTE_DATA_DIR))
    ids = dict(Organisation.objects.filter(sp_code__in=codes).values_list("sp_code", "id"))
    names = dict(Organisation.objects.values_list("id", "name"))
    found, timings, misses = 0, [], []
    for code in codes:
        query = query_for(rows[code])
        start = time.perf_counter()
        results = search_organisations(query)
        timings.append(time.perf_counter() - start)
        if ids.get(code) in results[:TOP]:
            found += 1
        else:
            position = results.index(ids[code]) + 1 if ids.get(code) in results else None
            misses.append(
                {
                    "query": query,
                    "code": code,
                    "position": position,
                    "results": len(results),
                    "top": [names[pk] for pk in results[:TOP]],
                }
            )
    result = {
        "sample": label,
        "backend": connection.vendor,
        "structures": len(codes),
        "found_in_top_5": found,
        "coverage": round(found / len(codes), 4),
        "target": TARGET,
        "met": found / len(codes) >= TARGET,
        "median_query_ms": round(statistics.median(timings) * 1000, 1),
        "p95_query_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1] * 1000, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"search_coverage-{connection.vendor}-{label}.json"
    out.write_text(
        json.dumps({**result, "misses": misses}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    if show_misses:
        result["misses"] = misses
    return result


def run(full: bool = False, seed: int = REPORTED_SEED) -> dict[str, Any]:  # noqa: ARG001
    """Entry point of `python -m bench`: the reported sample (seed 2)."""
    from django.conf import settings

    _ensure_reference_data()
    codes = draw(structures(Path(settings.ECOUTE_DATA_DIR)), seed)
    return measure(codes, f"seed{seed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=REPORTED_SEED)
    parser.add_argument("--sample", type=Path, help="file of SP+ structure codes")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings

    _ensure_reference_data()
    if args.sample:
        codes, label = read_sample(args.sample), args.sample.stem
    else:
        codes, label = (
            draw(structures(Path(settings.ECOUTE_DATA_DIR)), args.seed),
            f"seed{args.seed}",
        )
    print(
        json.dumps(
            measure(codes, label, show_misses=args.show_misses), indent=2, ensure_ascii=False
        )
    )


if __name__ == "__main__":
    main()
