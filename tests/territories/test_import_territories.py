"""Territories import on a real sample: counts, aliases, idempotency, bad rows, rollback."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ecoute.territories.importers import (
    ImportAborted,
    coordinate,
    departement_centroids,
    load_territories,
    read_csv,
)
from ecoute.territories.models import Commune, Departement, Region

pytestmark = pytest.mark.django_db


def _replace_line(path: Path, startswith: str, new_line: str) -> int:
    """Replace the line starting with `startswith`; return its 1-based line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith(startswith):
            ending = "\r\n" if line.endswith("\r\n") else "\n"
            lines[index] = new_line + ending
            path.write_text("".join(lines), encoding="utf-8", newline="")
            return index + 1
    raise AssertionError(f"no line starting with {startswith!r}")


def test_load_territories_sample(sample_data_dir):
    report = load_territories(sample_data_dir)

    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert report.skipped == 0
    ain = Departement.objects.get(code="01")
    assert ain.region_id == "84"
    assert 45.6 < ain.latitude < 46.5 and 4.7 < ain.longitude < 6.2
    bourg = Commune.objects.get(code="01053")
    assert bourg.name == "Bourg-en-Bresse"
    assert bourg.search_name == "bourg en bresse"
    assert bourg.population > 40_000
    assert bourg.latitude is not None  # has a France services
    # Only TYPECOM=COM rows are stored; Paris gets the sum of its arrondissements.
    assert not Commune.objects.filter(code="75101").exists()
    paris = Commune.objects.get(code="75056")
    assert paris.population > 2_000_000
    assert 48.8 < paris.latitude < 48.9


def test_second_load_changes_nothing(sample_data_dir):
    load_territories(sample_data_dir)
    again = load_territories(sample_data_dir)
    assert again.changed == 0
    assert sum(t.unchanged for t in again.tables) == sum(t.read for t in again.tables)


def test_source_change_updates_only_that_row(editable_data_dir):
    load_territories(editable_data_dir)
    communes = editable_data_dir / "territoires/cog-insee/communes.csv"
    _replace_line(
        communes,
        "COM,01053,",
        "COM,01053,84,01,01D,012,0,BOURG EN BRESSE,Bourg-en-Bresse,Bourg-en-Bresse (renamed),0104,",
    )
    report = load_territories(editable_data_dir)
    assert report.changed == 1
    assert Commune.objects.get(code="01053").name == "Bourg-en-Bresse (renamed)"


def test_bad_row_is_reported_with_its_line_and_stored_row_is_kept(editable_data_dir):
    load_territories(editable_data_dir)
    before = Commune.objects.get(code="01053")
    communes = editable_data_dir / "territoires/cog-insee/communes.csv"
    line = _replace_line(communes, "COM,01053,", "COM,01053,84,01,truncated")

    out = StringIO()
    call_command(
        "load_reference_data", "--only", "territories", "--data-dir", editable_data_dir, stdout=out
    )

    assert f"skipped 1: 5 columns, 12 expected at line(s) {line}" in out.getvalue()
    after = Commune.objects.get(code="01053")
    assert (after.name, after.population, after.departement_id) == (
        before.name,
        before.population,
        before.departement_id,
    )


def test_strict_mode_rolls_back_the_whole_dataset(editable_data_dir):
    load_territories(editable_data_dir)
    communes = editable_data_dir / "territoires/cog-insee/communes.csv"
    _replace_line(
        communes,
        "COM,01053,",
        "COM,01053,84,01,01D,012,0,BOURG EN BRESSE,Bourg-en-Bresse,Bourg renamed,0104,",
    )
    line = _replace_line(communes, "COM,01004,", "COM,01004,broken")

    out = StringIO()
    with pytest.raises(CommandError, match="nothing of this dataset was saved"):
        call_command(
            "load_reference_data",
            "--only",
            "territories",
            "--strict",
            "--data-dir",
            editable_data_dir,
            stdout=out,
        )

    assert f"at line(s) {line}" in out.getvalue()
    assert Commune.objects.get(code="01053").name == "Bourg-en-Bresse"  # rename rolled back


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="missing file"):
        call_command("load_reference_data", "--only", "territories", "--data-dir", tmp_path)
    assert not Region.objects.exists()


def test_departement_centroids_cover_every_departement(sample_data_dir):
    centroids = departement_centroids(
        sample_data_dir / "territoires/france-services/geom_dep.geojson"
    )
    assert len(centroids) == 101
    lat, lon = centroids["2A"]  # Corse-du-Sud
    assert 41.3 < lat < 42.4 and 8.5 < lon < 9.5
    lat, lon = centroids["974"]  # La Réunion, in true position
    assert -21.5 < lat < -20.8 and 55.2 < lon < 55.9


def test_unclosed_quote_aborts_with_its_line(editable_data_dir):
    communes = editable_data_dir / "territoires/cog-insee/communes.csv"
    # Without strict parsing the quote swallows every later row into one field, silently.
    line = _replace_line(communes, "COM,01053,", 'COM,01053,84,01,"01D,012,0,B,B,B,0104,')

    with pytest.raises(CommandError, match=f"communes.csv: line {line}: .*nothing of this"):
        call_command(
            "load_reference_data", "--only", "territories", "--data-dir", editable_data_dir
        )
    assert not Region.objects.exists()  # the whole dataset rolled back


def test_renamed_column_is_a_clear_error(editable_data_dir):
    communes = editable_data_dir / "territoires/cog-insee/communes.csv"
    _replace_line(
        communes, "TYPECOM,", "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,NOM,CAN,COMPARENT"
    )

    with pytest.raises(CommandError, match="communes.csv: missing column.*'LIBELLE'"):
        call_command(
            "load_reference_data", "--only", "territories", "--data-dir", editable_data_dir
        )
    assert not Region.objects.exists()


def test_read_csv_reports_the_line_where_a_bad_quote_starts(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('a,b\n1,2\n\n3,"4\n5,6\n', encoding="utf-8")
    rows = read_csv(path, required=["a", "b"])
    assert next(rows) == (2, {"a": "1", "b": "2"})
    with pytest.raises(ImportAborted, match="rows.csv: line 4: unexpected end of data"):
        next(rows)


@pytest.mark.parametrize(
    ("raw", "bound", "expected"),
    [
        ("48.07", 90, 48.07),
        ("-0.77", 180, -0.77),
        ("-180", 180, -180.0),
        ("nan", 90, None),
        ("inf", 180, None),
        ("-1e400", 180, None),
        ("90.5", 90, None),
        ("181", 180, None),
        ("", 90, None),
    ],
)
def test_coordinate_is_finite_and_on_the_globe(raw, bound, expected):
    assert coordinate(raw, bound) == expected
