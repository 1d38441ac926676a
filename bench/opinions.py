"""Benchmark of the opinion-group engine (ecoute.analysis.opinions) on GENERATED data.

The vote matrices are synthetic (not real participants): ``n_groups`` planted opinion groups,
each with its own agree/disagree/pass probabilities per contribution; participants arrive over
time and vote on a random subset of contributions (sparse). The planted groups are checked
against the groups found (adjusted Rand index).

    .venv/bin/python -c "import bench.opinions as b; print(b.run(full=True))"
    .venv/bin/python bench/opinions.py [--full]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES = {
    "10k x 2k, 1M votes": (10_000, 2_000, 1_000_000),
    "33k x 2k, 3.3M votes": (33_000, 2_000, 3_300_000),
}


def generate(n_participants: int, n_comments: int, n_votes: int, n_groups: int = 3, seed: int = 0):
    """Synthetic vote log (GENERATED, not real data) with planted opinion groups.

    Returns (VoteLog, planted group per participant index).
    """
    from ecoute.analysis.opinions import VoteLog

    rng = np.random.default_rng(seed)
    # group sizes deliberately unequal, like real conversations
    shares = np.array([0.5, 0.3, 0.2, 0.1, 0.1][:n_groups])
    group = rng.choice(n_groups, size=n_participants, p=shares / shares.sum())
    # each group leans agree or disagree on each contribution; a third of contributions are
    # consensual (every group agrees)
    lean = rng.choice([-1.0, 1.0], size=(n_groups, n_comments))
    lean[:, rng.random(n_comments) < 0.3] = 1.0
    p_agree = np.where(lean > 0, 0.75, 0.12)
    p_disagree = np.where(lean > 0, 0.12, 0.75)
    # votes per participant: heavy-tailed activity, at least 3 each, n_votes in total (a few
    # land twice on the same cell: vote changes, which the engine must resolve)
    activity = rng.pareto(1.5, n_participants) + 1.0
    extra = rng.choice(
        n_participants, size=n_votes - 3 * n_participants, p=activity / activity.sum()
    )
    rows = np.sort(np.concatenate([np.repeat(np.arange(n_participants), 3), extra]))
    cols = rng.integers(0, n_comments, size=rows.size)
    u = rng.random(rows.size)
    pa, pd = p_agree[group[rows], cols], p_disagree[group[rows], cols]
    vals = np.where(u < pa, 1, np.where(u < pa + pd, -1, 0)).astype(np.int8)
    # chronological order: participants arrive uniformly, vote within their session
    t = rng.random(n_participants)[rows] + rng.random(rows.size) * 0.01
    order = np.argsort(t, kind="stable")
    rows, cols, vals = rows[order], cols[order], vals[order]
    # participant/comment indices in order of first appearance, as VoteLog expects
    _, first_p = np.unique(rows, return_index=True)
    p_order = rows[np.sort(first_p)]
    p_index = np.empty(n_participants, dtype=np.int32)
    p_index[p_order] = np.arange(p_order.size)
    _, first_c = np.unique(cols, return_index=True)
    c_order = cols[np.sort(first_c)]
    c_index = np.full(n_comments, -1, dtype=np.int32)
    c_index[c_order] = np.arange(c_order.size)
    log = VoteLog(
        participant=p_index[rows],
        comment=c_index[cols],
        value=vals,
        participant_ids=[f"p{i}" for i in p_order],
        comment_ids=[f"c{i}" for i in c_order],
        comment_texts={f"c{i}": f"Generated contribution {i}" for i in c_order},
    )
    return log, group[p_order]


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak_rss() -> float:
    """Current RSS in MB; on Linux also resets the peak so it measures the engine alone."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    current = _status_mb("VmRSS")
    return current if current is not None else _peak_rss_mb()


def _peak_rss_mb() -> float:
    """Peak RSS of this process (since the last reset where Linux allows it)."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(name: str, n_participants: int, n_comments: int, n_votes: int) -> dict:
    """Run one size in this process; return wall time of the engine and peak RSS."""
    from ecoute.analysis.opinions import adjusted_rand_index, compute_opinion_groups

    log, planted = generate(n_participants, n_comments, n_votes)
    data_rss = _reset_peak_rss()
    t0, c0 = time.perf_counter(), time.process_time()
    result = compute_opinion_groups(log)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    clustered = result.labels >= 0
    return {
        "size": name,
        "participants": len(log.participant_ids),
        "comments": len(log.comment_ids),
        "votes": log.n_votes,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_with_data_before_engine_mb": round(data_rss, 1),
        "groups_found": result.n_groups,
        "groups_planted": int(planted.max()) + 1,
        "ari_vs_planted": round(
            adjusted_rand_index(planted[clustered], result.labels[clustered]), 3
        ),
        "updates": result.params.updates,
    }


def run(full: bool = False) -> dict:
    """Wall time and peak RSS per size; each size in a fresh process so RSS is its own.

    The 10k x 2k size always runs (~10 s with data generation); ``full`` adds 33k x 2k.
    """
    names = list(SIZES)[: 2 if full else 1]
    results = []
    for name in names:
        out = subprocess.run(
            [sys.executable, __file__, "--one", name],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"benchmark": "opinion groups (generated data)", "results": results}


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(_measure(sys.argv[2], *SIZES[sys.argv[2]])))
    else:
        print(json.dumps(run(full="--full" in sys.argv), indent=2))
