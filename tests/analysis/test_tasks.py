"""The analyses as background tasks (immediate backend in tests, as in the demo)."""

from __future__ import annotations

import json
from pathlib import Path

from django_tasks import TaskResultStatus

from ecoute.analysis.opinions import read_polis_groups
from ecoute.analysis.tasks import analyse_topics_file, find_opinion_groups

DATA = Path(__file__).resolve().parents[2] / "data"


def test_topics_task_writes_the_analysis_and_tracks_periods(tmp_path: Path) -> None:
    source = DATA / "analysis" / "an-egalite-fh-2016-crowdsource.csv"
    first = tmp_path / "first.json"
    result = analyse_topics_file.enqueue(
        input_path=str(source), columns=["text"], output_path=str(first), n_topics=4
    )
    assert result.status == TaskResultStatus.SUCCESSFUL
    summary = result.return_value
    assert summary["n_rows"] == 787 and summary["n_topics"] == 4
    labels = " | ".join(topic["label"] for topic in summary["topics"])
    for theme in ("violences", "pension", "congé"):  # three of the four AN question blocks
        assert theme in labels
    written = json.loads(first.read_text(encoding="utf-8"))
    assert len(written["assignments"]) == 787
    assert sum(t["size"] for t in summary["topics"]) + summary["n_unassigned"] == 787

    again = analyse_topics_file.enqueue(
        input_path=str(source),
        columns=["text"],
        output_path=str(tmp_path / "second.json"),
        n_topics=4,
        previous_output_path=str(first),
    ).return_value
    assert {change["status"] for change in again["tracking"]} == {"stable"}


def test_topics_task_fails_on_bad_input_without_writing(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"id;texte\n1;ok\n")
    output = tmp_path / "out.json"
    result = analyse_topics_file.enqueue(
        input_path=str(source), columns=["text"], output_path=str(output)
    )
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path.endswith("CsvInputError")
    assert "no column 'text'" in result.errors[0].traceback
    assert not output.exists()


def test_opinion_groups_task_matches_polis(tmp_path: Path) -> None:
    folder = DATA / "polis" / "brexit-consensus"
    output, svg = tmp_path / "groups.json", tmp_path / "groups.svg"
    result = find_opinion_groups.enqueue(
        comments_path=str(folder / "comments.csv"),
        votes_path=str(folder / "votes.csv"),
        output_path=str(output),
        svg_path=str(svg),
    )
    assert result.status == TaskResultStatus.SUCCESSFUL
    summary = result.return_value
    polis_groups = set(read_polis_groups(folder / "participants-votes.csv").values())
    assert summary["n_groups"] == len(polis_groups) == 2
    written = json.loads(output.read_text(encoding="utf-8"))
    assert [len(g["members"]) for g in written["groups"]] == summary["group_sizes"]
    assert written["consensus"] == summary["consensus"]
    assert svg.read_text(encoding="utf-8").startswith("<svg")
