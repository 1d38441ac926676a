"""Writes data/indicators/mesures-generees.csv: GENERATED performance measurements (not real
figures) for the CAF, CPAM and Pôle emploi structures of the SP+ directory, so that the demo's
indicator pages show the three performance indicators. `python -m bench.indicator_sample`."""

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = {"CNAF", "CNAM", "POLE EMPLOI"}
MONTHS = [f"2026-{month:02d}" for month in range(5, 11)]
# indicator -> (typical denominator, typical rate)
INDICATORS = {
    "taux-decroche": (900, 0.78),
    "respect-delai": (400, 0.86),
    "qualite-demarches-en-ligne": (150, 0.71),
}


def main() -> None:
    rng = random.Random(2026)
    with (ROOT / "data/sp-plus/export-structures.csv").open(encoding="utf-8-sig") as source:
        rows = list(csv.DictReader(source, delimiter=";"))
    code_column = next(iter(rows[0]))
    chosen = [
        row[code_column]
        for row in rows
        if row["Intitulé du réseau"] in NETWORKS
        and row["Actif"] == "Oui"
        and row["INSEE Département"]
    ]
    chosen = sorted(rng.sample(chosen, 60))
    out = ROOT / "data/indicators/mesures-generees.csv"
    with out.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(
            ["indicateur", "code_sp", "point_de_contact", "periode", "numerateur", "denominateur"]
        )
        for code in chosen:
            for slug, (size, rate) in INDICATORS.items():
                for month in MONTHS:
                    denominator = max(1, int(rng.gauss(size, size / 4)))
                    share = min(1.0, max(0.0, rng.gauss(rate, 0.08)))
                    writer.writerow(
                        [slug, code, "", month, round(denominator * share), denominator]
                    )


if __name__ == "__main__":
    main()
