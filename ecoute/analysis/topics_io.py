"""Streaming CSV in, JSON out, for the topic engine (any CSV: UTF-8, separator detected).

The file is read twice and never held in memory: a first pass validates it, counts rows and
keeps a reservoir sample to learn topics; the second pass assigns every row (in worker
processes for big files) and the assignments go through a temporary file into the JSON.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .csvfiles import CsvTable
from .topics import (
    DEFAULT_FIT_SIZE,
    TopicAccumulator,
    TopicInputError,
    TopicModel,
    fit_model,
    model_summary,
    topics_summary,
    track_topics,
)

CHUNK_SIZE = 5_000
PARALLEL_MIN_ROWS = 50_000


@dataclass
class CsvSource:
    """Rows of one CSV as (id, text); ``columns`` are joined with a blank line."""

    path: Path
    columns: Sequence[str]
    id_column: str | None = None

    def __post_init__(self) -> None:
        self.table = CsvTable(self.path)
        self.path = self.table.path
        wanted = [*self.columns, *([self.id_column] if self.id_column else [])]
        indexes = self.table.columns(wanted)
        self._text_idx = indexes[: len(self.columns)]
        self._id_idx = indexes[-1] if self.id_column else None

    def rows(self) -> Iterator[tuple[Any, str]]:
        """(value of the id column, or 1-based data row number; joined text)."""
        for number, (_line, record) in enumerate(self.table.records(), start=1):
            text = "\n\n".join(record[i] for i in self._text_idx if record[i])
            row_id: Any = record[self._id_idx] if self._id_idx is not None else number
            yield row_id, text


def reservoir(rows: Iterator[tuple[Any, str]], size: int, seed: int) -> tuple[int, list[str]]:
    """Row count and a uniform random sample of texts, in one pass and bounded memory."""
    rng = random.Random(seed)  # noqa: S311 (sampling, not security)
    sample: list[str] = []
    count = 0
    for count, (_id, text) in enumerate(rows, start=1):
        if len(sample) < size:
            sample.append(text)
        else:
            slot = rng.randrange(count)
            if slot < size:
                sample[slot] = text
    return count, sample


_WORKER_MODEL: TopicModel | None = None


def _init_worker(model: TopicModel) -> None:
    global _WORKER_MODEL
    _WORKER_MODEL = model


def _assign_in_worker(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    assert _WORKER_MODEL is not None  # noqa: S101 (set by the pool initializer)
    return _WORKER_MODEL.assign(texts)


def _chunks(rows: Iterator[tuple[Any, str]], size: int) -> Iterator[tuple[list[Any], list[str]]]:
    ids: list[Any] = []
    texts: list[str] = []
    for row_id, text in rows:
        ids.append(row_id)
        texts.append(text)
        if len(ids) == size:
            yield ids, texts
            ids, texts = [], []
    if ids:
        yield ids, texts


def analyse_csv(
    path: str | Path,
    columns: Sequence[str],
    output: str | Path,
    *,
    id_column: str | None = None,
    n_topics: int | str = "auto",
    seed: int = 0,
    fit_size: int = DEFAULT_FIT_SIZE,
    jobs: int | None = None,
    previous_topics: Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Topics of a CSV column written to ``output`` (JSON); returns the summary without rows.

    With ``previous_topics`` (the ``topics`` of an earlier period's analysis), the summary also
    holds ``tracking``: what became of each topic between the two periods (``track_topics``).
    """
    source = CsvSource(Path(path), list(columns), id_column)
    n_rows, sample = reservoir(source.rows(), fit_size, seed)
    if n_rows == 0:
        raise TopicInputError(f"{source.path.name}: the file has a header but no data rows.")
    model = fit_model(sample, n_topics, seed=seed)
    del sample
    acc = TopicAccumulator(model.n_topics)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if jobs is None:
        jobs = min(2, os.cpu_count() or 1) if n_rows >= PARALLEL_MIN_ROWS else 1
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=output.parent) as rows_file:

        def consume(
            start: int, ids: list[Any], texts: list[str], labels: np.ndarray, scores: np.ndarray
        ) -> None:
            acc.add(start, ids, texts, labels, scores)
            for row_id, label, score in zip(ids, labels.tolist(), scores.tolist(), strict=True):
                rows_file.write(
                    json.dumps(
                        {
                            "id": row_id,
                            "topic": label if label >= 0 else None,
                            "score": round(score, 4),
                        },
                        ensure_ascii=False,
                    )
                )
                rows_file.write(",\n")

        if jobs <= 1:
            start = 0
            for ids, texts in _chunks(source.rows(), CHUNK_SIZE):
                consume(start, ids, texts, *model.assign(texts))
                start += len(ids)
        else:
            _assign_parallel(source, model, jobs, consume)
        summary = {
            "source": source.path.name,
            "columns": list(columns),
            "id_column": id_column,
            "n_rows": acc.rows,
            "n_unassigned": acc.unassigned,
            "n_topics": model.n_topics,
            **model_summary(model),
            "topics": topics_summary(model, acc),
        }
        if previous_topics is not None:
            summary["tracking"] = track_topics(previous_topics, summary["topics"])
        _write_json(output, summary, rows_file)
    return summary


def _assign_parallel(source: CsvSource, model: TopicModel, jobs: int, consume: Any) -> None:
    """Workers vectorise and score chunks; results are consumed in file order."""
    pending: list[tuple[int, list[Any], list[str], Future[tuple[np.ndarray, np.ndarray]]]] = []
    start = 0
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(model,)) as pool:
        for ids, texts in _chunks(source.rows(), CHUNK_SIZE):
            pending.append((start, ids, texts, pool.submit(_assign_in_worker, texts)))
            start += len(ids)
            while len(pending) > 2 * jobs:
                first, f_ids, f_texts, future = pending.pop(0)
                consume(first, f_ids, f_texts, *future.result())
        for first, f_ids, f_texts, future in pending:
            consume(first, f_ids, f_texts, *future.result())


def _write_json(output: Path, summary: dict[str, Any], rows_file: Any) -> None:
    """Summary then the streamed assignments, without loading them back in memory."""
    tmp = output.with_name(output.name + ".part")
    with tmp.open("w", encoding="utf-8") as out:
        head = json.dumps(summary, ensure_ascii=False, indent=1)
        out.write(head[:-2] + ',\n "assignments": [\n')
        rows_file.seek(0)
        previous = ""
        while block := rows_file.read(1 << 20):
            data = previous + block
            previous = data[-2:]
            out.write(data[:-2])
        out.write(previous.removesuffix(",\n"))
        out.write("\n ]\n}\n")
    tmp.replace(output)


_ASSIGNMENTS_MARKER = ',\n "assignments": ['


def read_topics_summary(path: str | Path) -> dict[str, Any]:
    """The summary (topics, k selection…) of an OUT.json, without loading its assignments.

    The writer puts the summary first, so reading stops at the assignments: a previous period's
    analysis of a million rows costs a few kilobytes to compare with.
    """
    path = Path(path)
    head = ""
    try:
        with path.open(encoding="utf-8") as handle:
            while _ASSIGNMENTS_MARKER not in head:
                block = handle.read(1 << 16)
                if not block:
                    break
                head += block
    except (OSError, UnicodeDecodeError) as exc:
        raise TopicInputError(f"{path.name}: cannot read a previous analysis ({exc}).") from exc
    text = head.split(_ASSIGNMENTS_MARKER, 1)[0] + "}" if _ASSIGNMENTS_MARKER in head else head
    try:
        summary = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TopicInputError(
            f"{path.name}: not an analyse_topics output (invalid JSON at line {exc.lineno})."
        ) from exc
    if not isinstance(summary, dict) or not isinstance(summary.get("topics"), list):
        raise TopicInputError(f"{path.name}: not an analyse_topics output (no 'topics' list).")
    return summary
