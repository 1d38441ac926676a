"""Benchmark of ecoute.analysis.similar on generated texts (2 cores target: top-10 < 50 ms at 1M).

The corpus is GENERATED: a word-bigram Markov chain trained on the 855 real SP+ Pôle emploi
experiences (data/sp-plus/, accents and punctuation already removed upstream), with
text lengths drawn from the real ones. It has the vocabulary and term-frequency profile of real
citizen messages, all on one administration, which makes posting lists denser (harder) than a
multi-administration corpus would.

    .venv/bin/python -m bench.similar          # 200k texts
    .venv/bin/python -m bench.similar --full   # 1M texts
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from ecoute.analysis.similar import SimilarityIndex, read_csv_texts

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sp-plus" / "experiences-pole-emploi-normalisees.csv"


def real_texts() -> list[str]:
    return [text for _, text in read_csv_texts(SAMPLE, "Description") if text.strip()]


class MarkovTexts:
    """Word-bigram chain over the real texts; generation is vectorised across all texts."""

    def __init__(self, texts: list[str], seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        docs = [text.split() for text in texts]
        vocab = sorted({word for doc in docs for word in doc})
        index = {word: n for n, word in enumerate(vocab)}
        self.words = vocab
        pairs = [(index[a], index[b]) for doc in docs for a, b in zip(doc, doc[1:], strict=False)]
        first, second = np.array(pairs).T
        order = np.argsort(first, kind="stable")
        self.successors = second[order]  # repeated successors: sampling is frequency-weighted
        counts = np.bincount(first, minlength=len(vocab))
        self.start = np.concatenate(([0], np.cumsum(counts)[:-1]))
        self.count = counts
        self.openers = np.array([index[doc[0]] for doc in docs if doc])
        self.lengths = np.array([len(doc) for doc in docs if doc])

    def generate(self, n: int) -> list[str]:
        rng = self.rng
        lengths = np.sort(rng.choice(self.lengths, size=n))[::-1]  # longest first
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        flat = np.empty(int(offsets[-1]), dtype=np.int32)
        current = rng.choice(self.openers, size=n)
        # Texts still growing at each step form a prefix (lengths are sorted descending).
        active = n
        for step in range(int(lengths[0])):
            while active and lengths[active - 1] <= step:
                active -= 1
            current = current[:active]
            flat[offsets[:active] + step] = current
            count = self.count[current]
            pick = self.start[current] + (rng.random(active) * np.maximum(count, 1)).astype(
                np.int64
            )
            nxt = self.successors[np.minimum(pick, len(self.successors) - 1)]
            # A word never followed by another restarts a sentence.
            current = np.where(count > 0, nxt, rng.choice(self.openers, size=active))
        words = self.words
        texts = [
            " ".join([words[t] for t in flat[start:stop].tolist()])
            for start, stop in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
        ]
        order = rng.permutation(n)  # do not leave the texts sorted by length
        return [texts[i] for i in order]


def _percentiles(samples: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """Wall-clock percentiles, plus the same on CPU time: on a shared machine the wall clock
    also measures the neighbours' load."""
    out = {}
    for label, series in (("", samples), ("cpu_", cpu)):
        if series:
            values = np.array(series) * 1000
            out[f"{label}p50_ms"] = round(float(np.percentile(values, 50)), 2)
            out[f"{label}p95_ms"] = round(float(np.percentile(values, 95)), 2)
            out[f"{label}max_ms"] = round(float(values.max()), 2)
    return out


class _Clock:
    """Wall and CPU (this thread) seconds of a block."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.thread_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.thread_time() - self.cpu


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(full: bool = False, n_queries: int = 300) -> dict:
    """Build, grow and query an index; full=False uses 200k texts, full=True 1M."""
    n_docs = 1_000_000 if full else 200_000
    result: dict = {
        "documents": n_docs,
        "corpus": "generated (Markov chain on real SP+ texts)",
        "load_average_start": [round(x, 1) for x in os.getloadavg()],
    }
    real = real_texts()
    chain = MarkovTexts(real)

    begin = time.perf_counter()
    texts = chain.generate(n_docs)
    result["generate_s"] = round(time.perf_counter() - begin, 1)
    rss_before = _rss_mb()

    index = SimilarityIndex()
    with _Clock() as clock:
        index.add(range(n_docs), texts)
    result["build_s"] = round(clock.wall, 1)
    result["build_cpu_s"] = round(clock.cpu, 1)
    result["index_arrays_mb"] = round(index.nbytes / 2**20)
    del texts
    gc.collect()

    # Incremental growth: one batch of 1,000 texts, then single texts (the product's case).
    extra = chain.generate(1_100)
    with _Clock() as clock:
        index.add(range(n_docs, n_docs + 1_000), extra[:1_000])
    result["add_1000_batch_ms"] = round(clock.wall * 1000, 1)
    result["add_1000_batch_cpu_ms"] = round(clock.cpu * 1000, 1)
    singles, singles_cpu = [], []
    for n, text in enumerate(extra[1_000:]):
        with _Clock() as clock:
            index.add([n_docs + 1_000 + n], [text])
        singles.append(clock.wall)
        singles_cpu.append(clock.cpu)
    result["add_single"] = _percentiles(singles, singles_cpu)
    result["segments"] = index.segment_sizes
    found = index.query(extra[-1], 1)
    result["last_added_found_first"] = bool(found and found[0][0] == n_docs + 1_099)

    # Queries: unseen generated texts (like a new message) and real SP+ texts, k=10.
    queries = chain.generate(n_queries // 2) + real[: n_queries - n_queries // 2]
    index.query(queries[0], 10)  # warm caches
    latencies, latencies_cpu = [], []
    results = []
    for text in queries:
        with _Clock() as clock:
            results.append(index.query(text, 10))
        latencies.append(clock.wall)
        latencies_cpu.append(clock.cpu)
    result["query_top10"] = _percentiles(latencies, latencies_cpu)

    # Recall of the pruned search against the exact cosine (every posting scanned).
    exact_index_budget = index.max_postings
    index.max_postings = 1 << 62
    overlaps, exact_latencies, exact_cpu = [], [], []
    for text, approx in list(zip(queries, results, strict=True))[:: max(1, n_queries // 60)]:
        with _Clock() as clock:
            exact = index.query(text, 10)
        exact_latencies.append(clock.wall)
        exact_cpu.append(clock.cpu)
        want = {doc_id for doc_id, _ in exact}
        overlaps.append(len(want & {doc_id for doc_id, _ in approx}) / max(len(want), 1))
    index.max_postings = exact_index_budget
    result["recall_at_10_vs_exact"] = round(float(np.mean(overlaps)), 3)
    result["exact_query_top10"] = _percentiles(exact_latencies, exact_cpu)

    # Quality at scale: the real texts hidden among the generated ones (their own remixes, so
    # hard distractors), then found back from an edited copy and from an exact copy.
    first_real = n_docs + 10_000
    index.add(range(first_real, first_real + len(real)), real)
    rng = np.random.default_rng(1)
    top1 = flagged = tried = 0
    for n, text in enumerate(real[:300]):
        words = text.split()
        if len(words) < 20:
            continue
        tried += 1
        kept = [w for w in words if rng.random() > 0.1]  # 10% of the words dropped
        edited = " ".join(kept).capitalize() + " !"
        found = index.query(edited, 1)
        top1 += bool(found) and found[0][0] == first_real + n
        best = index.search(text, 1)
        flagged += bool(best) and best[0].id == first_real + n and best[0].near_duplicate
    result["real_texts_found_first_from_edited_copy"] = round(top1 / tried, 3)
    result["real_texts_flagged_duplicate_of_exact_copy"] = round(flagged / tried, 3)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.npz"
        begin = time.perf_counter()
        index.save(path)
        result["save_s"] = round(time.perf_counter() - begin, 1)
        result["file_mb"] = round(path.stat().st_size / 2**20)
        del index
        gc.collect()
        begin = time.perf_counter()
        loaded = SimilarityIndex.load(path)
        result["load_s"] = round(time.perf_counter() - begin, 1)
        assert loaded.query(extra[-1], 1)[0][0] == n_docs + 1_099
    result["peak_rss_mb"] = round(_rss_mb())
    result["rss_before_index_mb"] = round(rss_before)
    result["load_average_end"] = [round(x, 1) for x in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1M texts instead of 200k")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    print(json.dumps(run(full=args.full, n_queries=args.queries), indent=2))


if __name__ == "__main__":
    main()
