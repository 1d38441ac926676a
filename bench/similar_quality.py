"""Near-duplicate threshold calibration on the 855 real SP+ Pôle emploi experiences.

Measures the cosine between each real text and (a) its nearest *other* real text, (b) edited
copies of itself (words dropped or replaced, a sentence appended, retyped in capitals with
punctuation). The default ``duplicate_threshold`` must sit above (a) and below most of (b).

    .venv/bin/python -m bench.similar_quality
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import numpy as np

from bench.similar import SAMPLE
from ecoute.analysis.similar import SimilarityIndex, read_csv_texts

PERCENTILES = (1, 5, 50)


def run(full: bool = False) -> dict:
    """Same work whatever ``full``: the corpus is the 855 real texts."""
    texts = dict(read_csv_texts(SAMPLE, "Description"))
    index = SimilarityIndex()
    index.add(texts.keys(), texts.values())
    rng = random.Random(0)
    vocabulary = " ".join(texts.values()).split()
    nearest_other = []
    for doc_id, text in texts.items():
        others = [score for other, score in index.query(text, 3) if other != doc_id]
        nearest_other.append(others[0] if others else 0.0)
    values = np.array(nearest_other)
    result: dict = {
        "threshold": index.duplicate_threshold,
        "nearest_other_percentiles_50_90_99_max": np.percentile(values, [50, 90, 99, 100])
        .round(3)
        .tolist(),
        "real_texts_with_an_other_above_threshold": int(
            (values >= index.duplicate_threshold).sum()
        ),
    }

    def drop(share: float) -> Callable[[str], str]:
        return lambda text: " ".join(w for w in text.split() if rng.random() > share)

    def replace(share: float) -> Callable[[str], str]:
        return lambda text: " ".join(
            rng.choice(vocabulary) if rng.random() < share else w for w in text.split()
        )

    edits: dict[str, Callable[[str], str]] = {
        "drop_5pct_words": drop(0.05),
        "drop_10pct_words": drop(0.10),
        "replace_5pct_words": replace(0.05),
        "replace_10pct_words": replace(0.10),
        "replace_20pct_words": replace(0.20),
        "append_80_chars_of_another_text": lambda text: (
            text + " " + rng.choice(list(texts.values()))[:80]
        ),
        "capitals_and_punctuation": lambda text: text.upper().replace(" ", ", ", 3) + " !",
    }
    for name, edit in edits.items():
        scores, flagged = [], 0
        for doc_id, text in list(texts.items())[:300]:
            if len(text.split()) < 20:
                continue
            found = dict(index.query(edit(text), 5))
            scores.append(found.get(doc_id, 0.0))
            flagged += found.get(doc_id, 0.0) >= index.duplicate_threshold
        result[name] = {
            "percentiles_1_5_50": np.percentile(scores, PERCENTILES).round(3).tolist(),
            "flagged_share": round(flagged / len(scores), 3),
        }
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
