"""Similar and near-duplicate texts: an incremental TF-IDF inverted index.

Used to merge "moi aussi" duplicates and to suggest answer drafts to agents: given a new text,
return the indexed texts closest to it (cosine of TF-IDF vectors) and flag near-duplicates.

Method (see docs/analysis-similar.md for measurements):

* Analysis: lower-case, accent folding, French stop words, a light French stemmer (plural and
  common derivational suffixes), then word unigrams plus bigrams of adjacent kept words. Terms
  are hashed (CRC-32) into ``n_features`` buckets (2**24: a 64 MB document-frequency table),
  so there is no vocabulary to grow or store; rare collisions slightly perturb some scores.
* Storage: the index is a list of immutable *segments* (as in Lucene). A segment stores its
  postings term-major (sorted term ids, offsets, local doc numbers, term frequencies as uint8).
  ``add`` builds a new small segment; a tiered policy merges segments of similar size, so the
  amortised cost of an add is logarithmic and a big index is never rebuilt for a small batch.
  ``remove`` only marks a tombstone; the segment is compacted when too many of its documents
  are dead.
* Weights: document frequencies are global and kept up to date, IDF is computed at query time
  (smoothed, as scikit-learn's), and each segment caches its documents' norms, refreshed when
  the corpus size drifted by more than ``norm_drift``; scores are exact cosines up to that drift.
* Query: terms are scored term-at-a-time in increasing document-frequency order until a postings
  budget is spent (rare terms carry most of the cosine); the best candidates are then rescored
  exactly with the remaining frequent terms, found by binary search in their postings.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from ecoute.common.text import ACCENT_FOLD_TABLE

from .csvfiles import CsvInputError, CsvTable

__all__ = [
    "CsvInputError",
    "Match",
    "SimilarityIndex",
    "analyse",
    "light_stem",
    "read_csv_texts",
]

FORMAT_VERSION = 1

# --------------------------------------------------------------------------------------------
# Text analysis
# --------------------------------------------------------------------------------------------


def _build_split_table() -> dict[int, str]:
    """Fold accents and turn every non-letter (digits, punctuation, symbols) into a space.

    One str.translate + str.split is several times faster than a Unicode regex, and tokenising
    dominates the cost of indexing a million texts.
    """
    table = dict(ACCENT_FOLD_TABLE)
    ranges = [range(0x250), range(0x2000, 0x2070), range(0x20A0, 0x20D0), range(0x3000, 0x3040)]
    for block in ranges:
        for code in block:
            if code not in table and not chr(code).isalpha():
                table[code] = " "
    return table


_SPLIT_TABLE = _build_split_table()

# Folded French function words plus words of any citizen message that say nothing of its topic.
STOP_WORDS: frozenset[str] = frozenset(
    """
    au aux avec ce ces cet cette ceci cela ca celui celle ceux celles dans de des du elle elles
    en et eux il ils je la le les leur leurs lui ma mais me meme memes mes moi mon ne ni nos notre
    nous on ou par pas pour qu que qui quoi sa se ses son sur ta te tes toi ton tu un une vos votre
    vous ces ete etre avoir ai as avons avez ont eu etais etait etions etiez etaient suis es est
    sommes etes sont serai sera serons serez seront serais serait seraient fus fut aie aies ait
    avais avait avions aviez avaient aurai aura aurons aurez auront aurais aurait auraient
    fait faire fais faites font faut peut peux peuvent pouvait pu doit dois doivent dit dire
    tout tous toute toutes autre autres aussi alors ainsi donc car comme si sans sous chez entre
    vers lors puis plus moins tres trop bien deja encore toujours jamais rien ici la ou quand
    comment pourquoi dont afin avant apres depuis pendant chaque quelque quelques certains
    certaines cas fois etc ni non oui sinon ceux cest ya y a c d j l m n s t qu jusqu lorsque
    puisque quel quelle quels quelles celui ci ca meme apres bonjour merci cordialement madame
    monsieur mme mr svp
    """.split()
)

# Derivational/inflectional endings, longest first; the minimum stem length keeps short words
# ("mer", "ete") intact. Applied once, after plural removal.
_SUFFIXES: tuple[tuple[str, int], ...] = tuple(
    sorted(
        [
            ("issement", 4),
            ("atrice", 4),
            ("ateur", 4),
            ("ation", 4),
            ("ition", 4),
            ("ement", 4),
            ("ment", 4),
            ("euse", 4),
            ("eur", 4),
            ("ance", 4),
            ("ence", 4),
            ("ique", 4),
            ("isme", 4),
            ("iste", 4),
            ("ite", 4),
            ("ion", 4),
            ("ee", 3),
            ("er", 3),
            ("ez", 3),
            ("e", 3),
        ],
        key=lambda item: -len(item[0]),
    )
)


def light_stem(word: str) -> str:
    """Light French stemmer on a folded word, so that inflected forms share a term.

    "démarches"/"demarche" -> "demarch", "réactualisation"/"reactualiser" -> "reactualis".
    Deliberately light (no verb conjugation tables): over-stemming merges unrelated words,
    which hurts near-duplicate precision more than a missed conflation hurts recall.
    """
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx" and word[-2] != "s":
        word = word[:-1]
    for suffix, min_stem in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Lower-case, accent-folded words of ``text``: letters only (digits, punctuation and the
    elided "l'", "qu'" fall away)."""
    return text.lower().translate(_SPLIT_TABLE).split()


def analyse(text: str) -> list[str]:
    """Stemmed, accent-folded content words of ``text``, in order (stop words removed)."""
    return [light_stem(w) for w in words(text) if len(w) > 1 and w not in STOP_WORDS]


class _TermIds(dict[str, int]):
    """token -> hashed term id (or -1 for a stop word), computed once per distinct token."""

    def __init__(self, mask: int) -> None:
        super().__init__()
        self.mask = mask

    def __missing__(self, token: str) -> int:
        if len(self) > 2_000_000:  # typos and names make the token set unbounded
            self.clear()
        if len(token) < 2 or token in STOP_WORDS:
            value = -1
        else:
            value = zlib.crc32(light_stem(token).encode()) & self.mask
        self[token] = value
        return value


def _mix_bigrams(first: np.ndarray, second: np.ndarray, mask: int) -> np.ndarray:
    """Hash id of the bigram (first, second); unsigned overflow is the point of the mix."""
    a = first.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    b = second.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    mixed = (a ^ (b >> np.uint64(17)) ^ b) >> np.uint64(20)
    return (mixed & np.uint64(mask)).astype(np.int32)


# 1 + log(tf): sublinear term frequency, looked up from the uint8 tf stored in postings.
_LTF = np.zeros(256, dtype=np.float32)
_LTF[1:] = 1.0 + np.log(np.arange(1, 256, dtype=np.float64))


# --------------------------------------------------------------------------------------------
# Segments
# --------------------------------------------------------------------------------------------


@dataclass
class _Segment:
    """Immutable postings of a run of documents (term-major), plus mutable tombstones."""

    terms: np.ndarray  # int32, sorted distinct term ids present in the segment
    ptr: np.ndarray  # int64, offsets of each term's postings in docs/tf (len(terms) + 1)
    docs: np.ndarray  # int32, local document numbers, ascending within a term
    tf: np.ndarray  # uint8, term frequency (clipped at 255)
    keys: np.ndarray  # int64, ascending internal keys of the local documents
    alive: np.ndarray  # bool per local document
    inv_norm: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # 0 if dead
    norm_docs: int = 0  # corpus size the norms were computed with

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def dead(self) -> int:
        return int(self.size - np.count_nonzero(self.alive))

    @property
    def nbytes(self) -> int:
        arrays = (self.terms, self.ptr, self.docs, self.tf, self.keys, self.alive, self.inv_norm)
        return sum(a.nbytes for a in arrays)

    def term_rows(self) -> np.ndarray:
        """Term id of every posting (expanded; temporary)."""
        return np.repeat(self.terms, np.diff(self.ptr))

    def doc_counts(self, dead_only: bool = False) -> np.ndarray:
        """Documents (alive and dead, or dead only) holding each of ``self.terms``."""
        if not dead_only:
            return np.diff(self.ptr).astype(np.int32)
        term_index = np.repeat(np.arange(len(self.terms)), np.diff(self.ptr))
        dead = ~self.alive[self.docs]
        return np.bincount(term_index[dead], minlength=len(self.terms)).astype(np.int32)

    def spans(self, terms: np.ndarray) -> list[tuple[int, int]]:
        """(start, stop) of each term's postings; (0, 0) when absent. ``terms`` is int32."""
        at = np.searchsorted(self.terms, terms)  # same dtype: no conversion of self.terms
        at[at == len(self.terms)] = 0
        present = self.terms[at] == terms
        starts = np.where(present, self.ptr[at], 0)
        stops = np.where(present, self.ptr[at + 1], 0)
        return list(zip(starts.tolist(), stops.tolist(), strict=True))

    def refresh_norms(self, idf: np.ndarray, n_docs: int) -> None:
        """Cache 1 / |d| (0 for dead documents) under ``idf``, aligned with ``self.terms``."""
        sq = np.zeros(self.size, dtype=np.float64)
        # Blocks of terms keep the float64 temporaries small on million-document segments.
        bounds = np.searchsorted(self.ptr, np.arange(0, int(self.ptr[-1]), 1 << 23))
        bounds = np.unique(np.append(bounds, len(self.terms)))
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            start, stop = self.ptr[lo], self.ptr[hi]
            rows = np.repeat(idf[lo:hi], np.diff(self.ptr[lo : hi + 1]))
            weights = (_LTF[self.tf[start:stop]] * rows).astype(np.float64)
            sq += np.bincount(self.docs[start:stop], weights=weights * weights, minlength=self.size)
        with np.errstate(divide="ignore"):
            inv = np.where(sq > 0, 1.0 / np.sqrt(sq), 0.0)
        self.inv_norm = (inv * self.alive).astype(np.float32)
        self.norm_docs = n_docs

    def kill(self, local: int) -> None:
        self.alive[local] = False
        self.inv_norm[local] = 0.0

    @classmethod
    def from_doc_major(
        cls, matrix: sp.csr_matrix, term_ids: np.ndarray, keys: np.ndarray
    ) -> _Segment:
        """Build from a documents x columns CSR of term counts; column j is term_ids[j]."""
        by_term = matrix.tocsc()  # linear-time transpose; doc numbers come out sorted per term
        counts = np.diff(by_term.indptr)
        present = np.flatnonzero(counts)
        ptr = np.zeros(len(present) + 1, dtype=np.int64)
        np.cumsum(counts[present], out=ptr[1:])
        return cls(
            terms=term_ids[present].astype(np.int32),
            ptr=ptr,
            docs=by_term.indices.astype(np.int32, copy=False),
            tf=np.minimum(by_term.data, 255).astype(np.uint8),
            keys=np.asarray(keys, dtype=np.int64),
            alive=np.ones(len(keys), dtype=bool),
        )

    @classmethod
    def merged(cls, parts: Sequence[_Segment], n_features: int) -> _Segment:
        """Concatenate segments (in key order), dropping dead documents."""
        rows, cols, vals, keys = [], [], [], []
        offset = 0
        for part in parts:
            new_local = np.cumsum(part.alive) - 1 + offset
            live = part.alive[part.docs]
            rows.append(new_local[part.docs[live]])
            cols.append(part.term_rows()[live])
            vals.append(part.tf[live])
            keys.append(part.keys[part.alive])
            offset += int(np.count_nonzero(part.alive))
        matrix, term_ids = _counts_matrix(
            np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), offset, n_features
        )
        return cls.from_doc_major(matrix, term_ids, np.concatenate(keys))


def _counts_matrix(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_rows: int, n_features: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rows x terms CSR summing duplicate (row, term) entries, and the term id of each column.

    Small inputs get a compact column space: a CSR as wide as the hash space would cost
    O(n_features) per single-text add or query.
    """
    if len(cols) * 8 < n_features:
        term_ids, cols = np.unique(cols, return_inverse=True)
    else:
        term_ids = np.arange(n_features, dtype=np.int32)
    matrix = sp.csr_matrix(
        (values.astype(np.int32), (rows, cols.astype(np.int32))),
        shape=(n_rows, len(term_ids)),
    )
    matrix.sum_duplicates()
    matrix.data = np.minimum(matrix.data, 255).astype(np.uint8)  # tf fits the postings' uint8
    return matrix, term_ids


_BLOCK = 256


def _top_candidates(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions (int32, ascending) of the ``n`` best positive scores, in O(len) with a small
    constant: len(scores) is a multiple of _BLOCK.

    The n-th best block maximum is a lower bound of the n-th best score (n distinct blocks reach
    it), so only blocks whose maximum reaches it are searched. This avoids both np.flatnonzero
    over a million scores and argpartition's slow path on the many zeros.
    """
    blocks = scores.reshape(-1, _BLOCK)
    maxima = blocks.max(axis=1)
    if n < len(maxima):
        floor = np.partition(maxima, len(maxima) - n)[len(maxima) - n]
    else:
        floor = 0.0
    floor = max(floor, np.finfo(np.float64).tiny)  # positive scores only
    chosen = np.flatnonzero(maxima >= floor)
    inner = blocks[chosen]
    rows, cols = np.nonzero(inner >= floor)
    positions = chosen[rows] * _BLOCK + cols
    if n < len(positions):
        positions = positions[np.argpartition(scores[positions], len(positions) - n)[-n:]]
        positions.sort()
    return positions.astype(np.int32)


# --------------------------------------------------------------------------------------------
# Index
# --------------------------------------------------------------------------------------------


class Match(NamedTuple):
    id: Hashable
    score: float
    near_duplicate: bool


@dataclass
class BuildStats:
    documents: int = 0
    seconds: float = 0.0
    merges: int = 0


class SimilarityIndex:
    """Incremental TF-IDF cosine index over short texts.

    ``add(ids, texts)`` (an existing id is replaced), ``remove(id)``, ``query(text, k)`` ->
    ``[(id, score)]`` best first, ``search`` -> :class:`Match` with the near-duplicate flag,
    ``save(path)`` / ``SimilarityIndex.load(path)`` (one .npz, no pickle).

    Ids are all ``int`` or all ``str``. Not thread-safe: guard writers with a lock.

    Tuning: ``max_postings`` bounds the postings scanned per query (400k keeps top-10 over 1M
    texts near 10 ms with recall@10 0.99; raise it for exactness), ``candidates`` are rescored
    exactly with the skipped frequent terms, ``duplicate_threshold`` was calibrated on real
    SP+ texts (bench/similar_quality.py), ``merge_factor`` sets the tiered merge policy.
    """

    def __init__(
        self,
        *,
        n_features: int = 1 << 24,
        bigrams: bool = True,
        duplicate_threshold: float = 0.75,
        max_postings: int = 400_000,
        candidates: int = 200,
        merge_factor: int = 4,
        max_dead_fraction: float = 0.3,
        norm_drift: float = 0.1,
    ) -> None:
        if n_features & (n_features - 1) or not 1 << 10 <= n_features <= 1 << 30:
            raise ValueError("n_features must be a power of two between 2**10 and 2**30")
        self.n_features = n_features
        self.bigrams = bigrams
        self.duplicate_threshold = duplicate_threshold
        self.max_postings = max_postings
        self.candidates = candidates
        self.merge_factor = merge_factor
        self.max_dead_fraction = max_dead_fraction
        self.norm_drift = norm_drift
        self._term_ids = _TermIds(n_features - 1)
        self._df = np.zeros(n_features, dtype=np.int32)
        self._df_docs = 0  # documents counted in _df (dead ones until their segment is compacted)
        self._segments: list[_Segment] = []
        self._ids: list[Hashable | None] = []  # internal key -> external id (None once removed)
        self._where: dict[Hashable, int] = {}  # external id -> internal key
        self._id_kind: type | None = None
        self.stats = BuildStats()

    # ---- public API ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._where

    @property
    def segment_sizes(self) -> list[int]:
        return [s.size for s in self._segments]

    @property
    def nbytes(self) -> int:
        """Bytes held by numpy arrays (the id map, a Python dict, comes on top)."""
        return self._df.nbytes + sum(s.nbytes for s in self._segments)

    def add(self, ids: Iterable[Hashable], texts: Iterable[str], batch_size: int = 50_000) -> int:
        """Index texts under ids; an id already present is replaced. Returns the count added.

        One call makes one new segment (texts are tokenised ``batch_size`` at a time), so load
        a corpus in one call rather than text by text.
        """
        start = time.perf_counter()
        id_iter, text_iter = iter(ids), iter(texts)
        new_ids: list[Hashable] = []
        matrices: list[tuple[sp.csr_matrix, np.ndarray]] = []
        term_ids = np.zeros(0, dtype=np.int32)
        while True:
            batch_ids = list(islice(id_iter, batch_size))
            batch_texts = list(islice(text_iter, batch_size))
            if len(batch_ids) != len(batch_texts):
                raise ValueError("ids and texts differ in length")
            if not batch_ids:
                break
            self._check_ids(batch_ids)
            matrix, term_ids = self._encode(batch_texts)
            new_ids.extend(batch_ids)
            matrices.append((matrix, term_ids))
        if not new_ids:
            return 0
        if len(matrices) > 1:
            # Back to the shared hash space; term_ids ascend, so rows stay sorted.
            term_ids = np.arange(self.n_features, dtype=np.int32)
            matrix = sp.vstack([self._widen(*pair) for pair in matrices], format="csr")
        del matrices
        # Last occurrence of an id wins, within the call as across calls.
        last = {doc_id: n for n, doc_id in enumerate(new_ids)}
        if len(last) != len(new_ids):
            rows = np.array(sorted(last.values()))
            new_ids = [new_ids[n] for n in rows]
            matrix = matrix[rows]
        for doc_id in new_ids:
            if doc_id in self._where:
                self.remove(doc_id)
        first_key = len(self._ids)
        keys = np.arange(first_key, first_key + len(new_ids), dtype=np.int64)
        self._ids.extend(new_ids)
        self._where.update(zip(new_ids, range(first_key, first_key + len(new_ids)), strict=True))
        segment = _Segment.from_doc_major(matrix, term_ids, keys)
        del matrix
        self._df[segment.terms] += segment.doc_counts()
        self._df_docs += len(new_ids)
        segment.refresh_norms(self._idf(segment.terms), self._df_docs)
        self._segments.append(segment)
        self._maintain()
        self.stats.documents += len(new_ids)
        self.stats.seconds += time.perf_counter() - start
        return len(new_ids)

    def remove(self, doc_id: Hashable) -> bool:
        """Forget a document (tombstone; space is reclaimed when its segment is compacted)."""
        key = self._where.pop(doc_id, None)
        if key is None:
            return False
        self._ids[key] = None
        segment, local = self._locate(key)
        segment.kill(local)
        if segment.dead > self.max_dead_fraction * segment.size:
            self._compact([segment])
        return True

    def query(self, text: str, k: int = 10, min_score: float = 0.0) -> list[tuple[Hashable, float]]:
        """The ``k`` indexed texts most similar to ``text``: ``[(id, cosine)]``, best first."""
        if k <= 0 or not self._where:
            return []
        terms, weights = self._query_vector(text)
        if len(terms) == 0:
            return []
        return [
            (doc_id, score) for doc_id, score in self._top(terms, weights, k) if score > min_score
        ]

    def search(self, text: str, k: int = 10, min_score: float = 0.0) -> list[Match]:
        """Like :meth:`query`, with the near-duplicate flag (cosine >= duplicate_threshold)."""
        return [
            Match(doc_id, score, score >= self.duplicate_threshold)
            for doc_id, score in self.query(text, k, min_score)
        ]

    def near_duplicates(self, text: str, k: int = 10) -> list[tuple[Hashable, float]]:
        """Indexed texts that are (almost) the same text: same words, at most light edits."""
        return self.query(text, k, min_score=self.duplicate_threshold - 1e-9)

    def compact(self) -> None:
        """Merge every segment into one without dead documents (e.g. before a save, at night):
        document frequencies become exact again and queries touch a single segment."""
        if len(self._segments) > 1 or any(s.dead for s in self._segments):
            self._merge(0, len(self._segments))
            self._segments = [s for s in self._segments if s.size]

    # ---- persistence -----------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to one uncompressed .npz (fast to load; ids kept, texts not)."""
        arrays: dict[str, np.ndarray] = {}
        config = {
            "format": FORMAT_VERSION,
            "n_features": self.n_features,
            "bigrams": self.bigrams,
            "duplicate_threshold": self.duplicate_threshold,
            "max_postings": self.max_postings,
            "candidates": self.candidates,
            "merge_factor": self.merge_factor,
            "max_dead_fraction": self.max_dead_fraction,
            "norm_drift": self.norm_drift,
            "df_docs": self._df_docs,
            "id_kind": self._id_kind.__name__ if self._id_kind else None,
            "segments": len(self._segments),
        }
        arrays["config"] = np.array(json.dumps(config))
        arrays["df"] = self._df
        all_ids: list[Any] = []
        for n, segment in enumerate(self._segments):
            for name in ("terms", "ptr", "docs", "tf", "alive", "inv_norm"):
                arrays[f"s{n}_{name}"] = getattr(segment, name)
            arrays[f"s{n}_norm_docs"] = np.array(segment.norm_docs)
            filler = 0 if self._id_kind is int else ""
            all_ids.extend(
                filler if self._ids[key] is None else self._ids[key] for key in segment.keys
            )
        if self._id_kind is str:
            arrays["ids"] = np.array(all_ids, dtype=str)
        else:
            arrays["ids"] = np.array(all_ids, dtype=np.int64)
        with open(path, "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: str | Path) -> SimilarityIndex:
        with np.load(path, allow_pickle=False) as data:
            config = json.loads(str(data["config"]))
            if config.pop("format") != FORMAT_VERSION:
                raise ValueError(f"{path}: unsupported index format")
            df_docs = config.pop("df_docs")
            id_kind = config.pop("id_kind")
            n_segments = config.pop("segments")
            index = cls(**config)
            index._df = data["df"].copy()
            index._df_docs = df_docs
            index._id_kind = {"int": int, "str": str, None: None}[id_kind]
            raw_ids = data["ids"].tolist()
            offset = 0
            for n in range(n_segments):
                alive = data[f"s{n}_alive"].copy()
                size = len(alive)
                segment = _Segment(
                    terms=data[f"s{n}_terms"],
                    ptr=data[f"s{n}_ptr"],
                    docs=data[f"s{n}_docs"],
                    tf=data[f"s{n}_tf"],
                    keys=np.arange(offset, offset + size, dtype=np.int64),
                    alive=alive,
                    inv_norm=data[f"s{n}_inv_norm"].copy(),
                    norm_docs=int(data[f"s{n}_norm_docs"]),
                )
                index._segments.append(segment)
                for local in range(size):
                    doc_id = raw_ids[offset + local] if alive[local] else None
                    index._ids.append(doc_id)
                    if doc_id is not None:
                        index._where[doc_id] = offset + local
                offset += size
        return index

    # ---- internals ---------------------------------------------------------------------------

    def _idf(self, terms: np.ndarray) -> np.ndarray:
        """Smoothed IDF (as scikit-learn's) of the given term ids, from the current counts."""
        df = self._df[terms].astype(np.float64)
        return (np.log((1.0 + self._df_docs) / (1.0 + df)) + 1.0).astype(np.float32)

    def _encode(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
        """Documents x terms matrix of term counts, and the hashed term id of each column."""
        ids = self._term_ids
        term_of = ids.__getitem__  # C-level lookups; __missing__ runs once per new token
        flat: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for n, text in enumerate(texts):
            tokens = text.lower().translate(_SPLIT_TABLE).split()
            lengths[n] = len(tokens)
            flat.extend(map(term_of, tokens))
        hashed = np.array(flat, dtype=np.int32)
        kept = hashed >= 0  # stop words and one-letter tokens hash to -1
        unigrams = hashed[kept]
        doc_of = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)[kept]
        cols, rows = [unigrams], [doc_of]
        if self.bigrams and len(unigrams) > 1:
            same_doc = doc_of[1:] == doc_of[:-1]
            pairs = same_doc & (unigrams[1:] != unigrams[:-1])
            cols.append(_mix_bigrams(unigrams[:-1][pairs], unigrams[1:][pairs], ids.mask))
            rows.append(doc_of[:-1][pairs])
        col = np.concatenate(cols)
        row = np.concatenate(rows)
        return _counts_matrix(row, col, np.ones(len(col), np.int32), len(texts), self.n_features)

    def _check_ids(self, batch_ids: list[Hashable]) -> None:
        for doc_id in batch_ids:
            kind = type(doc_id)
            if kind is not self._id_kind:
                if kind not in (int, str):
                    raise TypeError(f"ids must be int or str, not {kind.__name__}")
                if self._id_kind is not None:
                    raise TypeError(f"ids must all be {self._id_kind.__name__}")
                self._id_kind = kind

    def _widen(self, matrix: sp.csr_matrix, term_ids: np.ndarray) -> sp.csr_matrix:
        """A compact-column batch matrix re-expressed over the whole hash space."""
        if matrix.shape[1] == self.n_features:
            return matrix
        return sp.csr_matrix(
            (matrix.data, term_ids[matrix.indices], matrix.indptr),
            shape=(matrix.shape[0], self.n_features),
        )

    def _maintain(self) -> None:
        # Tiered merges: merge the two newest segments while the older is not much bigger.
        segments = self._segments
        while len(segments) >= 2 and segments[-2].size <= self.merge_factor * segments[-1].size:
            self._merge(len(segments) - 2, len(segments))
        # Norms follow IDF when the corpus grew or shrank noticeably since they were computed.
        for segment in segments:
            drift = abs(self._df_docs - segment.norm_docs) / max(self._df_docs, 1)
            if drift > self.norm_drift:
                segment.refresh_norms(self._idf(segment.terms), self._df_docs)

    def _merge(self, start: int, stop: int) -> None:
        parts = self._segments[start:stop]
        for part in parts:
            if part.dead:
                self._df[part.terms] -= part.doc_counts(dead_only=True)
                self._df_docs -= part.dead
        merged = _Segment.merged(parts, self.n_features)
        merged.refresh_norms(self._idf(merged.terms), self._df_docs)
        self._segments[start:stop] = [merged]
        self.stats.merges += 1

    def _compact(self, targets: list[_Segment]) -> None:
        for target in targets:
            n = next(i for i, s in enumerate(self._segments) if s is target)
            self._merge(n, n + 1)
        self._segments = [s for s in self._segments if s.size]

    def _locate(self, key: int) -> tuple[_Segment, int]:
        for segment in self._segments:
            if len(segment.keys) and segment.keys[0] <= key <= segment.keys[-1]:
                local = int(np.searchsorted(segment.keys, key))
                if segment.keys[local] == key:
                    return segment, local
        raise KeyError(key)  # pragma: no cover - _where and segments are kept in step

    def _query_vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        row, term_ids = self._encode([text])
        terms = term_ids[row.indices].astype(np.int64)
        weights = _LTF[np.minimum(row.data, 255)] * self._idf(terms)
        norm = float(np.sqrt(np.dot(weights, weights)))
        if norm == 0.0:
            return terms[:0], weights[:0]
        # Unseen terms stay in the norm (a text full of new words is less similar) but have no
        # postings to read.
        seen = self._df[terms] > 0
        return terms[seen], (weights / norm)[seen]

    def _top(self, terms: np.ndarray, weights: np.ndarray, k: int) -> list[tuple[Hashable, float]]:
        idf = self._idf(terms)
        # Score w_q * idf * ltf / |d|: fold the query-side factors into one weight per term.
        term_weight = weights * idf
        order = np.argsort(self._df[terms], kind="stable")
        budget = self.max_postings
        scan: list[int] = []
        for position in order:
            df = int(self._df[terms[position]])
            if scan and df > budget:
                break
            scan.append(int(position))
            budget -= df
        rest = [int(p) for p in order[len(scan) :]]
        n_candidates = max(self.candidates, k) if rest else k

        scan_terms = terms[scan].astype(np.int32)
        rest_terms = terms[rest].astype(np.int32)
        scan_weights = term_weight[scan]
        rest_weights = term_weight[rest]
        found_keys: list[np.ndarray] = []
        found_scores: list[np.ndarray] = []
        for segment in self._segments:
            if segment.size == segment.dead:
                continue
            docs_parts, weight_parts = [], []
            for (start, stop), weight in zip(segment.spans(scan_terms), scan_weights, strict=True):
                if stop > start:
                    docs_parts.append(segment.docs[start:stop])
                    weight_parts.append(_LTF[segment.tf[start:stop]] * weight)
            if not docs_parts:
                continue
            docs = np.concatenate(docs_parts)
            padded = -(-segment.size // _BLOCK) * _BLOCK
            scores = np.bincount(docs, weights=np.concatenate(weight_parts), minlength=padded)
            scores[: segment.size] *= segment.inv_norm
            local = _top_candidates(scores, n_candidates)
            local.sort()
            cand_scores = scores[local]
            inv_norm = segment.inv_norm[local]
            for (start, stop), weight in zip(segment.spans(rest_terms), rest_weights, strict=True):
                if stop == start or not len(local):
                    continue
                docs = segment.docs[start:stop]
                at = np.searchsorted(docs, local)  # both int32: no copy of the long posting
                at[at == len(docs)] = 0
                hit = docs[at] == local
                cand_scores[hit] += _LTF[segment.tf[start:stop][at[hit]]] * weight * inv_norm[hit]
            found_keys.append(segment.keys[local])
            found_scores.append(cand_scores)
        if not found_keys:
            return []
        keys = np.concatenate(found_keys)
        scores = np.concatenate(found_scores)
        # Best first; ties broken by insertion order so results are deterministic.
        best = np.lexsort((keys, -scores))[:k]
        ids = self._ids
        return [(ids[int(keys[i])], min(float(scores[i]), 1.0)) for i in best]


# --------------------------------------------------------------------------------------------
# CSV input
# --------------------------------------------------------------------------------------------


def read_csv_texts(
    path: str | Path, column: str, id_column: str | None = None
) -> Iterator[tuple[int | str, str]]:
    """Stream ``(id, text)`` from a UTF-8 CSV (separator detected, see ``csvfiles``).

    The id is ``id_column``'s value, or the 1-based data row number. Raises
    :class:`CsvInputError` for a missing or empty file, a missing column or bytes that are not
    UTF-8.
    """
    table = CsvTable(path)
    text_at, *rest = table.columns([column, *([id_column] if id_column is not None else [])])
    id_at = rest[0] if rest else None
    for number, (_line, record) in enumerate(table.records(), start=1):
        yield (number if id_at is None else record[id_at]), record[text_at]
