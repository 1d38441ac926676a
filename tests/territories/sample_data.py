"""Build a small, real copy of data/ for import tests: a few départements, every ancestor kept.

Full copies of régions, départements and the shapes; communes, France services and SP+
structures of départements 01 (Ain), 53 (Mayenne) and 75 (Paris, with its arrondissements),
plus every SP+ ancestor of those structures so the tree resolves; the first experiences.
"""

import csv
import shutil
from pathlib import Path

from django.conf import settings

SAMPLE_DEPARTEMENTS = {"01", "53", "75"}
SAMPLE_EXPERIENCES = 25


def build_sample_data_dir(target: Path, source: Path | None = None) -> Path:
    source = source or Path(settings.ECOUTE_DATA_DIR)
    cog, fs, sp = (
        Path("territoires/cog-insee"),
        Path("territoires/france-services"),
        Path("sp-plus"),
    )
    for folder in (cog, fs, sp):
        (target / folder).mkdir(parents=True, exist_ok=True)
    for name in ("regions.csv", "departements.csv"):
        shutil.copyfile(source / cog / name, target / cog / name)
    shutil.copyfile(source / fs / "geom_dep.geojson", target / fs / "geom_dep.geojson")
    _filter_lines(source / cog / "communes.csv", target / cog / "communes.csv", ",", "DEP")
    _filter_lines(
        source / cog / "donnees_communes.csv", target / cog / "donnees_communes.csv", ";", "DEP"
    )
    _filter_lines(
        source / fs / "liste-fs-20240801.csv",
        target / fs / "liste-fs-20240801.csv",
        ",",
        "insee_dep",
    )
    _sample_structures(source / sp / "export-structures.csv", target / sp / "export-structures.csv")
    name = "experiences-pole-emploi-normalisees.csv"
    with (
        (source / sp / name).open(encoding="utf-8") as src,
        (target / sp / name).open("w", encoding="utf-8") as dst,
    ):
        for index, line in enumerate(src):
            if index > SAMPLE_EXPERIENCES:
                break
            dst.write(line)
    return target


def _filter_lines(src: Path, dst: Path, delimiter: str, column: str) -> None:
    """Copy the header and the rows of the sample départements (quoted newlines kept)."""
    with src.open(encoding="utf-8", newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        index = header.index(column)
        ending = "\r\n" if first.endswith("\r\n") else "\n"
        with dst.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
            writer.writerow(header)
            writer.writerows(row for row in reader if row[index] in SAMPLE_DEPARTEMENTS)


def _sample_structures(src: Path, dst: Path) -> None:
    with src.open(encoding="utf-8", newline="") as handle:
        header = handle.readline()  # kept verbatim: the BOM sits inside its first quoted cell
        rows = {values[0]: values for values in csv.reader(handle, delimiter=";")}
    wanted = {code for code, values in rows.items() if values[23][3:] in SAMPLE_DEPARTEMENTS}
    for code in list(wanted):
        parent = rows[code][8]
        while parent and parent not in wanted:
            wanted.add(parent)
            parent = rows[parent][8]
    with dst.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerows(values for code, values in rows.items() if code in wanted)
