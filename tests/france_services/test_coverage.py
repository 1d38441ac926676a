"""Coverage of the population by France services: exact on a tiny fixture, stored by the action
with its assumptions, the command and the admin action; the real figure in a slow test."""

import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from ecoute.catalogue.search import EARTH_RADIUS_KM
from ecoute.france_services.actions import compute_coverage
from ecoute.france_services.coverage import CommuneInput, compute
from ecoute.france_services.models import CoverageFigure, CoverageRun, meets_target
from tests.factories import CommuneFactory, DepartementFactory, UserFactory

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180


def commune(code, departement, population, km):
    """A commune on the equator `km` east of the point at (0, 0)."""
    return CommuneInput(code, departement, population, 0.0, km / KM_PER_DEGREE)


def test_coverage_is_exact_on_a_tiny_fixture():
    communes = [
        commune("A1", "A", 100, 5),
        commune("A2", "A", 200, 15),
        commune("B1", "B", 300, 25),
        commune("B2", "B", 400, 40),
        CommuneInput("M1", "976", None, -12.78, 45.23),  # Mayotte: no population
        CommuneInput("X1", "B", 50, None, None),  # no position
    ]
    # 60 km/h and no detour: minutes = km; with a detour of 1.5 at 90 km/h, the same
    for detour, speed in [(1.0, 60.0), (1.5, 90.0)]:
        result = compute(
            communes, [(0.0, 0.0)], detour_factor=detour, speed_kmh=speed, thresholds=(10, 20, 30)
        )
        assert result.national.population == 1000
        assert result.national.within == {10: 100, 20: 300, 30: 600}
        assert result.departements["A"].within == {10: 100, 20: 300, 30: 300}
        assert result.departements["B"].within == {30: 300}
        assert result.departements["B"].population == 700
        assert result.communes == 4
        assert result.communes_without_population == 1
        assert (result.communes_without_position, result.population_without_position) == (1, 50)
        assert result.minutes_by_commune["B2"] == pytest.approx(40, rel=1e-6)


def test_nearest_point_is_the_nearest_of_several():
    points = [(0.0, 1.0), (0.0, 30 / KM_PER_DEGREE), (10.0, 10.0)]
    result = compute(
        [commune("A", "A", 10, 20)], points, detour_factor=1, speed_kmh=60, thresholds=(10,)
    )
    assert result.minutes_by_commune["A"] == pytest.approx(10, rel=1e-6)  # 10 km from the 2nd


def test_target_is_judged_at_the_precision_shown():
    assert meets_target(95.0) and meets_target(94.96) and meets_target(100)
    assert not meets_target(94.94) and not meets_target(None)


def test_no_point_covers_nobody():
    result = compute(
        [commune("A", "A", 10, 1)], [], detour_factor=1, speed_kmh=60, thresholds=(10,)
    )
    assert result.national.within == {}


@pytest.mark.django_db
@override_settings(ECOUTE_FS_DETOUR_FACTOR=1.0, ECOUTE_FS_SPEED_KMH=60.0)
def test_action_stores_national_and_departement_figures(places):
    # Aurillac (25,000) is 0.4 km from a point; Sans-Position and the CAF's commune are left out
    cantal = DepartementFactory(code="15")
    CommuneFactory(  # 40 km south of Aurillac, ~37 km from Arpajon's point: over 30 min
        code="15100",
        name="Loin",
        departement=cantal,
        population=1_000,
        latitude=44.9300 - 40 / KM_PER_DEGREE,
        longitude=2.4400,
    )
    run = compute_coverage()
    assert (run.detour_factor, run.speed_kmh, run.points, run.communes) == (1.0, 60.0, 3, 2)
    assert run.population == 26_000
    assert run.communes_without_position == 2
    assert run.points_without_departement == 0
    figures = {
        (f.departement_id, f.minutes): (f.population, f.population_within)
        for f in CoverageFigure.objects.filter(run=run)
    }
    assert figures == {
        (None, 10): (26_000, 25_000),
        (None, 20): (26_000, 25_000),
        (None, 30): (26_000, 25_000),
        ("15", 10): (26_000, 25_000),
        ("15", 20): (26_000, 25_000),
        ("15", 30): (26_000, 25_000),
    }
    # a new computation is a new run; the old one stays
    compute_coverage(speed_kmh=120.0)
    assert CoverageRun.objects.count() == 2
    latest = CoverageRun.objects.first()
    assert latest.speed_kmh == 120.0
    assert latest.figures.get(departement=None, minutes=20).population_within == 26_000


@pytest.mark.django_db
def test_bad_assumptions_are_refused(places):
    with pytest.raises(ValueError, match="detour"):
        compute_coverage(detour_factor=0.5)
    with pytest.raises(CommandError, match="speed positive"):
        call_command("compute_france_services_coverage", "--speed", "0")
    assert not CoverageRun.objects.exists()


@pytest.mark.django_db
def test_command_prints_the_national_figures(places):
    out = StringIO()
    call_command("compute_france_services_coverage", "--detour", "1.2", "--speed", "40", stdout=out)
    assert "3 points" in out.getvalue() and "20 min 100.00 %" in out.getvalue()
    assert CoverageRun.objects.get().detour_factor == 1.2


@pytest.mark.django_db
def test_admin_lists_runs_and_computes_again(client, places):
    compute_coverage()
    url = reverse("admin:france_services_coveragerun_changelist")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200
    run = CoverageRun.objects.get()
    assert (
        client.get(reverse("admin:france_services_coveragerun_change", args=[run.pk])).status_code
        == 200
    )
    response = client.post(url, {"action": "compute_again", "_selected_action": [run.pk]})
    assert response.status_code == 302
    assert CoverageRun.objects.count() == 2
    assert client.get(reverse("admin:france_services_coveragerun_add")).status_code == 403


@pytest.mark.slow
@pytest.mark.django_db
def test_real_national_coverage():
    """The shipped reference data (territories, catalogue) and the default assumptions."""
    with transaction.atomic():
        call_command(
            "load_reference_data", "--only", "territories", "--only", "catalogue", stdout=StringIO()
        )
        with override_settings(ECOUTE_FS_DETOUR_FACTOR=1.3, ECOUTE_FS_SPEED_KMH=50.0):
            run = compute_coverage()
        shares = {
            f.minutes: round(f.share, 2) for f in run.figures.filter(departement__isnull=True)
        }
        assert run.points == 2_848
        assert run.communes_without_population == 17  # Mayotte
        assert shares == {10: 78.96, 20: 98.14, 30: 99.67}
        assert (
            run.figures.filter(departement__isnull=False).values("departement").distinct().count()
            == 100
        )
        transaction.set_rollback(True)
