"""Thin wrapper: topics of a CSV column (the engine is ecoute.analysis.topics_io.analyse_csv)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.analysis.csvfiles import AnalysisInputError
from ecoute.analysis.topics_io import analyse_csv, read_topics_summary


def _n_topics(value: str) -> int | str:
    if value == "auto":
        return value
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"--topics must be a number or 'auto', not {value!r}.") from None
    if number < 1:
        raise CommandError("--topics must be at least 1.")
    return number


class Command(BaseCommand):
    help = "Find topics in a free-text column of a CSV file and assign every row to a topic."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="CSV file (UTF-8, separator detected)")
        parser.add_argument(
            "--column",
            action="append",
            required=True,
            help="text column; repeat to join several (e.g. --column title --column body)",
        )
        parser.add_argument("--id-column", help="column identifying rows (default: row number)")
        parser.add_argument("--topics", default="auto", help="number of topics or 'auto'")
        parser.add_argument("--output", required=True, help="JSON file to write")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--jobs", type=int, help="worker processes (default: 2 for big files)")
        parser.add_argument(
            "--compare-with",
            help="OUT.json of an earlier period: adds 'tracking' (new, growing, fading, stable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            previous = (
                read_topics_summary(options["compare_with"])["topics"]
                if options["compare_with"]
                else None
            )
            summary = analyse_csv(
                options["input"],
                options["column"],
                options["output"],
                id_column=options["id_column"],
                n_topics=_n_topics(options["topics"]),
                seed=options["seed"],
                jobs=options["jobs"],
                previous_topics=previous,
            )
        except AnalysisInputError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{summary['n_rows']} rows, {summary['n_topics']} topics "
            f"({summary['n_unassigned']} rows without usable words) in {elapsed:.1f} s "
            f"-> {options['output']}"
        )
        for topic in summary["topics"]:
            self.stdout.write(f"  #{topic['id']} ({topic['size']}) {topic['label']}")
        for change in summary.get("tracking", []):
            self.stdout.write(f"  {change['status']:<8} {change['label']}")
