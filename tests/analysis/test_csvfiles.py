"""The one CSV reader behind analyse_topics, similar_texts and opinion_groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecoute.analysis.csvfiles import AnalysisInputError, CsvInputError, CsvTable
from ecoute.analysis.opinions import read_polis_export
from ecoute.analysis.similar import read_csv_texts
from ecoute.analysis.topics_io import CsvSource


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_records_carry_the_line_where_they_start(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "in.csv",
        '\ufeffid;texte\n1;un\n\n2;"sur\ndeux lignes"\n3\n'.encode(),
    )
    table = CsvTable(path)
    assert table.delimiter == ";"
    assert table.header == ["id", "texte"]  # BOM dropped
    assert list(table.records()) == [
        (2, ["1", "un"]),
        (4, ["2", "sur\ndeux lignes"]),
        (6, ["3", ""]),  # padded to the header's width
    ]
    assert list(table.records(pad=False))[-1] == (6, ["3"])


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_every_separator(tmp_path: Path, separator: str) -> None:
    value = "x y" if separator == "," else "x, y"  # a stray comma must not win
    path = _write(tmp_path / "in.csv", f"a{separator}b\n1{separator}{value}\n".encode())
    table = CsvTable(path)
    assert table.delimiter == separator
    assert [record for _line, record in table.records()] == [["1", value]]


def test_missing_columns_are_all_named(tmp_path: Path) -> None:
    table = CsvTable(_write(tmp_path / "in.csv", b"id;texte\n1;ok\n"))
    with pytest.raises(CsvInputError) as caught:
        table.columns(["text", "id", "auteur"])
    assert str(caught.value) == (
        "in.csv: no column 'text', 'auteur' (separator ';'); available columns: 'id', 'texte'."
    )


def test_quoting_errors_are_reported_not_swallowed(tmp_path: Path) -> None:
    unclosed = _write(
        tmp_path / "in.csv", b'id;texte\n1;ok\n2;"jamais ferm\xc3\xa9\n3;perdu\n4;aussi\n'
    )
    with pytest.raises(CsvInputError, match="in.csv: line 3: a quoted field opened here is never"):
        list(CsvTable(unclosed).records())
    stray = _write(tmp_path / "stray.csv", b'id;texte\n1;"cit\xc3\xa9" puis suite\n')
    with pytest.raises(CsvInputError, match="stray.csv: line 2: malformed CSV"):
        list(CsvTable(stray).records())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "in.csv: the file is empty"),
        (b"  \n\n", "in.csv: the file is empty"),
        (
            b"id;texte\n1;ok\n2;r\xe9ponse\n",
            r"in.csv: line 3 is not valid UTF-8 \(byte 0xe9 at column 4\)",
        ),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = _write(tmp_path / "in.csv", content)
    with pytest.raises(CsvInputError, match=message):
        list(CsvTable(path).records())


def test_the_three_analyses_read_the_same_file_alike(tmp_path: Path) -> None:
    """A ";" export with a BOM, as spreadsheets write them, is accepted by every command."""
    comments = _write(
        tmp_path / "comments.csv",
        (
            "\ufeffcomment-id;comment-body\n1;Plus de guichets, moins d'attente\n2;Tout en ligne\n"
        ).encode(),
    )
    votes = _write(tmp_path / "votes.csv", b"voter-id;comment-id;vote\na;1;1\nb;1;-1\nb;2;1\n")
    assert [
        (row_id, text[:4]) for row_id, text in CsvSource(comments, ["comment-body"]).rows()
    ] == [
        (1, "Plus"),
        (2, "Tout"),
    ]
    assert list(read_csv_texts(comments, "comment-body", "comment-id"))[1] == ("2", "Tout en ligne")
    log = read_polis_export(comments, votes)
    assert log.comment_texts["1"].startswith("Plus de guichets")
    assert sorted(log.participant_ids) == ["a", "b"]


def test_input_errors_share_one_base() -> None:
    from ecoute.analysis.opinions import OpinionDataError
    from ecoute.analysis.topics import TopicInputError

    for error in (CsvInputError, TopicInputError, OpinionDataError):
        assert issubclass(error, AnalysisInputError)
