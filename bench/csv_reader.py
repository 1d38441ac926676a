"""Cost of the analyses' shared CSV reader (`ecoute.analysis.csvfiles`) against the bare `csv`
module reading the same file, side by side in one process (GENERATED texts: 300,000 rows built
from real sentences, as bench.topics; 1,000,000 with --full).

The reader adds separator detection, strict quoting, line numbers and UTF-8 errors that name
the line; the ratio says what that costs per row. Runs alternate (bare, shared, bare, shared…)
so that a load change on a shared machine hits both; the best of each is kept.

Run: .venv/bin/python -m bench.csv_reader [--full]
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.topics import generate
from ecoute.analysis.csvfiles import CsvTable

ROUNDS = 3


def _bare(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        return sum(1 for record in reader if record)


def _shared(path: Path) -> int:
    return sum(1 for _record in CsvTable(path).records())


def run(full: bool = False) -> dict[str, Any]:
    rows = 1_000_000 if full else 300_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.csv"
        generate(path, rows)
        size_mb = path.stat().st_size / 1e6
        best = {"bare csv module": float("inf"), "shared reader": float("inf")}
        for _round in range(ROUNDS):
            for name, read in (("bare csv module", _bare), ("shared reader", _shared)):
                started = time.process_time()
                counted = read(path)
                best[name] = min(best[name], time.process_time() - started)
                assert counted == rows, (name, counted)  # noqa: S101 (bench sanity check)
    result = {
        "rows": rows,
        "csv_mb": round(size_mb, 1),
        "rounds": ROUNDS,
        "cpu_s_best": {name: round(value, 3) for name, value in best.items()},
        "us_per_row": {name: round(value / rows * 1e6, 2) for name, value in best.items()},
        "ratio_shared_to_bare": round(best["shared reader"] / best["bare csv module"], 2),
    }
    print(f"csv reader: {result}")
    return result


if __name__ == "__main__":
    run(full="--full" in sys.argv[1:])
