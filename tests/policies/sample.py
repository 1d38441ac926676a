"""A small, real extract of data/barometre-resultats/ for the import and page tests.

2023: three indicators (the transparency rate; the housing count whose rows come twice under
two labels; road deaths, whose monthly history contradicts the 12-month synthèse) in
départements 01 and 53, région 84 and France. 2024: every engagement and chantier, two
indicators of France services (IND-246 with its placeholder 0.0 initial values, IND-323) in
D01, D53, R84 and FRANCE, plus their empty rows.
"""

import csv
import shutil
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.ECOUTE_DATA_DIR) / "barometre-resultats"
INDICATORS_2023 = {"tx-transparence-resultats", "nb-logement-accompagnement", "nb-morts-routes"}
INDICATORS_2024 = {"IND-246", "IND-323"}
DEPARTEMENTS = {"01", "53"}
ZONES_2024 = {"D01", "D53", "R84", "FRANCE", ""}


def build_sample(target: Path) -> Path:
    root = target / "barometre-resultats"
    etalab, ditp = root / "etalab-2023", root / "ditp-2024"
    etalab.mkdir(parents=True)
    (ditp / "data").mkdir(parents=True)
    shutil.copytree(SOURCE / "ditp-2024" / "metadata", ditp / "metadata")
    _filter(
        SOURCE / "etalab-2023" / "barometre-resultats-synthese-departemental.csv",
        etalab / "barometre-resultats-synthese-departemental.csv",
        lambda r: r["id_indicateur"] in INDICATORS_2023 and r["code_departement"] in DEPARTEMENTS,
    )
    _filter(
        SOURCE / "etalab-2023" / "barometre-resultats-synthese-regional.csv",
        etalab / "barometre-resultats-synthese-regional.csv",
        lambda r: r["id_indicateur"] in INDICATORS_2023 and r["code_region"] == "84",
    )
    for name in ("national", "detail-national"):
        file = f"barometre-resultats-{'synthese-' if name == 'national' else ''}{name}.csv"
        _filter(
            SOURCE / "etalab-2023" / file,
            etalab / file,
            lambda r: r["id_indicateur"] in INDICATORS_2023,
        )
    for code in INDICATORS_2024:
        name = f"{code.lower()}.csv"
        _filter(
            SOURCE / "ditp-2024" / "data" / name,
            ditp / "data" / name,
            lambda r: r["enforce_zone_id"] in ZONES_2024 or not r["metric_enforce_date"],
            limit_empty=3,
        )
    return target


def _filter(src: Path, dst: Path, keep, limit_empty: int = 0) -> None:
    """Copy the header and kept rows, byte for byte (quoting and trailing spaces kept)."""
    empty = 0
    with src.open(encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    with dst.open("w", encoding="utf-8", newline="") as out:
        out.write(lines[0])
        for line in lines[1:]:
            row = dict(zip(header, next(csv.reader([line])), strict=True))
            if not keep(row):
                continue
            if limit_empty and not row.get("metric_enforce_date"):
                empty += 1
                if empty > limit_empty:
                    continue
            out.write(line)
