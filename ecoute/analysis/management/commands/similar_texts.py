"""Thin wrapper: nearest rows of a CSV column to a text (engine: ecoute.analysis.similar)."""

from __future__ import annotations

import time
from argparse import ArgumentTypeError
from collections.abc import Hashable
from itertools import tee
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.analysis.csvfiles import AnalysisInputError
from ecoute.analysis.similar import SimilarityIndex, read_csv_texts

SNIPPET = 110


def _positive(value: str) -> int:
    # ArgumentTypeError: a usage error on the command line, a CommandError from call_command.
    try:
        number = int(value)
    except ValueError:
        raise ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < 1:
        raise ArgumentTypeError("must be at least 1")
    return number


class Command(BaseCommand):
    help = (
        "Index a text column of a CSV file and print the rows most similar to --query, "
        "with their cosine score and a near-duplicate flag."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path, help="CSV file (UTF-8, separator detected)")
        parser.add_argument("--column", required=True, help="column holding the texts")
        parser.add_argument("--query", required=True, help="text to compare with every row")
        parser.add_argument("--k", type=_positive, default=10, help="rows to print (10)")
        parser.add_argument(
            "--id-column", default=None, help="column identifying rows (default: row number)"
        )
        parser.add_argument(
            "--min-score", type=float, default=0.0, help="hide rows scoring at most this"
        )
        parser.add_argument(
            "--save-index", type=Path, default=None, help="also write the index to this .npz"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["input"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        column, id_column = options["column"], options["id_column"]
        index = SimilarityIndex()
        start = time.perf_counter()
        try:
            # Two views of one stream: ids and texts are read in step, nothing is held whole.
            for_ids, for_texts = tee(read_csv_texts(path, column, id_column))
            index.add((doc_id for doc_id, _ in for_ids), (text for _, text in for_texts))
        except AnalysisInputError as error:
            raise CommandError(str(error)) from None
        if not len(index):
            raise CommandError(f"{path}: no rows to index.")
        seconds = time.perf_counter() - start
        self.stderr.write(f"Indexed {len(index):,} rows of {column!r} in {seconds:.1f} s.")
        if options["save_index"]:
            index.save(options["save_index"])
            self.stderr.write(f"Index written to {options['save_index']}.")

        matches = index.search(options["query"], options["k"], options["min_score"])
        if not matches:
            self.stdout.write("No similar row.")
            return
        # Second pass over the file for the snippets: the index keeps no texts.
        wanted = {match.id for match in matches}
        # Keyed like the matches (ids are int or str; Match.id is any hashable).
        texts: dict[Hashable, str] = {
            doc_id: text
            for doc_id, text in read_csv_texts(path, column, id_column)
            if doc_id in wanted
        }
        self.stdout.write(f"{'rank':>4}  {'score':>5}  {'flag':<14}  id  text")
        for rank, match in enumerate(matches, start=1):
            flag = "near-duplicate" if match.near_duplicate else "similar"
            text = " ".join(texts.get(match.id, "").split())
            if len(text) > SNIPPET:
                text = text[: SNIPPET - 1] + "…"
            self.stdout.write(f"{rank:>4}  {match.score:.3f}  {flag:<14}  {match.id}  {text}")
