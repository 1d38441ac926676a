"""ecoute.analysis.similar on the real SP+ Pôle emploi experiences (repo copy in data/)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from sklearn.feature_extraction.text import TfidfVectorizer

from ecoute.analysis.similar import (
    CsvInputError,
    SimilarityIndex,
    analyse,
    read_csv_texts,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "sp-plus"
SPPLUS = DATA / "experiences-pole-emploi-normalisees.csv"


@pytest.fixture(scope="module")
def experiences() -> dict[int, str]:
    return dict(read_csv_texts(SPPLUS, "Description"))  # type: ignore[arg-type]


def fresh(experiences: dict[int, str]) -> SimilarityIndex:
    built = SimilarityIndex()
    built.add(experiences.keys(), experiences.values())
    return built


@pytest.fixture(scope="module")
def index(experiences: dict[int, str]) -> SimilarityIndex:
    return fresh(experiences)


# ---- analysis -------------------------------------------------------------------------------


def test_accents_plural_and_derivation_meet_on_one_term() -> None:
    assert analyse("Démarches") == analyse("demarche") == ["demarch"]
    assert analyse("réactualisation") == analyse("REACTUALISER") == ["reactualis"]
    assert analyse("Mes indemnités journalières") == analyse("mes indemnites journaliere")


def test_stop_words_digits_and_punctuation_are_dropped() -> None:
    assert analyse("Je n'ai pas reçu l'attestation, le 13/12 !") == ["recu", "attest"]
    assert analyse("de la et le les") == []


# ---- search on real texts -------------------------------------------------------------------


def test_real_csv_is_read_whole(experiences: dict[int, str]) -> None:
    assert len(experiences) == 855
    assert experiences[1].startswith("alors que nous recevons un avis d impots")


def test_paraphrase_finds_its_experience_first(index: SimilarityIndex) -> None:
    # Row 2, rewritten with accents, punctuation and other words, as a citizen would type it.
    paraphrase = (
        "Le 13/12, impossible de me connecter au site pour ma réactualisation ! Il affiche que "
        "les services principaux restent accessibles malgré l'indisponibilité momentanée de "
        "Pôle emploi. Que faire ?"
    )
    (first_id, first_score, duplicate), *_ = index.search(paraphrase, 5)
    assert first_id == 2
    assert 0.3 < first_score < index.duplicate_threshold
    assert not duplicate

    paraphrase = (
        "Projet de création d'entreprise à la rentrée : mail envoyé à ma conseillère le 10 juin, "
        "toujours aucune réponse, j'ai besoin d'éclaircissements pour avancer."
    )
    assert index.query(paraphrase, 3)[0][0] == 10


def test_exact_and_retyped_duplicates_are_near_duplicates(
    index: SimilarityIndex, experiences: dict[int, str]
) -> None:
    text = experiences[45]
    top = index.search(text, 3)
    assert top[0].id == 45
    assert top[0].score == pytest.approx(1.0, abs=1e-5)
    assert top[0].near_duplicate
    assert not top[1].near_duplicate
    retyped = text.upper().replace(" pole emploi ", " Pôle-Emploi, ").replace(" caf ", " CAF ")
    assert index.near_duplicates(retyped)[0][0] == 45


def test_real_duplicate_submissions_are_flagged(
    index: SimilarityIndex, experiences: dict[int, str]
) -> None:
    # Rows 289/290 differ by a typo ("da s"), rows 131/134 by a prefix: the same citizen twice.
    assert {doc_id for doc_id, _ in index.near_duplicates(experiences[289])} == {289, 290}
    assert {doc_id for doc_id, _ in index.near_duplicates(experiences[131])} == {131, 134}
    # Distinct experiences on the same administration are similar, not duplicates.
    flagged = sum(len(index.near_duplicates(experiences[doc_id])) > 1 for doc_id in range(1, 201))
    assert flagged <= 8


def test_scores_are_tfidf_cosines(index: SimilarityIndex, experiences: dict[int, str]) -> None:
    """Same scores as scikit-learn's TF-IDF (sublinear tf, smoothed idf, l2) on the same terms."""

    def hashed_terms(text: str) -> list[str]:
        row, term_ids = index._encode([text])
        return [
            str(term_ids[col])
            for col, tf in zip(row.indices, row.data, strict=True)
            for _ in range(tf)
        ]

    def terms(text: str) -> list[str]:
        stems = analyse(text)
        return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if a != b]

    ids = list(experiences)
    hashed = TfidfVectorizer(analyzer=hashed_terms, sublinear_tf=True)
    hashed_matrix = hashed.fit_transform(experiences.values())
    plain_matrix = TfidfVectorizer(analyzer=terms, sublinear_tf=True).fit_transform(
        experiences.values()
    )
    for doc_id in (2, 45, 300, 777):
        row = ids.index(doc_id)
        cosines = (hashed_matrix @ hashed_matrix[row].T).toarray().ravel()
        best = np.argsort(-cosines, kind="stable")[:10]
        got = index.query(experiences[doc_id], 10)
        assert [doc_id for doc_id, _ in got] == [ids[i] for i in best]
        assert [score for _, score in got] == pytest.approx(cosines[best].tolist(), abs=1e-5)
        # Without hashing, the ranking head is the same (collisions are rare).
        plain = (plain_matrix @ plain_matrix[row].T).toarray().ravel()
        assert [d for d, _ in got[:3]] == [ids[i] for i in np.argsort(-plain)[:3]]


def test_pruned_search_matches_exhaustive_search(experiences: dict[int, str]) -> None:
    pruned = SimilarityIndex(max_postings=2_000, candidates=50)
    pruned.add(experiences.keys(), experiences.values())
    exact = SimilarityIndex(max_postings=10**12)
    exact.add(experiences.keys(), experiences.values())
    for doc_id in range(1, 856, 17):
        want = exact.query(experiences[doc_id], 10)
        got = pruned.query(experiences[doc_id], 10)
        # The head is the same; candidates are rescored exactly, only the tail may differ.
        assert [d for d, _ in got[:5]] == [d for d, _ in want[:5]]
        every = dict(exact.query(experiences[doc_id], 855))
        assert [s for _, s in got] == pytest.approx([every[d] for d, _ in got], abs=1e-6)


def test_queries_without_content_return_nothing(index: SimilarityIndex) -> None:
    assert index.query("", 5) == []
    assert index.query("de la et le 2023 !!!", 5) == []
    assert index.query("xylophone zygomatique", 5) == []
    assert index.query("pole emploi", 0) == []
    assert SimilarityIndex().query("pole emploi", 5) == []


# ---- incremental updates ---------------------------------------------------------------------


def test_add_makes_a_new_text_findable_without_rebuilding(experiences: dict[int, str]) -> None:
    idx = fresh(experiences)
    base = idx._segments[0]
    new = "Mon allocation d'aide au retour à l'emploi est suspendue depuis le déménagement."
    idx.add([10_001], [new])
    assert len(idx) == 856
    assert idx._segments[0] is base  # the big segment was not rebuilt
    assert idx.segment_sizes == [855, 1]
    first = idx.search("allocation suspendue après un déménagement", 3)[0]
    assert first.id == 10_001
    # Many single adds: small segments merge among themselves, the big one stays.
    for n in range(60):
        idx.add([20_000 + n], [f"{experiences[n + 1]} ajout {n}"])
    assert idx._segments[0] is base
    assert len(idx.segment_sizes) <= 6
    assert idx.query(experiences[5] + " ajout 4", 1)[0][0] == 20_004


def test_add_replaces_an_existing_id(experiences: dict[int, str]) -> None:
    idx = fresh(experiences)
    idx.add([45], ["Le formulaire de demande de RSA ne s'enregistre jamais."])
    assert len(idx) == 855
    assert idx.query(experiences[45], 1)[0][0] != 45
    assert idx.query("formulaire RSA qui ne s'enregistre pas", 1)[0][0] == 45
    idx.add([7, 8, 7], ["premier texte sur la cantine", "autre", "dernier texte sur la piscine"])
    assert idx.query("piscine", 1)[0][0] == 7
    assert all(doc_id != 7 for doc_id, _ in idx.query("cantine", 5))


def test_remove_and_compaction(experiences: dict[int, str]) -> None:
    idx = fresh(experiences)
    assert idx.remove(45)
    assert not idx.remove(45)
    assert 45 not in idx
    assert all(doc_id != 45 for doc_id, _ in idx.query(experiences[45], 20))
    # Removing over 30% of a segment compacts it: results equal those of a fresh index.
    kept = {doc_id: text for doc_id, text in experiences.items() if doc_id % 3 and doc_id != 45}
    for doc_id in experiences:
        if doc_id not in kept:
            idx.remove(doc_id)
    assert len(idx) == len(kept)
    assert len(kept) <= idx.segment_sizes[0] < 855
    reference = fresh(kept)
    for doc_id in (2, 10, 400):
        got, want = idx.query(kept[doc_id], 5), reference.query(kept[doc_id], 5)
        assert [d for d, _ in got] == [d for d, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=0.05)
    idx.compact()  # drops the last tombstones: now exactly a fresh index
    assert idx.segment_sizes == [len(kept)]
    for doc_id in (2, 10, 400):
        got, want = idx.query(kept[doc_id], 5), reference.query(kept[doc_id], 5)
        assert [d for d, _ in got] == [d for d, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-6)


def test_ids_are_checked() -> None:
    idx = SimilarityIndex()
    with pytest.raises(ValueError, match="differ in length"):
        idx.add([1, 2], ["un texte"])
    with pytest.raises(TypeError, match="int or str"):
        idx.add([1.5], ["un texte"])
    idx.add([1], ["un texte"])
    with pytest.raises(TypeError, match="all be int"):
        idx.add(["a"], ["un autre texte"])


def test_save_and_load_round_trip(tmp_path: Path, experiences: dict[int, str]) -> None:
    idx = SimilarityIndex()
    idx.add([f"exp-{n}" for n in experiences], experiences.values())
    idx.add(["new"], ["Radiation injuste après un rendez-vous manqué"])
    idx.remove("exp-3")
    path = tmp_path / "index.npz"
    idx.save(path)
    loaded = SimilarityIndex.load(path)
    assert len(loaded) == len(idx) == 855
    assert "exp-3" not in loaded
    for text in (experiences[2], "radiation après rendez-vous manqué", experiences[3]):
        assert loaded.query(text, 5) == idx.query(text, 5)
    loaded.add(["newer"], ["Question sur la prime d'activité"])
    assert loaded.query("prime d'activité", 1)[0][0] == "newer"


# ---- CSV input and command -------------------------------------------------------------------


def test_csv_reader_sniffs_delimiter_bom_and_id_column(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('\ufeffref,texte\nA1,"Bonjour, ma démarche"\nA2,autre\n', encoding="utf-8")
    assert list(read_csv_texts(path, "texte", "ref")) == [
        ("A1", "Bonjour, ma démarche"),
        ("A2", "autre"),
    ]
    assert list(read_csv_texts(path, "texte")) == [(1, "Bonjour, ma démarche"), (2, "autre")]


def test_csv_reader_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CsvInputError, match="the file is empty"):
        list(read_csv_texts(empty, "texte"))
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("texte;n\nbon;1\nbon;2\nd\xe9marche;3\n".encode("latin-1"))
    with pytest.raises(CsvInputError, match="line 4 is not valid UTF-8"):
        list(read_csv_texts(latin1, "texte"))
    with pytest.raises(CsvInputError, match=r"no column 'Desc'.*'Description', 'demarche en"):
        list(read_csv_texts(SPPLUS, "Desc"))


def test_command_prints_nearest_rows(capsys: pytest.CaptureFixture[str]) -> None:
    out = StringIO()
    call_command(
        "similar_texts",
        str(SPPLUS),
        "--column",
        "Description",
        "--query",
        "Le site de réactualisation ne fonctionne pas, impossible de se connecter",
        "--k",
        "3",
        stdout=out,
        stderr=StringIO(),
    )
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["rank", "score", "flag", "id", "text"]
    assert len(lines) == 4
    rank, score, flag, doc_id, *text = lines[1].split()
    assert (rank, flag, doc_id) == ("1", "similar", "2")
    assert 0 < float(score) < 1
    assert " ".join(text).startswith("au 13 12 le site de reactualisation")


def test_command_flags_duplicates_and_saves_index(tmp_path: Path) -> None:
    csv_path = tmp_path / "msgs.csv"
    csv_path.write_text(
        "id;message\nm1;Ma carte vitale n'est jamais arrivée\nm2;Le RSA est en retard\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command(
        "similar_texts",
        str(csv_path),
        "--column=message",
        "--id-column=id",
        "--query=ma carte Vitale n'est jamais arrivee !",
        "--save-index",
        str(tmp_path / "idx.npz"),
        stdout=out,
        stderr=StringIO(),
    )
    assert "near-duplicate  m1  Ma carte vitale" in out.getvalue()
    assert "m2" not in out.getvalue()
    assert len(SimilarityIndex.load(tmp_path / "idx.npz")) == 2


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", ["--column=t"], "the file is empty"),
        (b"t;u\n", ["--column=t"], "no rows to index"),
        (b"t;u\nok;1\n", ["--column=x"], "no column 'x'.*available columns: 't', 'u'"),
        (b"t;u\nok;1\n", ["--column=t", "--id-column=id"], "no column 'id'"),
        (b"t;u\nok;1\n\xe9t\xe9;2\n", ["--column=t"], "line 3 is not valid UTF-8"),
        (b"t;u\nok;1\n", ["--column=t", "--k=0"], "--k: must be at least 1"),
        (b"t;u\nok;1\n", ["--column=t", "--k=dix"], "--k: must be a whole number"),
    ],
)
def test_command_errors(tmp_path: Path, content: bytes, args: list[str], message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("similar_texts", str(path), "--query=texte", *args, stderr=StringIO())


def test_command_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("similar_texts", str(tmp_path / "nope.csv"), "--column=t", "--query=x")
