"""Topics in French free text: NMF on TF-IDF of stemmed words and bigrams.

Design, for corpora from a hundred to millions of texts on a small machine:

* the vocabulary, IDF and topics are learnt on a random sample (at most ``fit_size`` texts), which
  is plenty to find topics covering more than a fraction of a percent of the texts;
* every text is then assigned in a streaming pass: a sparse TF-IDF chunk times the (L2-normalised)
  topic-term matrix gives the cosine of each text with each topic; the best topic wins and the
  cosine is its score. Memory stays bounded by the sample and one chunk;
* the number of topics, when automatic, maximises coherence (NPMI of the top words) times
  stability (topics found again on two random halves of the selection sample) times agreement
  (chance-corrected agreement of the two halves' assignments of the texts).
"""

from __future__ import annotations

import heapq
import math
import random
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.extmath import randomized_svd

from . import text as ftext
from .csvfiles import AnalysisInputError

DEFAULT_FIT_SIZE = 20_000
DEFAULT_SELECTION_SIZE = 3_000
DEFAULT_K_RANGE = range(3, 11)
TOP_TERMS = 15
REPRESENTATIVES = 5
REPRESENTATIVE_CHARS = 500


class TopicInputError(AnalysisInputError):
    """Texts or options the topic engine cannot work with."""


# --------------------------------------------------------------------------------------------
# Vocabulary and vectorisation


@dataclass
class Vocabulary:
    terms: list[str]
    idf: np.ndarray
    forms: dict[str, str]
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {t: i for i, t in enumerate(self.terms)}

    def readable(self, term: str) -> str:
        return ftext.readable(term, self.forms)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised sublinear TF-IDF rows; texts without known terms give empty rows."""
        index = self.index
        rows: list[int] = []
        cols: list[int] = []
        for row, doc in enumerate(texts):
            ids = [i for i in map(index.get, ftext.terms(doc)) if i is not None]
            cols.extend(ids)
            rows.extend([row] * len(ids))
        data = np.ones(len(cols), dtype=np.float64)
        matrix = sp.csr_matrix(
            (data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(texts), len(self.terms)),
        )
        matrix.sum_duplicates()
        matrix.data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def build_vocabulary(
    texts: Sequence[str], min_df: int | None = None, max_df: float = 0.5, max_terms: int = 20_000
) -> Vocabulary:
    """Terms kept: in at least ``min_df`` texts and at most ``max_df`` of them (too common)."""
    n = len(texts)
    if min_df is None:
        min_df = max(2, math.ceil(n / 2_000))
    df: Counter[str] = Counter()
    surfaces: Counter[str] = Counter()
    for doc in texts:
        df.update(set(ftext.terms(doc, surfaces=surfaces)))
    ceiling = max(min_df, max_df * n)
    kept = [(c, t) for t, c in df.items() if min_df <= c <= ceiling]
    kept.sort(key=lambda ct: (-ct[0], ct[1]))
    kept = kept[:max_terms]
    if not kept:
        raise TopicInputError(
            "Not enough shared vocabulary to find topics: the texts are empty, too short or too "
            "few (words must appear in at least two texts)."
        )
    terms = [t for _c, t in kept]
    counts = np.array([c for c, _t in kept], dtype=np.float64)
    idf = np.log((1.0 + n) / (1.0 + counts)) + 1.0
    return Vocabulary(terms=terms, idf=idf, forms=ftext.surface_forms(surfaces))


# --------------------------------------------------------------------------------------------
# Model fitting and selection of the number of topics


class _Svd:
    """One truncated SVD per matrix, sliced into NNDSVDa starts for every candidate k.

    sklearn's own "nndsvda" init recomputes a randomized SVD for each fit, which dominated the
    selection of k; NNDSVD of rank k only uses the first k singular triplets.
    """

    def __init__(self, matrix: sp.csr_matrix, rank: int, seed: int) -> None:
        rank = max(1, min(rank, min(matrix.shape) - 1))
        self.u, self.s, self.vt = randomized_svd(matrix, rank, random_state=seed)
        self.mean = float(matrix.sum() / (matrix.shape[0] * matrix.shape[1]))

    def start(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        u, s, vt = self.u, self.s, self.vt
        w = np.zeros((u.shape[0], k))
        h = np.zeros((k, vt.shape[1]))
        w[:, 0] = np.sqrt(s[0]) * np.abs(u[:, 0])
        h[0] = np.sqrt(s[0]) * np.abs(vt[0])
        for j in range(1, min(k, len(s))):
            x, y = u[:, j], vt[j]
            xp, yp, xn, yn = (
                np.maximum(x, 0),
                np.maximum(y, 0),
                -np.minimum(x, 0),
                -np.minimum(y, 0),
            )
            mp = np.linalg.norm(xp) * np.linalg.norm(yp)
            mn = np.linalg.norm(xn) * np.linalg.norm(yn)
            a, b, sigma = (xp, yp, mp) if mp > mn else (xn, yn, mn)
            if sigma <= 0:
                continue
            scale = np.sqrt(s[j] * sigma)
            w[:, j] = scale * a / np.linalg.norm(a)
            h[j] = scale * b / np.linalg.norm(b)
        w[w < 1e-6] = self.mean
        h[h < 1e-6] = self.mean
        return w, h


def _nmf(
    matrix: sp.csr_matrix, k: int, seed: int, max_iter: int = 300, svd: _Svd | None = None
) -> np.ndarray:
    svd = svd or _Svd(matrix, k, seed)
    w, h = svd.start(k)
    model = NMF(n_components=k, init="custom", random_state=seed, max_iter=max_iter, tol=1e-4)
    with warnings.catch_warnings():
        # A capped iteration count is a deliberate speed/quality trade-off, not a failure.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(matrix, W=w, H=h)
    return np.asarray(model.components_)


def _row_normalise(h: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(h, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return h / norms


def npmi_coherence(
    components: np.ndarray, binary: sp.csc_matrix, candidates: np.ndarray, top: int = 10
) -> np.ndarray:
    """Mean NPMI of each topic's top words, measured on the documents of ``binary``.

    Only ``candidates`` (unigram columns) are ranked: a bigram and its own words co-occur by
    construction and would inflate the score.
    """
    n = binary.shape[0]
    df = np.asarray(binary.sum(axis=0)).ravel()
    scores = []
    for weights in components:
        order = candidates[np.argsort(-weights[candidates])][:top]
        order = order[weights[order] > 0]
        if len(order) < 2:
            scores.append(-1.0)
            continue
        sub = binary[:, order]
        co = (sub.T @ sub).toarray()
        pi = df[order] / n
        values = []
        for a in range(len(order)):
            for b in range(a + 1, len(order)):
                pab = co[a, b] / n
                if pab <= 0:
                    values.append(-1.0)
                elif pab >= 1:
                    values.append(1.0)
                else:
                    values.append(math.log(pab / (pi[a] * pi[b])) / -math.log(pab))
        scores.append(float(np.mean(values)))
    return np.asarray(scores)


def topic_stability(
    matrix: sp.csr_matrix,
    reference: np.ndarray,
    seed: int,
    max_iter: int = 80,
    halves: tuple[tuple[np.ndarray, _Svd], ...] | None = None,
) -> tuple[float, float]:
    """How well topics fitted on each random half agree with each other and with ``reference``.

    Returns (topic stability, assignment agreement):

    * topic stability: mean cosine of the half-fitted topic-term vectors optimally matched to
      ``reference`` (fitted on all rows); 1 means the same *words* come back whichever half of
      the texts is used;
    * assignment agreement: adjusted Rand index between the assignments of all rows by the two
      half models (negative values count as 0); 1 means every *text* gets the same topic
      whichever half was used to learn the topics. Chance agreement is corrected, so more topics
      are not rewarded by construction, unlike raw NMI.
    """
    k = reference.shape[0]
    halves = halves or _halves(matrix, k, seed)
    ref = _row_normalise(reference)
    values = []
    labels = []
    for part, svd in halves:
        unit = _row_normalise(_nmf(matrix[part], k, seed, max_iter, svd))
        sim = unit @ ref.T
        rows, cols = linear_sum_assignment(-sim)
        values.append(float(sim[rows, cols].mean()))
        labels.append(np.asarray(matrix @ unit.T).argmax(axis=1))
    agreement = max(0.0, float(adjusted_rand_score(labels[0], labels[1])))
    return float(np.mean(values)), agreement


def _halves(matrix: sp.csr_matrix, rank: int, seed: int) -> tuple[tuple[np.ndarray, _Svd], ...]:
    order = np.random.default_rng(seed).permutation(matrix.shape[0])
    half = len(order) // 2
    parts = (np.sort(order[:half]), np.sort(order[half:]))
    return tuple((part, _Svd(matrix[part], rank, seed)) for part in parts)


@dataclass
class KScore:
    k: int
    coherence: float
    stability: float
    agreement: float = 1.0

    @property
    def score(self) -> float:
        """Coherence x topic stability x assignment agreement (all three must be good)."""
        return max(self.coherence, 0.0) * self.stability * self.agreement


def select_k(
    matrix: sp.csr_matrix, unigrams: np.ndarray, k_range: Iterable[int], seed: int = 0
) -> list[KScore]:
    binary = sp.csc_matrix((matrix > 0).astype(np.float64))
    ks = [k for k in k_range if k < matrix.shape[0] // 4]
    if not ks:
        return []
    svd = _Svd(matrix, max(ks), seed)
    halves = _halves(matrix, max(ks), seed)
    scores = []
    for k in ks:
        components = _nmf(matrix, k, seed, max_iter=80, svd=svd)
        coherence = float(np.mean(npmi_coherence(components, binary, unigrams)))
        stability, agreement = topic_stability(matrix, components, seed, halves=halves)
        scores.append(KScore(k, coherence, stability, agreement))
    return scores


# --------------------------------------------------------------------------------------------
# The fitted model


@dataclass
class TopicModel:
    vocabulary: Vocabulary
    components: np.ndarray  # k x V, non-negative, rows sum to 1 (term weights of each topic)
    k_scores: list[KScore]
    coherence: np.ndarray  # NPMI per topic on the fit sample

    @property
    def n_topics(self) -> int:
        return int(self.components.shape[0])

    def __post_init__(self) -> None:
        self._unit = _row_normalise(self.components).T.copy()

    def assign(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Best topic of each text (-1 when it has no known word) and its cosine score."""
        matrix = self.vocabulary.transform(texts)
        sims = np.asarray(matrix @ self._unit)
        labels = sims.argmax(axis=1).astype(np.int64)
        scores = sims[np.arange(len(labels)), labels] if len(labels) else np.zeros(0)
        labels[scores <= 0] = -1
        scores = np.where(labels >= 0, scores, 0.0)
        return labels, scores

    def top_terms(self, topic: int, n: int = TOP_TERMS) -> list[tuple[str, str, float]]:
        """(term key, readable term, weight) of the heaviest terms of ``topic``."""
        weights = self.components[topic]
        order = np.argsort(-weights)[:n]
        vocab = self.vocabulary
        return [
            (vocab.terms[i], vocab.readable(vocab.terms[i]), float(weights[i]))
            for i in order
            if weights[i] > 0
        ]

    def label(self, topic: int, n: int = 3) -> str:
        """Top terms, skipping words already said by a heavier bigram or word."""
        parts: list[str] = []
        seen: set[str] = set()
        for key, readable, _weight in self.top_terms(topic, n=TOP_TERMS):
            words = set(key.split(" "))
            if words <= seen:
                continue
            seen |= words
            parts.append(readable)
            if len(parts) == n:
                break
        return " / ".join(parts)


def fit_model(
    texts: Sequence[str],
    n_topics: int | str = "auto",
    *,
    seed: int = 0,
    selection_size: int = DEFAULT_SELECTION_SIZE,
    k_range: Iterable[int] = DEFAULT_K_RANGE,
) -> TopicModel:
    """Learn vocabulary and topics from ``texts`` (already a sample for big corpora)."""
    texts = [t for t in texts if t and t.strip()]
    if len(texts) < 10:
        raise TopicInputError(
            f"At least 10 non-empty texts are needed to find topics, got {len(texts)}."
        )
    vocab = build_vocabulary(texts)
    matrix = vocab.transform(texts)
    keep = np.flatnonzero(matrix.getnnz(axis=1) > 0)
    matrix = matrix[keep]
    unigrams = np.array([i for i, t in enumerate(vocab.terms) if " " not in t], dtype=np.int64)
    k_scores: list[KScore] = []
    if n_topics == "auto":
        rng = np.random.default_rng(seed)
        selection = matrix
        if matrix.shape[0] > selection_size:
            selection = matrix[np.sort(rng.choice(matrix.shape[0], selection_size, replace=False))]
        k_scores = select_k(selection, unigrams, k_range, seed)
        k = max(k_scores, key=lambda s: s.score).k if k_scores else 2
    else:
        k = int(n_topics)
        if k < 1:
            raise TopicInputError("The number of topics must be at least 1.")
        k = min(k, matrix.shape[0])
    components = _nmf(matrix, k, seed, max_iter=500)
    # Order topics by how many sample texts they win, largest first.
    unit = _row_normalise(components)
    wins = np.bincount(np.asarray(matrix @ unit.T).argmax(axis=1), minlength=k)
    order = np.argsort(-wins, kind="stable")
    components = components[order]
    sums = components.sum(axis=1, keepdims=True)
    sums[sums == 0] = 1.0
    components = components / sums
    binary = sp.csc_matrix((matrix > 0).astype(np.float64))
    coherence = npmi_coherence(components, binary, unigrams)
    return TopicModel(vocab, components, k_scores, coherence)


# --------------------------------------------------------------------------------------------
# Whole-corpus analysis (in memory or streamed)


@dataclass
class Representative:
    score: float
    row: int
    id: Any
    text: str


class TopicAccumulator:
    """Sizes and best-scoring texts per topic, fed chunk by chunk."""

    def __init__(self, n_topics: int, keep: int = REPRESENTATIVES) -> None:
        self.sizes = np.zeros(n_topics, dtype=np.int64)
        self.unassigned = 0
        self.rows = 0
        self.keep = keep
        self._heaps: list[list[tuple[float, int, Any, str]]] = [[] for _ in range(n_topics)]

    def add(
        self,
        start: int,
        ids: Sequence[Any],
        texts: Sequence[str],
        labels: np.ndarray,
        scores: np.ndarray,
    ) -> None:
        self.rows += len(labels)
        self.unassigned += int((labels < 0).sum())
        self.sizes += np.bincount(labels[labels >= 0], minlength=len(self.sizes))
        for topic, heap in enumerate(self._heaps):
            members = np.flatnonzero(labels == topic)
            if not len(members):
                continue
            best = members[np.argsort(-scores[members])[: self.keep]]
            for i in best:
                item = (
                    float(scores[i]),
                    -(start + int(i)),
                    ids[i],
                    texts[i][:REPRESENTATIVE_CHARS],
                )
                if len(heap) < self.keep:
                    heapq.heappush(heap, item)
                elif item[:2] > heap[0][:2]:
                    heapq.heapreplace(heap, item)

    def representatives(self, topic: int) -> list[Representative]:
        items = sorted(self._heaps[topic], key=lambda it: it[:2], reverse=True)
        return [Representative(score, -neg_row, id_, text) for score, neg_row, id_, text in items]


def topics_summary(model: TopicModel, acc: TopicAccumulator) -> list[dict[str, Any]]:
    total = max(acc.rows, 1)
    topics = []
    for topic in range(model.n_topics):
        topics.append(
            {
                "id": topic,
                "label": model.label(topic),
                "terms": [
                    {"term": readable, "key": key, "weight": round(weight, 5)}
                    for key, readable, weight in model.top_terms(topic)
                ],
                "size": int(acc.sizes[topic]),
                "share": round(float(acc.sizes[topic]) / total, 5),
                "coherence": round(float(model.coherence[topic]), 4),
                "representatives": [
                    {"id": r.id, "score": round(r.score, 4), "text": r.text}
                    for r in acc.representatives(topic)
                ],
            }
        )
    return topics


def model_summary(model: TopicModel) -> dict[str, Any]:
    return {
        "method": "NMF on sublinear TF-IDF of Snowball-stemmed French words and bigrams",
        "vocabulary_size": len(model.vocabulary.terms),
        "k_selection": [
            {
                "k": s.k,
                "coherence": round(s.coherence, 4),
                "stability": round(s.stability, 4),
                "agreement": round(s.agreement, 4),
                "score": round(s.score, 4),
            }
            for s in model.k_scores
        ],
    }


@dataclass
class TopicResult:
    model: TopicModel
    topics: list[dict[str, Any]]
    labels: np.ndarray
    scores: np.ndarray
    ids: list[Any]

    def assignments(self) -> list[dict[str, Any]]:
        return [
            {
                "id": id_,
                "topic": int(label) if label >= 0 else None,
                "score": round(float(score), 4),
            }
            for id_, label, score in zip(self.ids, self.labels, self.scores, strict=True)
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "n_rows": len(self.ids),
            "n_topics": self.model.n_topics,
            **model_summary(self.model),
            "topics": self.topics,
            "assignments": self.assignments(),
        }


def sample_indices(n: int, size: int, seed: int) -> list[int]:
    if n <= size:
        return list(range(n))
    return sorted(random.Random(seed).sample(range(n), size))  # noqa: S311 (not security)


def analyse_texts(
    texts: Sequence[str],
    ids: Sequence[Any] | None = None,
    n_topics: int | str = "auto",
    *,
    seed: int = 0,
    fit_size: int = DEFAULT_FIT_SIZE,
    chunk_size: int = 5_000,
) -> TopicResult:
    """Topics of an in-memory list of texts, every text assigned (topic -1: no known word)."""
    if ids is None:
        ids = list(range(1, len(texts) + 1))
    if len(ids) != len(texts):
        raise TopicInputError("ids and texts must have the same length.")
    sample = [texts[i] for i in sample_indices(len(texts), fit_size, seed)]
    model = fit_model(sample, n_topics, seed=seed)
    acc = TopicAccumulator(model.n_topics)
    labels_parts, scores_parts = [], []
    for start in range(0, len(texts), chunk_size):
        chunk = texts[start : start + chunk_size]
        labels, scores = model.assign(chunk)
        acc.add(start, ids[start : start + chunk_size], chunk, labels, scores)
        labels_parts.append(labels)
        scores_parts.append(scores)
    labels = np.concatenate(labels_parts) if labels_parts else np.zeros(0, dtype=np.int64)
    scores = np.concatenate(scores_parts) if scores_parts else np.zeros(0)
    return TopicResult(model, topics_summary(model, acc), labels, scores, list(ids))


# --------------------------------------------------------------------------------------------
# Tracking topics between periods


def _term_vector(topic: dict[str, Any]) -> dict[str, float]:
    return {t.get("key", t["term"]): float(t["weight"]) for t in topic["terms"]}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def track_topics(
    before: Sequence[dict[str, Any]],
    after: Sequence[dict[str, Any]],
    *,
    min_similarity: float = 0.3,
    change: float = 0.25,
) -> list[dict[str, Any]]:
    """Match the topics of two periods and say what became of each.

    Topics are the ``topics`` entries of two analyses (each fitted on its own period, so their
    vocabularies differ): they are matched one-to-one by cosine of their top-term weights (stems,
    so "violence"/"violences" meet), best pairs first. A later topic without a match at least
    ``min_similarity`` is ``new``; an earlier one without a match is ``fading`` (gone). Matched
    topics whose share of texts rose (fell) by more than ``change`` (relative) are ``growing``
    (``fading``), else ``stable``.
    """
    vec_before = [_term_vector(t) for t in before]
    vec_after = [_term_vector(t) for t in after]
    sim = np.array([[_cosine(a, b) for b in vec_after] for a in vec_before]).reshape(
        len(before), len(after)
    )
    matched: dict[int, tuple[int, float]] = {}
    if sim.size:
        rows, cols = linear_sum_assignment(-sim)
        matched = {
            int(r): (int(c), float(sim[r, c]))
            for r, c in zip(rows, cols, strict=True)
            if sim[r, c] >= min_similarity
        }
    out: list[dict[str, Any]] = []
    used_after: set[int] = set()
    for i, topic in enumerate(before):
        share_before = float(topic.get("share", 0.0))
        if i not in matched:
            out.append(
                {
                    "status": "fading",
                    "before": topic["id"],
                    "after": None,
                    "label": topic["label"],
                    "similarity": None,
                    "share_before": share_before,
                    "share_after": 0.0,
                }
            )
            continue
        j, similarity = matched[i]
        used_after.add(j)
        share_after = float(after[j].get("share", 0.0))
        ratio = share_after / share_before if share_before else math.inf
        status = "growing" if ratio > 1 + change else "fading" if ratio < 1 - change else "stable"
        out.append(
            {
                "status": status,
                "before": topic["id"],
                "after": after[j]["id"],
                "label": after[j]["label"],
                "similarity": round(similarity, 4),
                "share_before": share_before,
                "share_after": share_after,
            }
        )
    for j, topic in enumerate(after):
        if j not in used_after:
            out.append(
                {
                    "status": "new",
                    "before": None,
                    "after": topic["id"],
                    "label": topic["label"],
                    "similarity": None,
                    "share_before": 0.0,
                    "share_after": float(topic.get("share", 0.0)),
                }
            )
    return out
