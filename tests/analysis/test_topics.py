"""Topic engine: French normalisation, real-data content, CSV command and bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import normalized_mutual_info_score

from ecoute.analysis import text as ftext
from ecoute.analysis.csvfiles import CsvInputError, detect_delimiter
from ecoute.analysis.topics import analyse_texts, track_topics
from ecoute.analysis.topics_io import CsvSource

DATA = Path(__file__).resolve().parents[2] / "data" / "analysis"
AN_CSV = DATA / "an-egalite-fh-2016-crowdsource.csv"


def _an() -> tuple[list[str], list[str]]:
    with AN_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["theme"] for r in rows]


# --- French normalisation ----------------------------------------------------------------


def test_accented_and_stripped_spellings_share_a_stem() -> None:
    assert ftext.fold_accents("Égalité œuvre") == "Egalite oeuvre"
    assert ftext.stem("protégée") == ftext.stem("protegee") == ftext.stem("protégées")
    assert ftext.stem("violences") == ftext.stem("violence")


def test_terms_drop_stop_words_and_add_bigrams() -> None:
    terms = ftext.terms("Les violences conjugales, c'est aussi de la violence psychologique.")
    assert "violenc" in terms and "conjugal" in terms
    assert "violenc conjugal" in terms
    assert not {"les", "de", "la", "aussi", "est"} & set(terms)


def test_surface_forms_make_readable_labels() -> None:
    from collections import Counter

    surfaces: Counter[str] = Counter()
    for sentence in [
        "les pensions alimentaires",
        "pension alimentaire",
        "pensions impayées",
        "alimentaire",
    ]:
        ftext.terms(sentence, surfaces=surfaces)
    forms = ftext.surface_forms(surfaces)
    assert ftext.readable("pension alimentair", forms) == "pensions alimentaire"


# --- Real data: Assemblée nationale answers ------------------------------------------------


@pytest.fixture(scope="module")
def an_result():
    texts, themes = _an()
    return analyse_texts(texts), themes


def test_an_automatic_k_finds_the_four_themes(an_result) -> None:
    result, _themes = an_result
    # The number of topics is chosen automatically (coherence x topic stability x assignment
    # agreement between halves); the consultation has four themes and k = 4 wins.
    assert result.model.n_topics == 4
    chosen = max(result.model.k_scores, key=lambda s: s.score)
    assert chosen.k == 4 and 0 < chosen.agreement <= 1 and 0 < chosen.stability <= 1
    keys = [{t["key"] for t in topic["terms"]} for topic in result.topics]
    # The four consultation themes: media image, parental leave, child support, violence;
    # parental leave and child support share "enfants / père" and must still be told apart.
    for expected in (
        {"violenc", "conjugal"},
        {"pension", "alimentair"},
        {"femm", "imag"},
        {"cong", "parental"},
    ):
        assert any(expected <= k for k in keys), (expected, [t["label"] for t in result.topics])


def test_an_every_row_assigned_with_score(an_result) -> None:
    result, themes = an_result
    rows = result.assignments()
    assert len(rows) == len(themes) == 787
    assigned = [r for r in rows if r["topic"] is not None]
    # Only empty or "RAS"-style answers stay unassigned.
    assert len(assigned) >= 750
    assert all(0 < r["score"] <= 1 for r in assigned)
    assert sum(t["size"] for t in result.topics) == len(assigned)
    for topic in result.topics:
        assert len(topic["representatives"]) == 5
        scores = [r["score"] for r in topic["representatives"]]
        assert scores == sorted(scores, reverse=True)


def test_an_agreement_with_human_themes(an_result) -> None:
    result, themes = an_result
    # Measured 0.565 with the automatic k (4); plain TF-IDF + NMF reaches 0.42 at k = 4 and
    # 0.23 at k = 3 (see docs/analysis-topics.md). The target, 0.6, is not reached.
    assert normalized_mutual_info_score(themes, result.labels) > 0.55


# --- Period tracking ------------------------------------------------------------------------


def _topic(id_: int, share: float, **weights: float) -> dict:
    return {
        "id": id_,
        "label": "/".join(weights),
        "share": share,
        "terms": [{"term": k, "key": k, "weight": w} for k, w in weights.items()],
    }


def test_track_topics_labels_new_growing_fading_stable() -> None:
    before = [
        _topic(0, 0.5, impot=0.5, tva=0.3),
        _topic(1, 0.3, transport=0.6, voiture=0.3),
        _topic(2, 0.2, retraite=0.7, csg=0.2),
    ]
    after = [
        _topic(0, 0.2, tva=0.4, impot=0.4),
        _topic(1, 0.31, voiture=0.5, transport=0.5),
        _topic(2, 0.49, ecole=0.6, enseignant=0.4),
    ]
    status = {(t["before"], t["after"]): t["status"] for t in track_topics(before, after)}
    assert status == {(0, 0): "fading", (1, 1): "stable", (2, None): "fading", (None, 2): "new"}
    grown = track_topics([_topic(0, 0.1, a=1.0)], [_topic(5, 0.3, a=0.9, b=0.1)])
    assert grown[0]["status"] == "growing" and grown[0]["after"] == 5


# --- CSV input and the command -----------------------------------------------------------------


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_delimiter_detection() -> None:
    assert detect_delimiter('id;texte;"a,b"\n') == ";"
    assert detect_delimiter("id,texte\n") == ","
    assert detect_delimiter("id\ttexte\n") == "\t"
    assert detect_delimiter("texte\n") == ","
    # Commas inside quoted fields of a ";" file, and in an unquoted list column.
    assert detect_delimiter('id;avis\n1;"oui, mais non, enfin"\n2;non\n') == ";"
    assert detect_delimiter("id;tags;texte\n1;[a, b];ok\n2;[c];bien\n") == ";"


@pytest.fixture(scope="module")
def command_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("topics")
    out = tmp / "out.json"
    call_command(
        "analyse_topics",
        str(DATA / "mel-propositions-libres.csv"),
        "--column",
        "title",
        "--column",
        "body",
        "--id-column",
        "id",
        "--output",
        str(out),
    )
    return json.loads(out.read_text(encoding="utf-8"))


def test_command_auto_topics_on_semicolon_csv(command_run) -> None:
    data = command_run
    assert data["n_rows"] == 196 and len(data["assignments"]) == 196
    assert 3 <= data["n_topics"] <= 10
    assert data["n_topics"] == len(data["topics"]) and len(data["k_selection"]) >= 3
    chosen = max(data["k_selection"], key=lambda s: s["score"])
    assert chosen["k"] == data["n_topics"]
    assert chosen["score"] == pytest.approx(
        chosen["coherence"] * chosen["stability"] * chosen["agreement"], abs=1e-3
    )
    ids = [row["id"] for row in data["assignments"]]
    assert len(set(ids)) == 196 and "457" in ids
    labels = " ".join(t["label"] for t in data["topics"])
    assert "impôt" in labels and "transports" in labels
    for topic in data["topics"]:
        assert topic["terms"][0]["weight"] >= topic["terms"][-1]["weight"] > 0
        assert topic["representatives"] and topic["representatives"][0]["text"]


def test_command_fixed_topics_and_row_numbers(tmp_path) -> None:
    texts, _ = _an()
    src = tmp_path / "an.csv"
    with src.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["réponse", "autre"])
        writer.writerows([t, "x"] for t in texts[:300])
    out = tmp_path / "sub" / "out.json"
    call_command(
        "analyse_topics", str(src), "--column", "réponse", "--topics", "3", "--output", str(out)
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["n_topics"] == 3 and data["k_selection"] == []
    assert [row["id"] for row in data["assignments"]] == list(range(1, 301))


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            b"id;texte\n1;bonjour\n",
            ["--column", "text"],
            r"'text'.*available columns: 'id', 'texte'",
        ),
        (b"", ["--column", "t"], "empty"),
        (b"id,texte\n", ["--column", "texte"], "no data rows"),
        (
            b"id;texte\n1;ok\n2;" + "réponse".encode("latin-1"),
            ["--column", "texte"],
            r"line 3 is not valid UTF-8",
        ),
        (b"texte\nun\ndeux\n", ["--column", "texte"], "At least 10"),
        (b"texte\nun\ndeux\n", ["--column", "texte", "--topics", "many"], "--topics"),
    ],
)
def test_command_errors(tmp_path: Path, content: bytes, args: list[str], message: str) -> None:
    src = _write(tmp_path / "in.csv", content)
    with pytest.raises(CommandError, match=message):
        call_command("analyse_topics", str(src), *args, "--output", str(tmp_path / "o.json"))


def test_missing_file_is_named(tmp_path) -> None:
    with pytest.raises(CsvInputError, match="missing.csv: no such file"):
        CsvSource(tmp_path / "missing.csv", ["texte"])


def test_accentless_sp_plus_experiences() -> None:
    with (DATA / "sp-plus-experiences-pole-emploi.csv").open(encoding="utf-8") as handle:
        texts = [r["Description"] for r in csv.DictReader(handle, delimiter=";")]
    result = analyse_texts(texts, n_topics=5)
    keys = set().union(*({t["key"] for t in topic["terms"]} for topic in result.topics))
    assert {"actualis", "conseil"} <= keys
    assert np.count_nonzero(result.labels >= 0) >= 850


def test_command_tracks_topics_between_two_periods(tmp_path) -> None:
    """Period 1: AN answers on violence and parental leave; period 2 adds child support."""
    texts, themes = _an()
    by_theme: dict[int, list[str]] = {}
    for text, theme in zip(texts, themes, strict=True):
        by_theme.setdefault(int(theme), []).append(text)

    def write(name: str, rows: list[str]) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["texte"])
            writer.writerows([row] for row in rows)
        return path

    first = write("p1.csv", by_theme[3] + by_theme[5])
    second = write("p2.csv", by_theme[3] + by_theme[5] + by_theme[4])
    call_command(
        "analyse_topics",
        str(first),
        "--column",
        "texte",
        "--topics",
        "2",
        "--output",
        str(tmp_path / "p1.json"),
    )
    call_command(
        "analyse_topics",
        str(second),
        "--column",
        "texte",
        "--topics",
        "3",
        "--output",
        str(tmp_path / "p2.json"),
        "--compare-with",
        str(tmp_path / "p1.json"),
    )
    data = json.loads((tmp_path / "p2.json").read_text(encoding="utf-8"))
    new = [change for change in data["tracking"] if change["status"] == "new"]
    assert len(new) == 1
    assert "pension" in new[0]["label"] or "alimentaire" in new[0]["label"]
    kept = {change["status"] for change in data["tracking"] if change["before"] is not None}
    assert kept <= {"stable", "growing", "fading"} and len(kept) >= 1


def test_compare_with_something_else_is_a_clear_error(tmp_path) -> None:
    src = _write(tmp_path / "in.csv", "texte\nbonjour les amis\n")
    bogus = _write(tmp_path / "prev.json", '{"not": "an analysis"}')
    with pytest.raises(CommandError, match="not an analyse_topics output"):
        call_command(
            "analyse_topics",
            str(src),
            "--column",
            "texte",
            "--output",
            str(tmp_path / "o.json"),
            "--compare-with",
            str(bogus),
        )
