"""The analyses as background tasks (django-tasks: immediate in the demo, database worker in
production), for pages that start an analysis and show it when it is ready.

A task backend stores arguments and return values as JSON, so the tasks take file paths and
return a short summary; the full result (every row's topic, every group's members) is in the
output file, written as the commands write it. A bad input fails the task with the same
message the command would print (``AnalysisInputError``), and leaves no output file.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .opinions import compute_opinion_groups, read_polis_export, write_opinion_groups
from .topics_io import analyse_csv, read_topics_summary


@task()
def analyse_topics_file(
    *,
    input_path: str,
    columns: list[str],
    output_path: str,
    id_column: str | None = None,
    n_topics: int | str = "auto",
    seed: int = 0,
    previous_output_path: str | None = None,
) -> dict[str, Any]:
    """Topics of a CSV (as ``manage.py analyse_topics``); returns the topics without the rows."""
    previous = read_topics_summary(previous_output_path)["topics"] if previous_output_path else None
    summary = analyse_csv(
        input_path,
        columns,
        output_path,
        id_column=id_column,
        n_topics=n_topics,
        seed=seed,
        previous_topics=previous,
    )
    return {
        "output_path": output_path,
        "n_rows": summary["n_rows"],
        "n_unassigned": summary["n_unassigned"],
        "n_topics": summary["n_topics"],
        "topics": [
            {"id": t["id"], "label": t["label"], "size": t["size"], "share": t["share"]}
            for t in summary["topics"]
        ],
        "tracking": summary.get("tracking", []),
    }


@task()
def find_opinion_groups(
    *, comments_path: str, votes_path: str, output_path: str, svg_path: str | None = None
) -> dict[str, Any]:
    """Opinion groups of a Pol.is-format export (as ``manage.py opinion_groups``)."""
    result = compute_opinion_groups(read_polis_export(comments_path, votes_path))
    write_opinion_groups(result, output_path, svg_path)
    return {
        "output_path": output_path,
        "svg_path": svg_path,
        "n_participants": len(result.participant_ids),
        "n_groups": result.n_groups,
        "group_sizes": [group["size"] for group in result.groups],
        "consensus": [c["comment_id"] for c in result.consensus],
    }
