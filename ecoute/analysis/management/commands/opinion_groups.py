"""Thin wrapper: opinion groups of a Pol.is-format vote export (engine:
ecoute.analysis.opinions)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.analysis.csvfiles import AnalysisInputError
from ecoute.analysis.opinions import (
    OpinionParams,
    compare_with_polis,
    compute_opinion_groups,
    read_polis_export,
    read_polis_groups,
    write_opinion_groups,
)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"expected a whole number, not {value!r}.") from None
    if number < 1:
        raise CommandError("expected a number of at least 1.")
    return number


class Command(BaseCommand):
    help = (
        "Pol.is-style opinion groups: reads comments.csv (comment-id, comment-body) and "
        "votes.csv (voter-id, comment-id, vote in -1/0/1, optional timestamp), writes the "
        "groups, their representative comments and the consensus comments as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--comments", required=True, type=Path, help="comments.csv")
        parser.add_argument("--votes", required=True, type=Path, help="votes.csv")
        parser.add_argument("--output", required=True, type=Path, help="JSON file to write")
        parser.add_argument(
            "--svg", type=Path, default=None, help="also draw participants, coloured by group"
        )
        parser.add_argument(
            "--updates",
            type=_positive,
            default=OpinionParams.updates,
            help=f"chronological replay steps, as Pol.is updates ({OpinionParams.updates})",
        )
        parser.add_argument(
            "--compare",
            type=Path,
            default=None,
            help="participants-votes.csv of Pol.is: print agreement with its group-id",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        try:
            log = read_polis_export(options["comments"], options["votes"])
            result = compute_opinion_groups(log, OpinionParams(updates=options["updates"]))
            polis = read_polis_groups(options["compare"]) if options["compare"] else None
        except AnalysisInputError as error:
            raise CommandError(str(error)) from None
        output: Path = options["output"]
        extra = {"comparison_with_polis": compare_with_polis(result, polis)} if polis else None
        try:
            payload = write_opinion_groups(result, output, options["svg"], extra)
        except OSError as error:
            raise CommandError(f"cannot write output: {error}") from None
        sizes = ", ".join(str(g["size"]) for g in result.groups)
        self.stdout.write(
            f"{len(log.participant_ids)} participants, {len(log.comment_ids)} comments, "
            f"{log.n_votes} votes: {result.n_groups} groups ({sizes}), "
            f"{int((result.labels < 0).sum())} not clustered, "
            f"{len(result.consensus)} consensus comments "
            f"in {time.perf_counter() - start:.1f} s -> {output}"
        )
        if polis is not None:
            c = payload["comparison_with_polis"]
            self.stdout.write(
                f"Pol.is: {c['polis_groups']} groups; ours: {c['our_groups']}; "
                f"ARI {c['ari']:.3f} on {c['common']} of {c['polis_clustered']} participants "
                f"Pol.is clustered (ARI {c['ari_all']:.3f} counting ours left out)"
            )
