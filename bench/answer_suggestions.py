"""How often the right template family is among the families of the top 3 suggested drafts
(issue 9), on the 855 real SP+ Pôle emploi experiences.

The SP+ extract we have carries **no administration answer** (data/sp-plus/SOURCE.md: "no
administration answer"). So each experience is labelled with the template family an agent
would answer it with, by the hand-written rules of `label` below (the same rules for every
experience; written and checked on the tune split only), and the answer "given" to each
experience is taken to be of that family. For each held-out experience, the suggestions are
the 3 most similar *other* experiences (the product's `SimilarityIndex`, as
`ecoute.answering.suggestions` uses it: title and text, same analysis), and a hit is when the
held-out experience's family is among the families of those 3. Baseline: always proposing the 3
families most frequent in the tune split.

Split: a seeded shuffle (SEED) puts 40 % of the experiences in tune, 60 % in held-out. The
held-out split was measured once, after the rules and the method were fixed on tune; it was
never used to change them. Retrieval searches every other experience (tune and held-out): the
answers an organisation gave before are all there in the product.

Caveat: labels come from the words of the experience, and retrieval matches words, so the
figure measures whether lexical neighbours call for the same kind of answer, not the quality
of real agents' answers (none are published in the open data).

    .venv/bin/python -m bench.answer_suggestions [--split tune|heldout]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
from collections import Counter
from pathlib import Path

from ecoute.analysis.similar import SimilarityIndex

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sp-plus" / "experiences-pole-emploi-normalisees.csv"
RESULTS = ROOT / "bench" / "results"
SEED = 20261201
TUNE_SHARE = 0.4
K = 3
N_FEATURES = 1 << 20  # as ecoute.answering.suggestions

# Family -> patterns (on the SP+ text: lower case, no accents, punctuation turned to spaces).
# An experience gets the family with the most matching patterns; ties go to the first family
# in this order. "remerciement" needs praise and no complaint word.
RULES: dict[str, list[str]] = {
    "erreur_dossier": [
        r"\berreur",
        r"\btrop percu",
        r"\btrop verse",
        r"\bindu\b",
        r"\bradie",
        r"\bradiation",
        r"\bsanction",
        r"\bdette\b",
        r"\ba tort\b",
        r"\brembourse",
        r"\bsuspendu",
        r"\bsuspension",
        r"\bperdu",
        r"\begare",
        r"\bsupprim",
        r"\bmal calcul",
        r"\bretenue",
    ],
    "delai": [
        r"\bdelai",
        r"\btoujours pas\b",
        r"\btoujours rien\b",
        r"\bdepuis (plus de )?\w+ (mois|semaines|jours)",  # noqa: E501
        r"\brelance",
        r"\bsans reponse\b",
        r"\baucune reponse\b",
        r"\bpas de nouvelle",
        r"\battendre\b",
        r"\bj attends\b",
        r"\ben attente\b",
        r"\bjamais traite",
        r"\bpas traite",
        r"\blenteur",
        r"\bretard",
        r"\bpaiement",
        r"\bversement",
        r"\bpas (ete )?paye",
    ],
    "en_ligne": [
        r"\bsite\b",
        r"\bsite internet\b",
        r"\bconnect",
        r"\bconnexion",
        r"\bespace personnel\b",
        r"\bmon espace\b",
        r"\bapplication\b",
        r"\bbug",
        r"\bidentifiant",
        r"\bmot de passe\b",
        r"\ben ligne\b",
        r"\binternet\b",
        r"\bactualis",
        r"\bpage\b",
        r"\bcase\b",
        r"\bclic",
        r"\bformulaire",
        r"\btelecharg",
        r"\bmail\b",
        r"\be mail\b",
    ],
    "accueil": [
        r"\baccueil",
        r"\bconseill",
        r"\bagent",
        r"\btelephone",
        r"\bjoindre\b",
        r"\bjoignable",
        r"\brendez vous\b",
        r"\brdv\b",
        r"\bguichet",
        r"\binterlocut",
        r"\brappel",
        r"\b3949\b",
        r"\bagence\b",
        r"\bmepris",
        r"\bdesagreable",
        r"\bimpoli",
        r"\baccompagnement",
    ],
    "information": [
        r"\bcomprendre\b",
        r"\bpas clair",
        r"\bcomplique",
        r"\binformation",
        r"\bexpliqu",
        r"\bregle",
        r"\bprocedure",
        r"\bdocument",
        r"\bjustificatif",
        r"\bdemarche",
        r"\bformation",
    ],
}
PRAISE = [
    r"\bmerci\b",
    r"\bremerci",
    r"\bsatisfai",
    r"\btres bien\b",
    r"\befficace",
    r"\brapide",
    r"\baimable",
    r"\bprofessionnel",
    r"\bbravo\b",
    r"\bexcellent",
    r"\bfacile",
    r"\bsimple\b",
    r"\bagreable",
    r"\ba l ecoute\b",
    r"\bsuper\b",
    r"\bparfait",
]
COMPLAINT = [
    r"\bimpossible",
    r"\bpas\b",
    r"\bprobleme",
    r"\bcatastroph",
    r"\bscandal",
    r"\binadmissible",
    r"\bjamais\b",
    r"\baucun",
    r"\bdecu",
    r"\bnul\b",
    r"\bpire",
]
FAMILIES = [*RULES, "remerciement"]


def _count(patterns: list[str], text: str) -> int:
    return sum(1 for pattern in patterns if re.search(pattern, text))


def label(text: str) -> str:
    """The template family an agent would answer this experience with (rules above)."""
    praise, complaint = _count(PRAISE, text), _count(COMPLAINT, text)
    if praise >= 2 and praise > complaint:
        return "remerciement"
    scores = {family: _count(patterns, text) for family, patterns in RULES.items()}
    best = max(scores.values())
    if best == 0:
        return "information"
    return next(family for family in RULES if scores[family] == best)


def load() -> list[str]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return [row["Description"].strip() for row in csv.DictReader(handle, delimiter=";")]


def split(n: int) -> tuple[list[int], list[int]]:
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    cut = int(n * TUNE_SHARE)
    return sorted(order[:cut]), sorted(order[cut:])


def run(full: bool = False, which: str = "heldout") -> dict:
    """`full` changes nothing (the corpus is the 855 real texts)."""
    texts = load()
    labels = [label(text) for text in texts]
    tune, heldout = split(len(texts))
    measured = heldout if which == "heldout" else tune
    index = SimilarityIndex(n_features=N_FEATURES)
    index.add(list(range(len(texts))), texts)
    tune_counts = Counter(labels[i] for i in tune)
    baseline = [family for family, _n in tune_counts.most_common(K)]
    hits = top1 = base_hits = empty = 0
    per_family: dict[str, list[int]] = {family: [0, 0] for family in FAMILIES}
    for i in measured:
        found = [doc for doc, _score in index.query(texts[i], k=K + 1) if doc != i][:K]
        if not found:
            empty += 1
        families = [labels[doc] for doc in found]
        hit = labels[i] in families
        hits += hit
        top1 += bool(families) and families[0] == labels[i]
        base_hits += labels[i] in baseline
        per_family[labels[i]][0] += hit
        per_family[labels[i]][1] += 1
    n = len(measured)
    return {
        "split": which,
        "experiences": n,
        "corpus": len(texts),
        "families_in_split": dict(Counter(labels[i] for i in measured).most_common()),
        "families_in_tune": dict(tune_counts.most_common()),
        "top3_family_hit_rate": round(hits / n, 3),
        "top1_family_hit_rate": round(top1 / n, 3),
        "baseline_3_most_frequent": baseline,
        "baseline_hit_rate": round(base_hits / n, 3),
        "ratio_to_baseline": round(hits / base_hits, 2) if base_hits else None,
        "no_suggestion": empty,
        "top3_hit_rate_by_family": {
            family: (round(h / total, 3) if total else None, total)
            for family, (h, total) in per_family.items()
        },
        "seed": SEED,
        "k": K,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["tune", "heldout"], default="heldout")
    args = parser.parse_args()
    result = run(which=args.split)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"answer_suggestions-{args.split}-{stamp}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
