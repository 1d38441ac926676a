"""import_indicators and the admin's upload: the whole file checked first, a French report
with line numbers, idempotence, corrections with history, roll-ups moved by differences."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ecoute.indicators.actions import import_measurements
from ecoute.indicators.models import IndicatorRollup, Measurement, MeasurementRevision
from ecoute.indicators.rollups import rebuild
from tests.factories import ContactPointFactory, OrganisationFactory, UserFactory
from tests.indicators.helpers import nonzero_rollups

pytestmark = pytest.mark.django_db

HEADER = "indicateur,code_sp,point_de_contact,periode,numerateur,denominateur\n"


@pytest.fixture
def places():
    head = OrganisationFactory(name="Direction", sp_code="DIR-01")
    agency = OrganisationFactory(name="Agence", sp_code="AG-01", parent=head, network=head.network)
    point = ContactPointFactory(organisation=agency, source_key="sp:AG-01:telephone")
    return {"head": head, "agency": agency, "point": point}


GOOD = HEADER + (
    "taux-decroche,,sp:AG-01:telephone,2026-01,80,100\n"
    "taux-decroche,AG-01,,2026-02,45,50\n"
    "respect-delai,DIR-01,,2026-01,9,10\n"
)


def _import(text: str, source: str = "mesures.csv"):
    return import_measurements(actor=None, source=source, content=text.encode())


def _national(slug: str, period_kind: str = "year", start=dt.date(2026, 1, 1)):
    row = IndicatorRollup.objects.filter(
        indicator=slug, scope_kind="nation", period_kind=period_kind, period_start=start
    ).first()
    return (row.numerator, row.denominator) if row else (0, 0)


def test_a_good_file_is_stored_and_rolled_up(places):
    report = _import(GOOD)
    assert report.ok, report.errors
    assert (report.created, report.corrected, report.unchanged) == (3, 0, 0)
    assert "3 mesure(s) nouvelle(s)" in report.summary()
    assert Measurement.objects.count() == 3 and MeasurementRevision.objects.count() == 3
    assert _national("taux-decroche") == (125, 150)  # counts added, never rates averaged
    head_year = IndicatorRollup.objects.get(
        indicator="taux-decroche",
        scope_kind="organisation",
        scope_key=str(places["head"].pk),
        period_kind="year",
    )
    assert (head_year.numerator, head_year.denominator) == (125, 150)  # includes its agency
    kept = nonzero_rollups()
    rebuild()
    assert nonzero_rollups() == kept


def test_the_same_file_twice_changes_nothing(places):
    _import(GOOD)
    before = nonzero_rollups()
    report = _import(GOOD)
    assert (report.created, report.corrected, report.unchanged) == (0, 0, 3)
    assert nonzero_rollups() == before
    assert MeasurementRevision.objects.count() == 3


def test_a_correction_keeps_the_history_and_moves_the_roll_ups(places):
    _import(GOOD, source="janvier.csv")
    report = _import(
        HEADER + "taux-decroche,,sp:AG-01:telephone,2026-01,70,110\n", source="correctif.csv"
    )
    assert (report.created, report.corrected) == (0, 1)
    measurement = Measurement.objects.get(contact_point=places["point"])
    assert (measurement.numerator, measurement.denominator) == (70, 110)
    history = list(measurement.revisions.values_list("numerator", "denominator", "source"))
    assert history == [(70, 110, "correctif.csv"), (80, 100, "janvier.csv")]
    assert _national("taux-decroche") == (115, 160)
    kept = nonzero_rollups()
    rebuild()
    assert nonzero_rollups() == kept


def test_errors_are_reported_by_line_and_nothing_is_stored(places):
    text = HEADER + (
        "taux-decroche,,sp:AG-01:telephone,2026-01,80,100\n"  # 2: fine
        "satisfaction,AG-01,,2026-01,1,2\n"  # 3: felt
        "inconnu,AG-01,,2026-01,1,2\n"  # 4
        "taux-decroche,AG-01,sp:AG-01:telephone,2026-01,1,2\n"  # 5: both places
        "taux-decroche,NOPE,,2026-01,1,2\n"  # 6
        "taux-decroche,AG-01,,2026-13,1,2\n"  # 7
        "taux-decroche,AG-01,,2026-01,5,2\n"  # 8
        "taux-decroche,AG-01,,2026-01,-1,2\n"  # 9
        "taux-decroche,,sp:AG-01:telephone,2026-01,1,2\n"  # 10: duplicate of 2
        "taux-decroche,AG-01,,2999-01,1,2\n"  # 11: not over yet
    )
    report = _import(text)
    assert not report.ok
    lines = {line for line, _message in report.errors}
    assert lines == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    text_report = "\n".join(report.lines_text())
    assert "Ligne 3 : l'indicateur « satisfaction » est calculé à partir des avis" in text_report
    assert "Ligne 6 : aucune organisation n'a le code SP+ « NOPE »." in text_report
    assert "Ligne 7 : période « 2026-13 » invalide" in text_report
    assert "Ligne 8 : le numérateur (5) dépasse le dénominateur (2)." in text_report
    assert "Ligne 10 : même mesure que la ligne 2." in text_report
    assert "rien n'a été enregistré" in report.summary()
    assert not Measurement.objects.exists() and not IndicatorRollup.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"indicateur,periode\nx,y\n", "Ligne 1 : colonnes manquantes : code_sp"),
        (HEADER.encode(), "Ligne 2 : le fichier ne contient aucune mesure."),
        (
            "é".encode("latin-1") + HEADER.encode(),
            "Ligne 1 : le fichier n'est pas encodé en UTF-8.",
        ),
    ],
)
def test_unreadable_files_are_refused_with_a_message(content, message):
    report = import_measurements(actor=None, source="x.csv", content=content)
    assert message in "\n".join(report.lines_text())


def test_semicolons_and_a_bom_are_accepted(places):
    text = "\ufeff" + GOOD.replace(",", ";")
    assert _import(text).created == 3


def test_the_command(places, tmp_path, capsys):
    good = tmp_path / "mesures.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_indicators", str(good))
    assert "3 mesure(s) nouvelle(s)" in capsys.readouterr().out
    bad = tmp_path / "faux.csv"
    bad.write_text(HEADER + "inconnu,AG-01,,2026-01,1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_indicators", str(bad))
    assert "Ligne 2 : indicateur inconnu" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Impossible de lire"):
        call_command("import_indicators", str(tmp_path / "absent.csv"))


def test_the_generated_sample_file_imports_cleanly(django_assert_max_num_queries):
    """data/indicators/mesures-generees.csv, against organisations bearing its SP+ codes."""
    sample = Path(__file__).resolve().parents[2] / "data" / "indicators" / "mesures-generees.csv"
    content = sample.read_bytes()
    codes = {line.split(",")[1] for line in content.decode().splitlines()[1:]}
    for code in sorted(codes):
        OrganisationFactory(sp_code=code)
    with django_assert_max_num_queries(30):  # bulk writes by 1,000 rows, upserts by 2,000 keys
        report = import_measurements(actor=None, source=sample.name, content=content)
    assert report.ok, report.errors[:3]
    assert report.created == 1080
    assert import_measurements(actor=None, source=sample.name, content=content).unchanged == 1080


URL = "admin:indicators_measurement_import"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("usager", 302), ("staff", 403), ("importer", 200), ("admin", 200)],
)
def test_the_admin_upload_permissions(client, role, status):
    from django.contrib.auth.models import Permission

    users = {
        "usager": lambda: UserFactory(),
        "staff": lambda: UserFactory(is_staff=True),
        "importer": lambda: UserFactory(is_staff=True),
        "admin": lambda: UserFactory(is_staff=True, is_superuser=True),
    }
    if role != "anonymous":
        user = users[role]()
        if role == "importer":
            user.user_permissions.add(
                Permission.objects.get(
                    codename="add_measurement", content_type__app_label="indicators"
                )
            )
        client.force_login(user)
    assert client.get(reverse(URL)).status_code == status


def test_the_admin_upload_reports_errors_then_imports(client, places):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    bad = SimpleUploadedFile("faux.csv", (HEADER + "inconnu,AG-01,,2026-01,1,2\n").encode())
    response = client.post(reverse(URL), {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ligne 2 : indicateur inconnu" in page
    assert not Measurement.objects.exists()
    response = client.post(reverse(URL), {"file": SimpleUploadedFile("bon.csv", GOOD.encode())})
    assert response.status_code == 200
    assert "3 mesure(s) nouvelle(s)" in response.content.decode()
    assert MeasurementRevision.objects.filter(recorded_by__is_superuser=True).count() == 3
    changelist = client.get(reverse("admin:indicators_measurement_changelist")).content.decode()
    assert 'data-testid="import-link"' in changelist
