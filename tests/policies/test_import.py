"""Loading both editions: shapes, caveats of the source files, idempotence, the report."""

import datetime as dt
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ecoute.policies.importers import load_barometre_resultats
from ecoute.policies.models import (
    Edition,
    Indicator,
    Policy,
    Summary,
    Tendance,
    Theme,
    Value,
    ValueKind,
    ZoneKind,
)
from ecoute.policies.queries import DatedValue, transparency_by_departement

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count() for m in (Edition, Theme, Policy, Indicator, Value, Summary)
    }


def test_both_editions_load_into_one_shape(loaded):
    assert set(Edition.objects.values_list("code", flat=True)) == {"2023", "2024"}
    assert Policy.objects.filter(edition__code="2023").count() == 3
    # 2024: every chantier and indicator of the metadata, values for the two sampled ones.
    assert Policy.objects.filter(edition__code="2024").count() == 59
    assert Indicator.objects.filter(policy__edition__code="2024").count() == 106
    assert Theme.objects.filter(edition__code="2024").count() == 5
    france_services = Policy.objects.get(edition__code="2024", code="CH-146")
    assert france_services.theme.code == "PROGRES"
    ind = Indicator.objects.get(code="IND-246")
    assert ind.tendance == Tendance.UP
    assert ind.name == "Taux de satisfaction des usagers en France services"
    assert ind.description  # indic_descr_baro, since indic_descr is empty


def test_2023_values_per_zone_and_kind(loaded):
    transparency = Indicator.objects.get(code="tx-transparence-resultats")
    assert transparency.policy.name == "Améliorer la qualité du service rendu à l’usager"
    assert transparency.unit == "% de réseaux"
    ain = Summary.objects.get(indicator=transparency, departement_id="01")
    assert (ain.current_value, ain.current_date) == (76.0, dt.date(2022, 12, 31))
    assert (ain.initial_value, ain.initial_date) == (6.0, dt.date(2017, 12, 31))
    assert (ain.target_value, ain.progress_value) == (100.0, 74.0)
    deaths = Indicator.objects.get(code="nb-morts-routes")
    region = Summary.objects.get(indicator=deaths, zone_kind=ZoneKind.REGION)
    assert (region.region_id, region.current_value) == ("84", 317.0)
    # No target anywhere: the 2023 files cannot tell which way is progress.
    assert deaths.tendance == ""
    assert Summary.objects.filter(indicator=transparency, zone_kind=ZoneKind.NATION).count() == 1
    # The target is above the initial value: progress is upwards.
    assert transparency.tendance == Tendance.UP


def test_trailing_spaces_and_duplicated_rows(loaded):
    housing = Indicator.objects.get(code="nb-logement-accompagnement")
    # The first of its two labels wins; its second row per zone is reported, not loaded twice.
    assert housing.name.startswith("Nombre de logements ayant bénéficié")
    assert Summary.objects.filter(indicator=housing, zone_kind=ZoneKind.DEPARTEMENT).count() == 2
    text = "\n".join(loaded.lines())
    assert "indicator and zone already read on an earlier line" in text
    assert not Policy.objects.filter(name__endswith=" ").exists()


def test_history_that_measures_another_quantity_is_left_out(loaded):
    deaths = Indicator.objects.get(code="nb-morts-routes")
    national = Value.objects.filter(
        indicator=deaths, zone_kind=ZoneKind.NATION, kind=ValueKind.CURRENT
    )
    # Only the synthèse's points (current and previous update), not the monthly history.
    assert national.count() == 2
    assert "nb-morts-routes: national history left out" in "\n".join(loaded.lines())
    transparency = Indicator.objects.get(code="tx-transparence-resultats")
    assert (
        Value.objects.filter(
            indicator=transparency, zone_kind=ZoneKind.NATION, kind=ValueKind.CURRENT
        ).count()
        > 2
    )


def test_placeholder_initial_values_and_empty_rows_are_not_stored(loaded):
    satisfaction = Indicator.objects.get(code="IND-246")
    assert not Value.objects.filter(indicator=satisfaction, kind=ValueKind.INITIAL).exists()
    ain = Summary.objects.get(indicator=satisfaction, departement_id="01")
    assert ain.initial_value is None
    assert ain.current_value is not None
    text = "\n".join(loaded.lines())
    assert "ind-246.csv: placeholder initial value 0.0 in every zone, not stored" in text
    assert "empty 2024 rows (no date, no value) ignored" in text
    # IND-323 has real initial values: kept.
    assert Value.objects.filter(indicator__code="IND-323", kind=ValueKind.INITIAL).exists()


def test_loading_twice_changes_nothing(loaded, barometre_dir):
    before = _counts()
    ids = set(Value.objects.values_list("pk", flat=True))
    second = load_barometre_resultats(barometre_dir)
    assert _counts() == before
    assert set(Value.objects.values_list("pk", flat=True)) == ids
    assert second.changed == 0
    assert "created 0, updated 0" in "\n".join(second.lines())


def test_a_corrected_file_updates_and_removes_values(loaded, barometre_dir, tmp_path):
    data = shutil.copytree(barometre_dir, tmp_path / "data")
    path = data / "barometre-resultats" / "ditp-2024" / "data" / "ind-323.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    national = [i for i, line in enumerate(lines) if ",FRANCE," in line and line.split(",")[5]]
    first = national[0]
    fields = lines[first].rstrip("\n").split(",")
    fields[5] = "123456.0"
    lines[first] = ",".join(fields) + "\n"
    del lines[national[1]]
    path.write_text("".join(lines), encoding="utf-8")
    report = load_barometre_resultats(data)
    value = report.tables[1]
    assert (value.updated, value.created) == (1, 0)
    assert "1 values no longer in the files deleted" in "\n".join(report.lines())
    assert Value.objects.filter(indicator__code="IND-323", value=123456.0).count() == 1


def test_rows_of_an_unknown_departement_are_skipped_with_their_line(db, barometre_dir):
    from tests.factories import DepartementFactory

    DepartementFactory(code="01")
    report = load_barometre_resultats(barometre_dir)
    text = "\n".join(report.lines())
    assert "barometre-resultats-synthese-departemental.csv: unknown zone at line(s)" in text
    assert "ind-246.csv: unknown zone" in text
    assert not Summary.objects.filter(departement_id="53").exists()


def test_the_command_reports_and_needs_territories(db, barometre_dir):
    with pytest.raises(CommandError, match="load the territories first"):
        call_command("load_barometre_resultats", "--data-dir", barometre_dir)
    assert not Edition.objects.exists()


def test_the_command_prints_the_report(territories, barometre_dir):
    out = StringIO()
    call_command("load_barometre_resultats", "--data-dir", barometre_dir, stdout=out)
    assert "policies.value: read" in out.getvalue()
    assert "policies.indicator (2024): read 106, created 106" in out.getvalue()


def test_strict_mode_rolls_back(territories, barometre_dir):
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("load_barometre_resultats", "--data-dir", barometre_dir, "--strict")
    assert not Value.objects.exists()


def test_transparency_by_departement(loaded):
    rates = transparency_by_departement()
    assert set(rates) == {"01", "53"}
    assert rates["01"] == DatedValue(76.0, dt.date(2022, 12, 31))


def test_transparency_is_empty_without_the_barometre(db):
    assert transparency_by_departement() == {}


@pytest.mark.slow
def test_the_real_files(sample_data_dir):
    """The shipped files: 40 mesures and 53 indicators per département (2023), 59 chantiers
    and 106 indicator series (2024)."""
    call_command("load_reference_data", "--only", "territories", "--data-dir", sample_data_dir)
    report = load_barometre_resultats(settings.ECOUTE_DATA_DIR)
    by_departement = Summary.objects.filter(zone_kind=ZoneKind.DEPARTEMENT)
    editions = {
        code: by_departement.filter(indicator__policy__edition__code=code)
        for code in ("2023", "2024")
    }
    assert editions["2023"].values("indicator__policy").distinct().count() == 40
    assert editions["2023"].values("indicator").distinct().count() == 53
    assert Policy.objects.filter(edition__code="2024").count() == 59
    assert Indicator.objects.filter(policy__edition__code="2024").count() == 106
    assert (
        Indicator.objects.filter(policy__edition__code="2024", values__isnull=False)
        .distinct()
        .count()
        == 106
    )
    assert len(transparency_by_departement()) == 101
    assert report.skipped < 2500
