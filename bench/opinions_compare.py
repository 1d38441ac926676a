"""Opinion groups on every real Pol.is conversation in data/polis/, three methods in one run
(issue 11): Écoute (`ecoute.analysis.opinions`), red-dwarf (its Pol.is implementation, when the
`bench` extra is installed) and a naive PCA(2) + k-means (k by silhouette over 2–5).

    .venv/bin/python -m bench.opinions_compare

For each conversation: the adjusted Rand index against Pol.is's own `group-id` (on the
participants Pol.is clustered) and the groups found / Pol.is's. No setting depends on the
conversation. Writes bench/results/opinions_compare-<date>.json.

Robustness (issue 11): Écoute's mean ARI and the number of conversations where it finds
Pol.is's group count are also reported over a range of replay schedules (`SCHEDULES`: equal
prefixes, geometric growth of the vote count, fixed time slots, fixed batches of votes), as
min / median / max per family, so the published figure is not one lucky setting. The engine has
no randomness (its only seed feeds the optional group restarts, off by default), so there is no
seed spread.
`--variant '{"base_k": 50}'` runs the same spread with other engine parameters;
`--no-spread` skips it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

from ecoute.analysis.opinions import (
    OpinionParams,
    VoteLog,
    compare_with_polis,
    compute_opinion_groups,
    read_polis_export,
    read_polis_groups,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "polis"
RESULTS = ROOT / "bench" / "results"
SEED = 0
MIN_VOTES = 7  # Pol.is: a participant with fewer votes is not clustered
# replay schedules for the robustness spread (the default is schedule="equal", updates=40)
SCHEDULES: dict[str, list[dict[str, Any]]] = {
    "equal": [{"schedule": "equal", "updates": u} for u in (20, 30, 40, 60, 80)],
    "geometric": [{"schedule": "geometric", "growth": g} for g in (1.05, 1.1, 1.15, 1.2, 1.3)],
    "time": [{"schedule": "time", "interval": s} for s in (600, 1800, 3600, 10800, 21600)],
    "batch": [{"schedule": "batch", "batch": b} for b in (125, 250, 500, 1000, 2000)],
}


def _votes(folder: Path) -> list[dict[str, Any]]:
    with (folder / "votes.csv").open(newline="", encoding="utf-8") as handle:
        return [
            {
                "participant_id": int(row["voter-id"]),
                "statement_id": int(row["comment-id"]),
                "vote": int(row["vote"]),
                "modified": int(row["timestamp"]),
            }
            for row in csv.DictReader(handle)
        ]


def _moderated_out(folder: Path) -> list[int]:
    with (folder / "comments.csv").open(newline="", encoding="utf-8") as handle:
        return [int(r["comment-id"]) for r in csv.DictReader(handle) if r["moderated"] == "-1"]


def _ari(labels: dict[int, int], reference: dict[int, int]) -> tuple[float, int]:
    common = sorted(set(labels) & set(reference))
    if not common:
        return 0.0, 0
    score = adjusted_rand_score([reference[p] for p in common], [labels[p] for p in common])
    return round(float(score), 3), len(set(labels.values()))


def red_dwarf(folder: Path, reference: dict[int, int]) -> dict[str, Any] | None:
    try:
        from reddwarf.implementations.polis import run_clustering
    except ImportError:
        return None
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    for vote in _votes(folder):  # one vote per participant and statement: the latest
        key = (vote["participant_id"], vote["statement_id"])
        if key not in latest or vote["modified"] >= latest[key]["modified"]:
            latest[key] = vote
    result = run_clustering(
        votes=list(latest.values()), mod_out_statement_ids=_moderated_out(folder), random_state=SEED
    )
    frame = result.participants_df
    labels = {
        int(pid): int(cluster)
        for pid, cluster in frame["cluster_id"].dropna().items()  # NA: not clustered
    }
    ari, groups = _ari(labels, reference)
    return {"ari": ari, "groups": groups}


def naive(folder: Path, reference: dict[int, int]) -> dict[str, Any]:
    """Participants with at least 7 votes (Pol.is's rule), unseen statements imputed with the
    statement's mean vote, moderated-out statements dropped, PCA(2), k-means with k by silhouette
    over 2–5."""
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    for vote in _votes(folder):
        key = (vote["participant_id"], vote["statement_id"])
        if key not in latest or vote["modified"] >= latest[key][0]:
            latest[key] = (vote["modified"], vote["vote"])
    out = set(_moderated_out(folder))
    participants = sorted({p for p, _s in latest})
    statements = sorted({s for _p, s in latest if s not in out})
    rows = {p: i for i, p in enumerate(participants)}
    cols = {s: j for j, s in enumerate(statements)}
    matrix = np.full((len(participants), len(statements)), np.nan)
    for (p, s), (_t, v) in latest.items():
        if s in cols:
            matrix[rows[p], cols[s]] = v
    keep = np.sum(~np.isnan(matrix), axis=1) >= MIN_VOTES
    means = np.nan_to_num(np.nanmean(matrix, axis=0))
    filled = np.where(np.isnan(matrix), means, matrix)[keep]
    kept = [p for p, k in zip(participants, keep, strict=True) if k]
    points = PCA(n_components=2, random_state=SEED).fit_transform(filled)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, 6):
        found = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(points)
        score = silhouette_score(points, found)
        if best is None or score > best[0]:
            best = (score, found)
    assert best is not None
    labels = {p: int(label) for p, label in zip(kept, best[1], strict=True)}
    ari, groups = _ari(labels, reference)
    return {"ari": ari, "groups": groups}


def _conversations() -> dict[str, tuple[VoteLog, dict[str, str]]]:
    return {
        folder.name: (
            read_polis_export(folder / "comments.csv", folder / "votes.csv"),
            read_polis_groups(folder / "participants-votes.csv"),
        )
        for folder in sorted(p for p in DATA.iterdir() if p.is_dir())
    }


def spread(
    variant: dict[str, Any] | None = None, families: tuple[str, ...] = tuple(SCHEDULES)
) -> dict[str, Any]:
    """Écoute's mean ARI and count-right over every schedule of each family."""
    convs = _conversations()
    out: dict[str, Any] = {"variant": variant or {}}
    for family in families:
        runs = []
        for schedule in SCHEDULES[family]:
            started = time.process_time()
            per = {}
            for name, (log, polis) in convs.items():
                params = OpinionParams(**{**schedule, **(variant or {})})
                c = compare_with_polis(compute_opinion_groups(log, params), polis)
                per[name] = {"ari": round(c["ari"], 3), "groups": c["our_groups"]}
                per[name]["right"] = c["our_groups"] == c["polis_groups"]
            aris = [r["ari"] for r in per.values()]
            runs.append(
                {
                    "schedule": schedule,
                    "mean_ari": round(sum(aris) / len(aris), 3),
                    "k_right": sum(r["right"] for r in per.values()),
                    "cpu_s": round(time.process_time() - started, 1),
                    "conversations": per,
                }
            )
        means = [r["mean_ari"] for r in runs]
        rights = [r["k_right"] for r in runs]
        out[family] = {
            "mean_ari": [min(means), round(statistics.median(means), 3), max(means)],
            "k_right": [min(rights), int(statistics.median(rights)), max(rights)],
            "runs": runs,
        }
    return out


def run(full: bool = False) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        polis = read_polis_groups(folder / "participants-votes.csv")
        reference = {int(p): int(g) for p, g in polis.items()}
        log = read_polis_export(folder / "comments.csv", folder / "votes.csv")
        ours = compare_with_polis(compute_opinion_groups(log), polis)
        table[folder.name] = {
            "polis_groups": len(set(reference.values())),
            "ecoute": ours,
            "red_dwarf": red_dwarf(folder, reference),
            "naive": naive(folder, reference),
        }
    return table


def _print_spread(result: dict[str, Any]) -> None:
    print("Écoute spread", json.dumps(result["variant"]), "(min / median / max):")
    for family, row in result.items():
        if family == "variant":
            continue
        print(f"  {family}: mean ARI {row['mean_ari']}, groups right {row['k_right']} of 9")
        for r in row["runs"]:
            print(f"    {r['schedule']} {r['mean_ari']:.3f} {r['k_right']}/9 {r['cpu_s']} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default=None, help="engine parameters as JSON")
    parser.add_argument("--no-spread", action="store_true")
    parser.add_argument("--spread-only", action="store_true")
    args = parser.parse_args()
    variant = json.loads(args.variant) if args.variant else None
    report: dict[str, Any] = {}
    if not args.no_spread:
        report["spread"] = spread(variant)
        _print_spread(report["spread"])
    if args.spread_only:
        _save(report, "spread")
        return
    table = run()
    report["table"] = table
    print("| conversation | Écoute | red-dwarf | naive |")
    for name, row in table.items():
        rd = row["red_dwarf"] or {"ari": float("nan"), "groups": 0}
        print(
            f"| {name} | {row['ecoute']['ari']:.3f} ({row['ecoute']['our_groups']}/"
            f"{row['polis_groups']}) | {rd['ari']:.3f} ({rd['groups']}/{row['polis_groups']}) "
            f"| {row['naive']['ari']:.3f} ({row['naive']['groups']}/{row['polis_groups']}) |"
        )
    for method in ("ecoute", "red_dwarf", "naive"):
        values = [r[method]["ari"] for r in table.values() if r[method]]
        print(method, "mean ARI", round(sum(values) / max(1, len(values)), 3))
    _save(report, "")


def _environment() -> dict[str, str]:
    """Library versions: the replay is deterministic, but k-means warm-started over dozens of
    updates amplifies last-digit differences of another numpy/scipy/BLAS into other groups on
    the conversations whose silhouettes are close (seen on Affordable housing and Canada)."""
    import platform

    import scipy
    import sklearn

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "machine": platform.machine(),
    }


def _save(report: dict[str, Any], suffix: str) -> None:
    report["environment"] = _environment()
    RESULTS.mkdir(parents=True, exist_ok=True)
    tag = f"-{suffix}" if suffix else ""
    out = RESULTS / f"opinions_compare-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M}{tag}.json"
    out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print("written to", out.relative_to(ROOT))


if __name__ == "__main__":
    main()
