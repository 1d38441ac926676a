"""Agreement of Écoute's opinion groups with Pol.is's own groups on the real conversations.

`python -m bench.opinions_quality`: for each conversation in data/polis/, the number of groups
(Pol.is vs ours) and the adjusted Rand index on the participants Pol.is clustered.
"""

import json
import time
from pathlib import Path

from ecoute.analysis.opinions import (
    compare_with_polis,
    compute_opinion_groups,
    read_polis_export,
    read_polis_groups,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "polis"


def run(full: bool = False) -> dict:
    results = {}
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        start = time.perf_counter()
        log = read_polis_export(folder / "comments.csv", folder / "votes.csv")
        result = compute_opinion_groups(log)
        comparison = compare_with_polis(
            result, read_polis_groups(folder / "participants-votes.csv")
        )
        comparison["seconds"] = round(time.perf_counter() - start, 2)
        results[folder.name] = comparison
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, default=str))
