"""Throughput of `analyse_topics` on GENERATED French texts (100,000 rows; 1,000,000 with --full).

The corpus is synthetic: each text joins 1–4 sentences drawn from one of the real corpora in
data/analysis/ (AN answers, MEL proposals, SP+ experiences), so the vocabulary and lengths are
realistic but the texts are not real contributions. It is written to a temporary CSV and analysed
through the same streaming path as the command (reservoir sample, fit, parallel assignment).

Run: .venv/bin/python -m bench.topics [--full]
"""

from __future__ import annotations

import csv
import os
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.topics_quality import load_an, load_mel, load_sp
from ecoute.analysis.topics_io import analyse_csv

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentences() -> list[list[str]]:
    pools = []
    for texts in (load_an()[0], load_mel(labelled_only=False)[0], load_sp()):
        pool = [s.strip() for t in texts for s in _SENTENCE.split(t) if len(s.strip()) > 20]
        pools.append(pool)
    return pools


def generate(path: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    pools = _sentences()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["id", "texte"])
        for i in range(n):
            pool = pools[rng.randrange(len(pools))]
            writer.writerow([f"g{i}", " ".join(rng.choices(pool, k=rng.randint(1, 4)))])


def _cpu_s() -> float:
    """CPU seconds of this process and its finished workers: wall time lies on a shared box."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def measure(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "generated.csv"
        generate(source, n)
        size_mb = source.stat().st_size / 1e6
        cpu_before = _cpu_s()
        load = os.getloadavg()[0]
        started = time.perf_counter()
        summary = analyse_csv(source, ["texte"], Path(tmp) / "out.json", id_column="id")
        wall = time.perf_counter() - started
        cpu = _cpu_s() - cpu_before
    own, child = _peak_rss_mb()
    return {
        "texts": n,
        "csv_mb": round(size_mb, 1),
        "topics": summary["n_topics"],
        "wall_s": round(wall, 1),
        "texts_per_s": round(n / wall),
        "cpu_s": round(cpu, 1),
        "load_avg_at_start": round(load, 1),
        "peak_rss_main_mb": round(own),
        "peak_rss_largest_worker_mb": round(child),
    }


def run(full: bool = False) -> dict[str, Any]:
    figures = {"100k": measure(100_000)}
    print("topics 100k:", figures["100k"], flush=True)
    if full:
        figures["1M"] = measure(1_000_000)
        print("topics 1M:", figures["1M"], flush=True)
    return figures


if __name__ == "__main__":
    run(full="--full" in sys.argv[1:])
