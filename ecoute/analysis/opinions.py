"""Opinion groups in a vote matrix, after the published Pol.is method (polismath).

Input: a chronological log of votes (participant, contribution, agree=1 / pass=0 /
disagree=-1). Output: opinion groups of participants, the contributions that represent each
group, and the contributions agreed on across groups.

Pipeline of one Pol.is "conversation update" (polismath ``conversation.clj``):

1. the vote matrix keeps the latest vote per (participant, contribution);
2. "in-conv" participants (clustered ones): >= min(7, n contributions) votes, sticky, and the
   15 most active ones while fewer than 15 qualify;
3. PCA to 2 components of the matrix whose missing votes are imputed with column means. After
   centring on those means the matrix is sparse (missing cells are exactly 0), so we never
   build the dense matrix;
4. sparsity-aware projection: scaled by sqrt(n contributions / n votes of the participant);
   moderated-out contributions count in both terms for everybody, because polismath zeroes
   their whole column (``zero-out-columns``) instead of dropping it;
5. k-means into 100 "base clusters" (warm-started from the previous update);
6. weighted k-means of the base clusters for k in 2..min(5, 2 + n_base // 12), silhouette on
   the base clusters, and "k smoothing": a new k is adopted only once it has been the best for
   4 consecutive updates. Our addition (documented as a departure): a larger k counts as the
   best only if its silhouette beats every smaller k by ``k_margin``. The group k-means is
   warm-started from the previous update only, as in Pol.is (``group_restarts`` = 0; extra
   k-means++ starts remain available but lower the agreement with Pol.is);
7. representative contributions (repness) per group and consensus across groups.

Pol.is runs step 2-6 at every batch of new votes and each step starts from the previous state,
so the result depends on the history. ``compute_opinion_groups`` replays the vote log in
``updates`` chronological prefixes to reproduce that (see docs/analysis-opinions.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh
from scipy.spatial import cKDTree

from .csvfiles import AnalysisInputError, CsvTable

AGREE, PASS, DISAGREE = 1, 0, -1
Z_90 = 1.2816  # one-sided 90 % significance, as polismath stats/z-sig-90?


class OpinionDataError(AnalysisInputError):
    """Input that cannot be analysed (missing file or column, bad vote value...)."""


@dataclass(frozen=True)
class OpinionParams:
    """Pol.is defaults (polismath ``base-conv-update-graph`` opts)."""

    min_votes: int = 7  # in-conv threshold: min(min_votes, n comments) votes
    greedy_n: int = 15  # keep at least this many most active participants in-conv
    base_k: int = 100
    base_iters: int = 100
    max_k: int = 5
    group_iters: int = 20  # polismath passes :cluster-iters, ignored, so kmeans' default 20
    k_buffer: int = 4  # consecutive updates a new k must win before it is adopted
    # chronological replay steps (1 = one-shot batch, no history); Pol.is updates at every
    # batch of new votes, so a finer replay is closer to it (10 -> 40: mean ARI 0.46 -> 0.55)
    updates: int = 40
    # how the log is cut into updates: "equal" = ``updates`` prefixes of equal vote counts;
    # "geometric" = an update each time the vote count has grown by ``growth`` (scale-free:
    # Pol.is recomputes at every batch of new votes, early votes move the maths most);
    # "time" = one update per ``interval`` seconds holding votes (needs ``VoteLog.times``);
    # "batch" = an update every ``batch`` votes (Pol.is recomputes as new votes come in)
    schedule: str = "equal"
    growth: float = 1.1
    interval: float = 3600.0
    batch: int = 250
    pca_tol: float = 1e-6
    group_restarts: int = 0  # extra k-means++ starts for the group clustering (not Pol.is)
    k_margin: float = 0.05  # a larger k must beat a smaller one by this silhouette gain
    # polismath zero-out-columns: a moderated-out comment is a 0 of every participant in the
    # projection scale (False: the column is dropped, as in Écoute before issue 11)
    zero_out_moderated: bool = True
    seed: int = 0
    max_representative: int = 5
    max_consensus: int = 10


# --------------------------------------------------------------------------------------------
# Vote log and reading of the Pol.is export format


@dataclass
class VoteLog:
    """Votes in chronological order, as integer indices into the id lists."""

    participant: np.ndarray  # int32, index into participant_ids
    comment: np.ndarray  # int32, index into comment_ids
    value: np.ndarray  # int8 in {-1, 0, 1}
    participant_ids: list[str]
    comment_ids: list[str]
    comment_texts: dict[str, str] = field(default_factory=dict)
    excluded_comments: frozenset[str] = frozenset()  # moderated out: no weight in the maths
    times: np.ndarray | None = None  # seconds, non-decreasing (optional: time schedule)

    @property
    def n_votes(self) -> int:
        return int(self.value.size)

    @classmethod
    def from_records(
        cls,
        records: Iterable[tuple[str, str, int]],
        comment_texts: dict[str, str] | None = None,
        excluded_comments: Iterable[str] = (),
    ) -> VoteLog:
        """Build from (participant id, comment id, vote) tuples already in chronological order.

        Ids get indices in order of first appearance, as rows/columns do in polismath.
        """
        pids: dict[str, int] = {}
        cids: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[int] = []
        for pid, cid, vote in records:
            rows.append(pids.setdefault(pid, len(pids)))
            cols.append(cids.setdefault(cid, len(cids)))
            vals.append(vote)
        return cls(
            participant=np.asarray(rows, dtype=np.int32),
            comment=np.asarray(cols, dtype=np.int32),
            value=np.asarray(vals, dtype=np.int8),
            participant_ids=list(pids),
            comment_ids=list(cids),
            comment_texts=dict(comment_texts or {}),
            excluded_comments=frozenset(excluded_comments),
        )


def _table(path: Path, required: Sequence[str], label: str) -> tuple[CsvTable, list[int]]:
    if not path.is_file():
        raise OpinionDataError(f"{label} file not found: {path}")
    table = CsvTable(path)
    return table, table.columns(required)


def read_polis_export(comments_path: str | Path, votes_path: str | Path) -> VoteLog:
    """Read the Pol.is open-data export (comments.csv + votes.csv).

    comments.csv needs ``comment-id`` and ``comment-body`` (``moderated`` = -1 excludes a
    comment, as Pol.is does); votes.csv needs ``voter-id``, ``comment-id`` and ``vote`` in
    -1/0/1 (1 = agree). With a ``timestamp`` column votes are replayed in time order (stable),
    otherwise in file order; the latest vote per (voter, comment) counts.
    """
    comments_path, votes_path = Path(comments_path), Path(votes_path)
    table, (i_id, i_body) = _table(comments_path, ("comment-id", "comment-body"), "comments")
    texts: dict[str, str] = {}
    excluded: set[str] = set()
    i_mod = table.header.index("moderated") if "moderated" in table.header else None
    for line, row in table.records(pad=False):
        if len(row) <= max(i_id, i_body):
            raise OpinionDataError(f"{comments_path.name} line {line}: too few fields")
        cid = row[i_id].strip()
        texts[cid] = row[i_body]
        if i_mod is not None and i_mod < len(row) and row[i_mod].strip() == "-1":
            excluded.add(cid)

    table, (i_pid, i_cid, i_vote) = _table(votes_path, ("voter-id", "comment-id", "vote"), "votes")
    i_ts = table.header.index("timestamp") if "timestamp" in table.header else None
    width = max(i_pid, i_cid, i_vote, -1 if i_ts is None else i_ts)
    records: list[tuple[str, str, int]] = []
    stamps: list[float] = []
    allowed = {"1": 1, "0": 0, "-1": -1, "1.0": 1, "0.0": 0, "-1.0": -1, "-0": 0}
    for line, row in table.records(pad=False):
        if len(row) <= width:
            raise OpinionDataError(f"{votes_path.name} line {line}: too few fields")
        raw = row[i_vote].strip()
        if raw not in allowed:
            raise OpinionDataError(f"{votes_path.name} line {line}: vote {raw!r} is not -1, 0 or 1")
        cid = row[i_cid].strip()
        if cid not in texts:
            raise OpinionDataError(
                f"{votes_path.name} line {line}: comment-id {cid!r} is not in {comments_path.name}"
            )
        if i_ts is not None:
            try:
                stamps.append(float(row[i_ts]))
            except ValueError:
                raise OpinionDataError(
                    f"{votes_path.name} line {line}: timestamp {row[i_ts]!r} is not a number"
                ) from None
        records.append((row[i_pid].strip(), cid, allowed[raw]))
    if i_ts is None:
        return VoteLog.from_records(records, comment_texts=texts, excluded_comments=excluded)
    order = np.argsort(np.asarray(stamps), kind="stable")
    records = [records[i] for i in order]
    log = VoteLog.from_records(records, comment_texts=texts, excluded_comments=excluded)
    times = np.asarray(stamps, dtype=np.float64)[order]
    # Pol.is exports milliseconds since the epoch; keep seconds
    log.times = times / 1000.0 if times.size and times.max() > 1e11 else times
    return log


# --------------------------------------------------------------------------------------------
# Numerical building blocks


def _next_same_cell(log: VoteLog) -> np.ndarray:
    """For each vote, the index of the next vote on the same (participant, comment), or n.

    Computed once, so each replayed prefix keeps its latest votes with one comparison.
    """
    n = log.n_votes
    key = log.participant.astype(np.int64) * max(len(log.comment_ids), 1) + log.comment
    order = np.argsort(key, kind="stable")  # chronological within a cell
    nxt = np.full(n, n, dtype=np.int64)
    same = key[order[1:]] == key[order[:-1]]
    nxt[order[:-1][same]] = order[1:][same]
    return nxt


def _latest_votes(
    log: VoteLog, upto: int, next_same: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, values) of the latest vote per cell among the first ``upto`` votes."""
    keep = np.flatnonzero(next_same[:upto] >= upto)
    return log.participant[keep], log.comment[keep], log.value[keep]


def _top2_components(x: sp.csr_matrix, start: np.ndarray | None, tol: float) -> np.ndarray:
    """Top-2 eigenvectors of X^T X (what polismath's power iteration converges to).

    Block power iteration warm-started from the previous components (as Pol.is does), with
    a Rayleigh-Ritz step; falls back to ARPACK when it does not converge quickly.
    """
    n_cols = x.shape[1]
    k = min(2, n_cols, x.shape[0])
    if k == 0:
        return np.zeros((2, n_cols))
    xt = x.T.tocsr()
    if start is not None and start.shape[1] == n_cols and np.all(np.isfinite(start)):
        v = start[:k].T.copy()
        converged: np.ndarray | None = None
        for _ in range(60):
            w = xt @ (x @ v)
            q, _ = np.linalg.qr(w)
            # Rayleigh-Ritz in the 2-d subspace gives ordered eigenvectors
            h = q.T @ (xt @ (x @ q))
            evals, evecs = np.linalg.eigh(h)
            new = q @ evecs[:, ::-1]
            if np.max(np.abs(np.abs(np.sum(new * v, axis=0)) - 1.0)) < tol:
                converged = new
                break
            v = new
        if converged is not None:
            comps = converged.T
            return _pad_components(_fix_signs(comps, start[:k]))
    if min(x.shape) <= 3:
        dense = (xt @ x).toarray()
        evals, evecs = np.linalg.eigh(dense)
        comps = evecs[:, ::-1][:, :k].T
    else:
        op = sp.linalg.LinearOperator(
            (n_cols, n_cols), matvec=lambda v: xt @ (x @ v), dtype=np.float64
        )
        evals, evecs = eigsh(op, k=k, which="LA", v0=np.ones(n_cols), tol=tol * 1e-3)
        comps = evecs[:, np.argsort(evals)[::-1]].T
    return _pad_components(_fix_signs(comps, None if start is None else start[:k]))


def _pad_components(comps: np.ndarray) -> np.ndarray:
    if comps.shape[0] == 2:
        return comps
    return np.vstack([comps, np.zeros((2 - comps.shape[0], comps.shape[1]))])


def _fix_signs(comps: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """Deterministic orientation: keep the previous update's orientation, else sum >= 0."""
    comps = comps.copy()
    for i in range(comps.shape[0]):
        ref = None
        if previous is not None and previous.shape == comps.shape:
            ref = float(previous[i] @ comps[i])
        if ref is None or ref == 0.0:
            ref = float(comps[i].sum()) or 1.0
        if ref < 0:
            comps[i] = -comps[i]
    return comps


def _nearest(points: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of and distance to the nearest centre (2-d points)."""
    if points.shape[0] * centers.shape[0] > 20_000:
        dist, idx = cKDTree(centers).query(points)
        return np.asarray(idx, dtype=np.int64), np.asarray(dist)
    d = _sq_dists(points, centers)
    idx = np.argmin(d, axis=1)
    return idx, np.sqrt(d[np.arange(points.shape[0]), idx])


def _distinct_first(points: np.ndarray) -> np.ndarray:
    """Sorted indices of the first occurrence of each distinct row (2-d points)."""
    flat = np.ascontiguousarray(points, dtype=np.float64).view(np.complex128).ravel()
    _, first = np.unique(flat, return_index=True)
    return np.sort(first)


def _sq_dists(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    d = (
        np.sum(points * points, axis=1)[:, None]
        - 2.0 * points @ centers.T
        + np.sum(centers * centers, axis=1)[None, :]
    )
    return np.maximum(d, 0.0)


@dataclass
class _Clustering:
    """k-means result: centers (k, 2), persistent ids (k,), labels (n,) as row index."""

    centers: np.ndarray
    ids: np.ndarray
    labels: np.ndarray


def _weighted_means(
    points: np.ndarray, labels: np.ndarray, k: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    wsum = np.bincount(labels, weights=weights, minlength=k)
    sums = np.stack(
        [np.bincount(labels, weights=weights * points[:, j], minlength=k) for j in (0, 1)],
        axis=1,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        centers = sums / wsum[:, None]
    return centers, wsum


def _kmeans(
    points: np.ndarray,
    k: int,
    weights: np.ndarray,
    max_iters: int,
    last: _Clustering | None = None,
) -> _Clustering:
    """polismath ``clusters/kmeans``: deterministic init, warm start, empty clusters dropped."""
    n = points.shape[0]
    if n == 0:
        return _Clustering(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), np.zeros(0, np.int64))
    if last is None or last.centers.shape[0] == 0:
        # init-clusters: the first k distinct rows, in row order
        first = _distinct_first(points)[:k]
        centers, ids = points[first].copy(), np.arange(first.size, dtype=np.int64)
    else:
        centers, ids = _clean_start(points, k, weights, last)
    labels = np.zeros(n, dtype=np.int64)
    for it in range(max_iters + 1):
        labels = _nearest(points, centers)[0]
        new_centers, wsum = _weighted_means(points, labels, centers.shape[0], weights)
        alive = wsum > 0
        same = bool(np.all(alive)) and bool(
            np.all(np.linalg.norm(new_centers - centers, axis=1) < 0.01)
        )
        if not np.all(alive):
            remap = np.cumsum(alive) - 1
            labels = remap[labels]
        centers, ids = new_centers[alive], ids[alive]
        if same or it == max_iters:
            break
    return _Clustering(centers, ids, labels)


def _clean_start(
    points: np.ndarray, k: int, weights: np.ndarray, last: _Clustering
) -> tuple[np.ndarray, np.ndarray]:
    """polismath ``clean-start-clusters``: recentre the previous clusters on their members'
    new positions, merge identical ones, then split off the most distal point until there are
    min(k, n distinct points) clusters."""
    n = points.shape[0]
    prev = np.full(n, -1, dtype=np.int64)
    m = min(n, last.labels.size)
    prev[:m] = last.labels[:m]  # rows added since the last update have no cluster yet
    known = prev >= 0
    centers, wsum = _weighted_means(points[known], prev[known], last.ids.size, weights[known])
    alive = wsum > 0
    if not alive.any():
        centers = np.average(points, axis=0, weights=weights)[None, :]
        ids = np.array([int(last.ids.max()) + 1 if last.ids.size else 0])
        prev = np.zeros(n, dtype=np.int64)
    else:
        remap = np.cumsum(alive) - 1
        prev = np.where(known, remap[np.maximum(prev, 0)], -1)
        centers, ids = centers[alive], last.ids[alive]
        # uniqify: identical centres are merged into the bigger cluster
        _, uniq_first, inverse = np.unique(centers, axis=0, return_index=True, return_inverse=True)
        if uniq_first.size < centers.shape[0]:
            inverse = inverse.ravel()
            keep = np.sort(uniq_first)
            pos = {int(j): i for i, j in enumerate(keep)}
            merged_into = np.array([pos[int(uniq_first[inverse[j]])] for j in range(len(ids))])
            prev = np.where(prev >= 0, merged_into[np.maximum(prev, 0)], -1)
            centers, ids = centers[keep], ids[keep]
    possible = min(k, _distinct_first(points).size) if len(centers) < k else len(centers)
    next_id = int(max(last.ids.max(initial=-1), ids.max(initial=-1))) + 1
    center_list, id_list = list(centers), list(ids)
    while len(center_list) < possible:
        d = _nearest(points, np.asarray(center_list))[1]
        far = int(np.argmax(d))
        if d[far] <= 0:
            break
        prev[far] = len(center_list)
        center_list.append(points[far].copy())
        id_list.append(next_id)
        next_id += 1
        # recenter-clusters on current members (members never assigned keep their centre)
        c = np.asarray(center_list)
        known = prev >= 0
        means, wsum = _weighted_means(points[known], prev[known], len(center_list), weights[known])
        c = np.where(wsum[:, None] > 0, means, c)
        center_list = list(c)
    return np.asarray(center_list), np.asarray(id_list, dtype=np.int64)


def _inertia(points: np.ndarray, weights: np.ndarray, c: _Clustering) -> float:
    return float(np.sum(weights * np.sum((points - c.centers[c.labels]) ** 2, axis=1)))


def _robust_group_kmeans(
    points: np.ndarray, k: int, weights: np.ndarray, p: OpinionParams, last: _Clustering | None
) -> _Clustering:
    """Weighted k-means of the base clusters, keeping the lowest-inertia of several starts.

    Pol.is only warm-starts from the previous update, so a bad local optimum can persist for
    the whole conversation and tilt the silhouette comparison between k values. We also try
    the polismath deterministic start and ``p.group_restarts`` k-means++ starts (fixed seed).
    """
    cands = [_kmeans(points, k, weights, p.group_iters, last)]
    if last is not None:
        cands.append(_kmeans(points, k, weights, p.group_iters, None))
    rng = np.random.default_rng(p.seed + k)
    n = points.shape[0]
    for _ in range(p.group_restarts if n > k else 0):
        chosen = [int(rng.choice(n, p=weights / weights.sum()))]
        for _ in range(1, k):
            d = _sq_dists(points, points[chosen]).min(axis=1) * weights
            if d.sum() <= 0:
                break
            chosen.append(int(rng.choice(n, p=d / d.sum())))
        init = _Clustering(points[chosen], np.arange(len(chosen)), np.zeros(n, dtype=np.int64))
        init.labels = np.argmin(_sq_dists(points, init.centers), axis=1)
        cands.append(_kmeans(points, k, weights, p.group_iters, init))
    return min(cands, key=lambda c: (-min(c.ids.size, k), _inertia(points, weights, c)))


def _silhouette(dist: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette over base clusters (unweighted, singleton clusters count 0)."""
    k = int(labels.max()) + 1 if labels.size else 0
    if k < 2:
        return -1.0
    counts = np.bincount(labels, minlength=k)
    sums = np.stack([dist[:, labels == j].sum(axis=1) for j in range(k)], axis=1)
    n = labels.size
    own = counts[labels]
    a = np.where(own > 1, sums[np.arange(n), labels] / np.maximum(own - 1, 1), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = sums / counts[None, :]
    means[np.arange(n), labels] = np.inf
    means[:, counts == 0] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(own > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(np.mean(s))


# --------------------------------------------------------------------------------------------
# Conversation state and one update


@dataclass
class _State:
    in_conv: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    comps: np.ndarray | None = None
    comp_cols: np.ndarray | None = None  # comment indices the components refer to
    base: _Clustering | None = None
    base_rows: np.ndarray | None = None  # participant index of each clustered row
    groups: dict[int, _Clustering] = field(default_factory=dict)
    group_base_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None
    silhouettes: dict[int, float] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Snapshot:
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    n_participants: int
    n_comments: int
    active_cols: np.ndarray  # comment indices used by the maths (not moderated out)
    projection: np.ndarray  # (n_participants, 2)


def _update(
    log: VoteLog, upto: int, state: _State, p: OpinionParams, next_same: np.ndarray
) -> _Snapshot:
    rows, cols, vals = _latest_votes(log, upto, next_same)
    n_part = int(log.participant[:upto].max()) + 1 if upto else 0
    n_cmts = int(log.comment[:upto].max()) + 1 if upto else 0

    # in-conv (sticky) counts every vote, moderated comments included, like polismath
    counts = np.bincount(rows, minlength=n_part)
    in_conv = np.zeros(n_part, dtype=bool)
    in_conv[: state.in_conv.size] = state.in_conv
    in_conv |= counts >= min(p.min_votes, n_cmts)
    if in_conv.sum() < p.greedy_n:
        # stable sort: ties go to the earliest participant
        order = np.argsort(-counts, kind="stable")
        extra = [i for i in order if not in_conv[i]][: p.greedy_n - int(in_conv.sum())]
        in_conv[extra] = True
    state.in_conv = in_conv

    # moderated-out comments carry no weight (polismath zeroes their column)
    excluded = np.array([cid in log.excluded_comments for cid in log.comment_ids[:n_cmts]])
    active_cols = np.flatnonzero(~excluded) if n_cmts else np.zeros(0, dtype=np.int64)
    col_pos = np.full(n_cmts, -1, dtype=np.int64)
    col_pos[active_cols] = np.arange(active_cols.size)
    keep = col_pos[cols] >= 0
    r, c, v = rows[keep], col_pos[cols[keep]], vals[keep].astype(np.float64)
    n_act = active_cols.size
    col_n = np.bincount(c, minlength=n_act)
    col_mean = np.bincount(c, weights=v, minlength=n_act) / np.maximum(col_n, 1)
    # imputing missing cells with the column mean then centring leaves them at exactly 0
    x = sp.csr_matrix((v - col_mean[c], (r, c)), shape=(n_part, n_act))

    start = None
    if state.comps is not None and state.comp_cols is not None:
        start = np.ones((2, n_act))  # new comments start at 1, as polismath pads with 1s
        prev_pos = col_pos[state.comp_cols]
        ok = prev_pos >= 0
        start[:, prev_pos[ok]] = state.comps[:, ok]
    comps = _top2_components(x, start, p.pca_tol)
    state.comps, state.comp_cols = comps, active_cols

    n_voted = np.bincount(r, minlength=n_part)
    if p.zero_out_moderated:
        # polismath zero-out-columns sets a moderated-out column to 0 for EVERY participant, so
        # in the sparsity-aware projection each one counts as a vote of everybody
        n_out = n_cmts - n_act
        scale = np.sqrt(n_cmts / np.maximum(n_voted + n_out, 1))
    else:
        scale = np.sqrt(n_act / np.maximum(n_voted, 1))
    proj = np.asarray(x @ comps.T) * scale[:, None]

    # base clusters on in-conv participants; rows keep their identity across updates
    members = np.flatnonzero(in_conv)
    pts = proj[members]
    last = state.base
    if last is not None and state.base_rows is not None:
        # re-index the previous labels onto the new member list
        lab = np.full(members.size, -1, dtype=np.int64)
        pos = np.full(n_part, -1, dtype=np.int64)
        pos[members] = np.arange(members.size)
        lab[pos[state.base_rows]] = last.labels
        last = _Clustering(last.centers, last.ids, lab)
    base = _kmeans(pts, p.base_k, np.ones(members.size), p.base_iters, last)
    state.base, state.base_rows = base, members

    _group_step(state, p)
    return _Snapshot(rows, cols, vals, n_part, n_cmts, active_cols, proj)


def _group_step(state: _State, p: OpinionParams) -> None:
    base = state.base
    assert base is not None  # noqa: S101 - internal invariant
    n_base = base.ids.size
    weights = np.bincount(base.labels, minlength=n_base).astype(np.float64)
    centers = base.centers
    max_k = min(p.max_k, 2 + n_base // 12)
    dist = np.sqrt(_sq_dists(centers, centers))
    sils: dict[int, float] = {}
    groupings: dict[int, _Clustering] = {}
    for k in range(2, max_k + 1):
        last = state.groups.get(k)
        if last is not None:
            # the previous grouping's rows were base clusters: match them by base-cluster id
            prev_ids = state.group_base_ids
            lab = np.full(n_base, -1, dtype=np.int64)
            pos = {int(b): i for i, b in enumerate(prev_ids)}
            for i, b in enumerate(base.ids):
                j = pos.get(int(b))
                if j is not None:
                    lab[i] = last.labels[j]
            last = _Clustering(last.centers, last.ids, lab)
        groupings[k] = g = _robust_group_kmeans(centers, k, weights, p, last)
        sils[k] = _silhouette(dist, g.labels) if g.ids.size > 1 else -1.0
    state.groups = groupings
    state.group_base_ids = base.ids.copy()
    state.silhouettes = sils
    if not sils:
        state.history.append({"best_k": None, "smoothed_k": state.smoothed_k})
        return
    # parsimony: the smallest k within k_margin of the best silhouette
    best = max(sils.values())
    this_k = min(kk for kk, v in sils.items() if v >= best - p.k_margin)
    count = state.last_k_count + 1 if state.last_k == this_k else 1
    if count >= p.k_buffer or state.smoothed_k is None:
        state.smoothed_k = this_k
    state.last_k, state.last_k_count = this_k, count
    state.history.append(
        {"best_k": this_k, "smoothed_k": state.smoothed_k, "silhouettes": dict(sils)}
    )


# --------------------------------------------------------------------------------------------
# Representative comments (polismath repness.clj) and consensus


def _prop_test(succ: np.ndarray, n: np.ndarray) -> np.ndarray:
    succ, n = succ + 1.0, n + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def _two_prop_test(
    succ_in: np.ndarray, succ_out: np.ndarray, pop_in: np.ndarray, pop_out: np.ndarray
) -> np.ndarray:
    succ_in, succ_out, pop_in, pop_out = (a + 1.0 for a in (succ_in, succ_out, pop_in, pop_out))
    pi1, pi2 = succ_in / pop_in, succ_out / pop_out
    pi_hat = (succ_in + succ_out) / (pop_in + pop_out)
    denom = np.sqrt(pi_hat * (1.0 - pi_hat) * (1.0 / pop_in + 1.0 / pop_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (pi1 - pi2) / denom
    return np.where(pi_hat >= 1.0, 0.0, z)


def _finalize(stats: dict[str, np.ndarray], g: int, j: int, comment_id: str) -> dict[str, Any]:
    agree = stats["rat"][g, j] > stats["rdt"][g, j]
    key = "a" if agree else "d"
    return {
        "comment_id": comment_id,
        "repful_for": "agree" if agree else "disagree",
        "n_success": int(stats["n" + key][g, j]),
        "n_trials": int(stats["ns"][g, j]),
        "p_success": float(stats["p" + key][g, j]),
        "p_test": float(stats["p" + key + "t"][g, j]),
        "repness": float(stats["r" + key][g, j]),
        "repness_test": float(stats["r" + key + "t"][g, j]),
    }


def _metric(item: dict[str, Any]) -> float:
    return item["repness"] * item["repness_test"] * item["p_success"] * item["p_test"]


def _select_representative(
    stats: dict[str, np.ndarray], g: int, comment_ids: Sequence[str], limit: int
) -> list[dict[str, Any]]:
    """polismath ``select-rep-comments`` for one group."""
    s = {k: v[g] for k, v in stats.items()}
    sufficient: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    best_agree: int | None = None
    for j, cid in enumerate(comment_ids):
        passes = (s["rat"][j] > Z_90 and s["pat"][j] > Z_90) or (
            s["rdt"][j] > Z_90 and s["pdt"][j] > Z_90
        )
        if passes:
            sufficient.append(_finalize(stats, g, j, cid))
        if not sufficient and (
            best is None or max(s["rat"][j], s["rdt"][j]) > best["repness_test"]
        ):
            best = _finalize(stats, g, j, cid)
        if s["na"][j] == 0 and s["nd"][j] == 0:
            continue
        b = best_agree
        if b is not None and s["ra"][b] > 1.0:
            better = (
                s["ra"][j] * s["rat"][j] * s["pa"][j] * s["pat"][j]
                > s["ra"][b] * s["rat"][b] * s["pa"][b] * s["pat"][b]
            )
        elif b is not None:
            better = s["pa"][j] * s["pat"][j] > s["pa"][b] * s["pat"][b]
        else:
            better = s["pat"][j] > Z_90 or (s["ra"][j] > 1.0 and s["pa"][j] > 0.5)
        if better:
            best_agree = j
    head: list[dict[str, Any]] = []
    if best_agree is not None:
        item = _finalize(stats, g, best_agree, comment_ids[best_agree])
        item.update(n_agree=int(s["na"][best_agree]), best_agree=True)
        head = [item]
    elif best is not None:
        head = [best]
    if not sufficient:
        return head
    rest = [i for i in sufficient if not head or i["comment_id"] != head[0]["comment_id"]]
    rest.sort(key=_metric, reverse=True)
    chosen = (head + rest)[:limit] if best_agree is not None else rest[:limit]
    return [i for i in chosen if i["repful_for"] == "agree"] + [
        i for i in chosen if i["repful_for"] == "disagree"
    ]


def _group_stats(
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    member_group: np.ndarray,
    n_groups: int,
    n_cols: int,
) -> dict[str, np.ndarray]:
    g = member_group[rows]
    sel = g >= 0
    g, c, v = g[sel], cols[sel], vals[sel]
    flat = g * n_cols + c
    size = n_groups * n_cols

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(flat[mask], minlength=size).reshape(n_groups, n_cols).astype(float)

    na, nd, ns = count(v == AGREE), count(v == DISAGREE), count(np.ones_like(v, dtype=bool))
    rest = {k: a.sum(axis=0, keepdims=True) - a for k, a in (("na", na), ("nd", nd), ("ns", ns))}
    pa, pd = (1 + na) / (2 + ns), (1 + nd) / (2 + ns)
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": _prop_test(na, ns),
        "pdt": _prop_test(nd, ns),
        "ra": pa / ((1 + rest["na"]) / (2 + rest["ns"])),
        "rd": pd / ((1 + rest["nd"]) / (2 + rest["ns"])),
        "rat": _two_prop_test(na, rest["na"], ns, rest["ns"]),
        "rdt": _two_prop_test(nd, rest["nd"], ns, rest["ns"]),
    }


def _consensus(
    stats: dict[str, np.ndarray],
    comment_ids: Sequence[str],
    texts: dict[str, str],
    side: str,
    limit: int,
) -> list[dict[str, Any]]:
    """Group-aware consensus: product over groups of P(agree) (or P(disagree)), with the
    +1/+2 prior of polismath; kept only if a majority of every group shares the position."""
    p = stats["pa" if side == "agree" else "pd"]
    score = np.prod(p, axis=0)
    ok = np.all(p > 0.5, axis=0)
    order = [j for j in np.argsort(-score, kind="stable") if ok[j]][:limit]
    return [
        {
            "comment_id": comment_ids[j],
            "text": texts.get(comment_ids[j], ""),
            "group_aware_consensus": float(score[j]),
            f"p_{side}_by_group": [float(x) for x in p[:, j]],
        }
        for j in order
    ]


# --------------------------------------------------------------------------------------------
# Public entry point


@dataclass
class OpinionResult:
    participant_ids: list[str]
    comment_ids: list[str]
    comment_texts: dict[str, str]
    projection: np.ndarray  # (n_participants, 2), PCA space, sparsity-scaled
    labels: np.ndarray  # group index per participant, -1 = not clustered (not in-conv)
    groups: list[dict[str, Any]]
    consensus: list[dict[str, Any]]
    consensus_disagree: list[dict[str, Any]]
    silhouettes: dict[int, float]
    k_history: list[dict[str, Any]]
    n_votes: int
    n_base_clusters: int
    params: OpinionParams

    @property
    def n_groups(self) -> int:
        return len(self.groups)

    def to_dict(self) -> dict[str, Any]:
        changes = [
            {"update": i + 1, "k": h["smoothed_k"]}
            for i, h in enumerate(self.k_history)
            if i == 0 or h["smoothed_k"] != self.k_history[i - 1]["smoothed_k"]
        ]
        return {
            "method": "Pol.is (polismath) replay: PCA-2, 100 base clusters, "
            "group k 2..5 by silhouette with k smoothing",
            "params": {k: getattr(self.params, k) for k in self.params.__dataclass_fields__},
            "n_participants": len(self.participant_ids),
            "n_comments": len(self.comment_ids),
            "n_votes": self.n_votes,
            "n_clustered": int((self.labels >= 0).sum()),
            "n_base_clusters": self.n_base_clusters,
            "silhouettes": {str(k): round(v, 6) for k, v in self.silhouettes.items()},
            "k_changes": changes,
            "groups": self.groups,
            "unclustered": [self.participant_ids[i] for i in np.flatnonzero(self.labels < 0)],
            "consensus": [c["comment_id"] for c in self.consensus],
            "consensus_stats": self.consensus,
            "consensus_disagree": self.consensus_disagree,
        }


def update_bounds(log: VoteLog, p: OpinionParams) -> np.ndarray:
    """Vote counts (increasing, the last = all votes) at which the replay runs an update."""
    n = log.n_votes
    if p.schedule == "geometric":
        if p.growth <= 1.0:
            raise ValueError("growth must be > 1")
        j = np.arange(int(np.log(n) / np.log(p.growth)) + 1)
        cuts = np.ceil(n / p.growth**j).astype(np.int64)
    elif p.schedule == "time":
        if log.times is None or log.times.size != n:
            raise OpinionDataError("the time schedule needs vote times")
        slot = np.floor((log.times - log.times[0]) / p.interval).astype(np.int64)
        cuts = np.flatnonzero(np.diff(slot)) + 1  # first vote of each new slot
        cuts = np.append(cuts, n)
    elif p.schedule == "batch":
        if p.batch < 1:
            raise ValueError("batch must be >= 1")
        cuts = np.append(np.arange(p.batch, n, p.batch, dtype=np.int64), n)
    elif p.schedule == "equal":
        steps = max(1, min(p.updates, n))
        cuts = np.linspace(0, n, steps + 1).round().astype(np.int64)[1:]
    else:
        raise ValueError(f"unknown schedule {p.schedule!r}")
    return np.unique(cuts[(cuts >= 1) & (cuts <= n)])


def compute_opinion_groups(log: VoteLog, params: OpinionParams | None = None) -> OpinionResult:
    """Opinion groups of a vote log, replaying Pol.is updates over ``params.updates`` prefixes.

    Votes must be in chronological order (``read_polis_export`` sorts by timestamp).
    """
    p = params or OpinionParams()
    n = log.n_votes
    if n == 0:
        raise OpinionDataError("no votes to analyse")
    bounds = update_bounds(log, p)
    state = _State()
    snap: _Snapshot | None = None
    next_same = _next_same_cell(log)
    for upto in bounds:
        snap = _update(log, int(upto), state, p, next_same)
    assert snap is not None and state.base is not None and state.base_rows is not None  # noqa: S101

    n_part = len(log.participant_ids)
    labels = np.full(n_part, -1, dtype=np.int64)
    k = state.smoothed_k
    grouping = state.groups.get(k) if k is not None else None
    if grouping is None and state.groups:
        # smoothed k larger than what the current base clusters allow: use the closest k
        k = min(state.groups, key=lambda kk: abs(kk - (state.smoothed_k or 2)))
        grouping = state.groups[k]
    if grouping is not None:
        labels[state.base_rows] = grouping.labels[state.base.labels]
    else:  # fewer than 2 base clusters: one group
        labels[state.base_rows] = 0
    # groups numbered by decreasing size for a stable presentation
    present = [g for g in np.unique(labels) if g >= 0]
    sizes = {g: int((labels == g).sum()) for g in present}
    order = sorted(present, key=lambda g: (-sizes[g], g))
    remap = np.full(int(labels.max()) + 2, -1, dtype=np.int64)
    for new, old in enumerate(order):
        remap[old] = new
    labels = np.where(labels >= 0, remap[labels], -1)
    n_groups = len(order)

    active = snap.active_cols
    col_pos = np.full(snap.n_comments, -1, dtype=np.int64)
    col_pos[active] = np.arange(active.size)
    keep = col_pos[snap.cols] >= 0
    active_ids = [log.comment_ids[i] for i in active]
    stats = _group_stats(
        snap.rows[keep], col_pos[snap.cols[keep]], snap.vals[keep], labels, n_groups, active.size
    )
    groups = []
    for g in range(n_groups):
        rep = _select_representative(stats, g, active_ids, p.max_representative)
        for item in rep:
            item["text"] = log.comment_texts.get(item["comment_id"], "")
        groups.append(
            {
                "id": g,
                "size": int((labels == g).sum()),
                "members": [log.participant_ids[i] for i in np.flatnonzero(labels == g)],
                "representative": rep,
            }
        )
    projection = np.zeros((n_part, 2))
    projection[: snap.projection.shape[0]] = snap.projection
    return OpinionResult(
        participant_ids=list(log.participant_ids),
        comment_ids=list(log.comment_ids),
        comment_texts=log.comment_texts,
        projection=projection,
        labels=labels,
        groups=groups,
        consensus=_consensus(stats, active_ids, log.comment_texts, "agree", p.max_consensus),
        consensus_disagree=_consensus(
            stats, active_ids, log.comment_texts, "disagree", p.max_consensus
        ),
        silhouettes=dict(state.silhouettes),
        k_history=state.history,
        n_votes=n,
        n_base_clusters=int(state.base.ids.size),
        params=p,
    )


# --------------------------------------------------------------------------------------------
# Picture

PALETTE = ("#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0", "#009099")


def render_svg(result: OpinionResult, width: int = 640, height: int = 480) -> str:
    """SVG scatter of participants in the 2-d opinion space, coloured by group."""
    pad, legend_h = 24, 22 * (result.n_groups + 1)
    pts = np.nan_to_num(result.projection)
    shown = np.arange(pts.shape[0])
    # scale on clustered participants: the sparsity scaling throws people with one or two votes
    # far out, they would squash the picture; they are drawn clipped to its edge
    ref = pts[result.labels >= 0] if (result.labels >= 0).any() else pts
    lo = ref.min(axis=0) if ref.size else np.zeros(2)
    hi = ref.max(axis=0) if ref.size else np.ones(2)
    pts = np.clip(pts, lo, hi)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    plot_h = height - legend_h - pad

    def xy(i: int) -> tuple[float, float]:
        x = pad + (pts[i, 0] - lo[0]) / span[0] * (width - 2 * pad)
        y = pad + (hi[1] - pts[i, 1]) / span[1] * (plot_h - pad)
        return round(float(x), 1), round(float(y), 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title">',
        f'<title id="title">Opinion groups: {len(result.participant_ids)} participants, '
        f"{result.n_groups} groups</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    unclustered = [i for i in shown if result.labels[i] < 0]
    out.append('<g class="unclustered" fill="#bbbbbb">')
    out += [f'<circle cx="{x}" cy="{y}" r="1.5"/>' for x, y in map(xy, unclustered)]
    out.append("</g>")
    for g in range(result.n_groups):
        colour = PALETTE[g % len(PALETTE)]
        out.append(f'<g class="group" data-group="{g}" fill="{colour}" fill-opacity="0.7">')
        members = [i for i in shown if result.labels[i] == g]
        out += [f'<circle cx="{x}" cy="{y}" r="2.5"/>' for x, y in map(xy, members)]
        out.append("</g>")
    y0 = height - legend_h + 6
    for g, group in enumerate(result.groups):
        colour = PALETTE[g % len(PALETTE)]
        y = y0 + 22 * g
        out.append(f'<circle cx="{pad + 6}" cy="{y + 6}" r="6" fill="{colour}"/>')
        out.append(
            f'<text x="{pad + 18}" y="{y + 11}" font-family="sans-serif" font-size="13">'
            f"Group {g + 1}: {group['size']} participants</text>"
        )
    y = y0 + 22 * result.n_groups
    n_out = int((result.labels < 0).sum())
    out.append(f'<circle cx="{pad + 6}" cy="{y + 6}" r="4" fill="#bbbbbb"/>')
    out.append(
        f'<text x="{pad + 18}" y="{y + 11}" font-family="sans-serif" font-size="13">'
        f"Not clustered (too few votes): {n_out}</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    """Readers (a page polling for the result) never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def write_opinion_groups(
    result: OpinionResult,
    output: str | Path,
    svg: str | Path | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write the JSON (``result.to_dict()`` plus ``extra``) and, if asked, the SVG picture."""
    payload = {**result.to_dict(), **(extra or {})}
    _write_atomically(Path(output), json.dumps(payload, ensure_ascii=False, indent=1))
    if svg is not None:
        _write_atomically(Path(svg), render_svg(result))
    return payload


def adjusted_rand_index(a: Sequence[Any], b: Sequence[Any]) -> float:
    """ARI between two labelings of the same items (sklearn's definition)."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(list(a), list(b)))


def read_polis_groups(participants_votes_path: str | Path) -> dict[str, str]:
    """Pol.is's own ``group-id`` per clustered participant (participants-votes.csv)."""
    path = Path(participants_votes_path)
    table, (i_p, i_g) = _table(path, ("participant", "group-id"), "participants-votes")
    return {row[i_p]: row[i_g] for _line, row in table.records() if row[i_g].strip() != ""}


def compare_with_polis(result: OpinionResult, polis_groups: dict[str, str]) -> dict[str, Any]:
    """Agreement with Pol.is on the participants Pol.is clustered.

    ``ari`` is computed on those we clustered too; ``ari_all`` counts the ones we left out as
    one extra group, so missing participants lower it.
    """
    ours = {pid: int(lab) for pid, lab in zip(result.participant_ids, result.labels, strict=True)}
    common = [pid for pid in polis_groups if ours.get(pid, -1) >= 0]
    return {
        "polis_groups": len(set(polis_groups.values())),
        "our_groups": result.n_groups,
        "polis_clustered": len(polis_groups),
        "our_clustered": int((result.labels >= 0).sum()),
        "common": len(common),
        "ari": adjusted_rand_index([polis_groups[p] for p in common], [ours[p] for p in common]),
        "ari_all": adjusted_rand_index(
            list(polis_groups.values()), [ours.get(p, -1) for p in polis_groups]
        ),
    }
