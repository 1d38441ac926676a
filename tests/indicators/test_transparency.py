"""The transparency rate through HTTP: exact counts on a small directory, the State's 2023 rate
beside, the CSVs, the network and département pages, bad input, bounded query counts."""

import csv
import datetime as dt
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoute.catalogue.models import Channel
from ecoute.indicators.actions import import_measurements
from ecoute.indicators.queries import semester_label
from ecoute.indicators.transparency import (
    cached,
    compute,
    latest_complete_semester,
    next_semester,
    previous_semester,
)
from ecoute.policies.importers import load_barometre_resultats
from tests.factories import (
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
    RegionFactory,
)
from tests.policies.sample import build_sample

pytestmark = pytest.mark.django_db

SEMESTER = latest_complete_semester(timezone.localdate())
LABEL = semester_label(SEMESTER)
DAY = SEMESTER + dt.timedelta(days=40)
BASE = 2  # every page: django-dsfr reads its configuration (ui/base.html)
URL = "/resultats/transparence/"


@pytest.fixture(scope="session")
def barometre_dir(tmp_path_factory: pytest.TempPathFactory):
    return build_sample(tmp_path_factory.mktemp("barometre"))


@pytest.fixture
def directory():
    """Six counters in the Ain (01) and the Mayenne (53), three networks:

    - Caf: counters a1 (01, rated this semester: publishes), a2 (01, rated the semester
      before only), a3 (53); its phone line (01, rated) and a closed counter (01) are not
      counted;
    - Urssaf: a head organisation whose own measurement (imported for it) covers its agency's
      counters b1 (01) and b2 (53): both publish;
    - Police: counter c1 (53), nothing published;
    - a network with an online démarche only (rated): no counter, not counted nor listed.
    """
    ain = DepartementFactory(code="01", name="Ain", region=RegionFactory(code="84", name="ARA"))
    mayenne = DepartementFactory(
        code="53", name="Mayenne", region=RegionFactory(code="52", name="Pays de la Loire")
    )
    caf, urssaf, police = (
        NetworkFactory(name=name, slug=slug)
        for name, slug in (("Caf", "caf"), ("Urssaf", "urssaf"), ("Police", "police"))
    )

    communes = {
        ain: CommuneFactory(code="01053", name="Bourg-en-Bresse", departement=ain),
        mayenne: CommuneFactory(code="53130", name="Laval", departement=mayenne),
    }

    def counter(organisation, departement, **kwargs):
        return ContactPointFactory(
            organisation=organisation, commune=communes[departement], **kwargs
        )

    caf_org = OrganisationFactory(name="Caf", network=caf)
    a1, a2 = counter(caf_org, ain), counter(caf_org, ain)
    counter(caf_org, mayenne)
    phone = counter(caf_org, ain, channel=Channel.PHONE)
    counter(caf_org, ain, is_active=False)
    head = OrganisationFactory(name="Urssaf nationale", network=urssaf, sp_code="UR-00")
    agency = OrganisationFactory(name="Urssaf agence", network=urssaf, parent=head)
    counter(agency, ain)
    counter(agency, mayenne)
    counter(OrganisationFactory(name="Commissariat", network=police), mayenne)
    online = OrganisationFactory(name="Téléservice", network=NetworkFactory(slug="en-ligne"))
    website = counter(online, ain, channel=Channel.ONLINE)
    ExperienceFactory(contact_point=website, published=True, occurred_on=DAY)

    ExperienceFactory(contact_point=a1, published=True, occurred_on=DAY, rating_satisfaction=5)
    ExperienceFactory(contact_point=phone, published=True, occurred_on=DAY)
    ExperienceFactory(
        contact_point=a2,
        published=True,
        occurred_on=previous_semester(SEMESTER) + dt.timedelta(days=5),
    )
    month = f"{DAY:%Y-%m}"
    report = import_measurements(
        actor=None,
        source="mesures.csv",
        content=(
            "indicateur,code_sp,point_de_contact,periode,numerateur,denominateur\n"
            f"taux-decroche,UR-00,,{month},8,10\n"
        ).encode(),
    )
    assert report.ok
    return {"caf": caf, "urssaf": urssaf, "police": police}


@pytest.fixture
def state(directory, barometre_dir):
    """The State's 2023 rates: Ain 76 %, Mayenne 84 %, France 79 % (at 31 December 2022)."""
    load_barometre_resultats(barometre_dir)


def _row(page: str, testid: str) -> str:
    row = page[page.index(f'data-testid="{testid}"') :]
    return row[: row.index("</tr>")]


def test_the_counts_per_scope(directory):
    report = compute(SEMESTER)
    assert (report.nation.published, report.nation.total) == (3, 6)
    assert {code: (s.published, s.total) for code, s in report.by_departement.items()} == {
        "01": (2, 3),
        "53": (1, 3),
    }
    assert {code: (s.published, s.total) for code, s in report.by_region.items()} == {
        "84": (2, 3),
        "52": (1, 3),
    }
    networks = {n.slug: n.pk for n in directory.values()}
    assert report.by_network[networks["caf"]].rate == pytest.approx(100 / 3)
    assert report.by_network[networks["urssaf"]].rate == 100
    assert report.by_network[networks["police"]].rate == 0
    # The State's method: the mean of the networks' rates; networks above two thirds.
    assert report.network_mean == pytest.approx({"01": 75.0, "53": 100 / 3})
    assert (report.transparent_networks.published, report.transparent_networks.total) == (1, 3)
    # The semester before: only a2 was rated; the Urssaf's measurement is of this semester.
    before = compute(previous_semester(SEMESTER))
    assert (before.nation.published, before.nation.total) == (1, 6)
    assert compute(next_semester(SEMESTER)).nation.published == 0


def test_pages_keep_the_rate_in_the_cache_for_the_configured_time(
    directory, settings, django_assert_num_queries
):
    settings.ECOUTE_TRANSPARENCY_CACHE_SECONDS = 600
    first = cached(SEMESTER)
    with django_assert_num_queries(0):
        again = cached(SEMESTER)
    assert (again.nation.published, again.nation.total) == (first.nation.published, 6)
    networks = {n.slug: n.pk for n in directory.values()}
    with django_assert_num_queries(2):  # another scope, another entry
        assert cached(SEMESTER, network_id=networks["caf"]).nation.total == 3
    settings.ECOUTE_TRANSPARENCY_CACHE_SECONDS = 0
    with django_assert_num_queries(2):  # 0: computed every time
        cached(SEMESTER)


def test_the_page_shows_both_rates_side_by_side(client, state, django_assert_num_queries):
    # Semester, counters, organisation measurements, départements, State's rates (2),
    # networks, régions.
    with django_assert_num_queries(BASE + 7):
        response = client.get(URL)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    nation = page[page.index('data-testid="transparency-nation"') :]
    assert "50 %" in nation[:400]
    assert f"semestre {LABEL} : 3 lieux d'accueil sur 6 publient leurs résultats" in page
    assert "1 réseau sur 3 publie dans plus des deux tiers de ses lieux" in page
    state_block = page[page.index('data-testid="transparency-state"') :][:600]
    assert "79 %" in state_block and "31 décembre 2022" in state_block
    assert 'data-testid="transparency-definition"' in page
    assert "un guichet en activité de l'annuaire" in page
    assert 'data-testid="chart-carte-transparence-ecoute"' in page
    assert 'data-testid="chart-carte-transparence-etat"' in page
    ain = _row(page, "departements-01")
    # 2 of 3 counters; the networks' mean 75 %; the State 76 %; gap −1 point.
    for text in (">2<", ">3<", "67\u00a0%", "75\u00a0%", "76\u00a0%", ">-1<"):
        assert text in ain, text
    mayenne = _row(page, "departements-53")
    for text in (">1<", "33\u00a0%", "84\u00a0%", ">-51<"):
        assert text in mayenne, text
    urssaf = _row(page, "reseaux-urssaf")
    assert "100\u00a0%" in urssaf and ">oui<" in urssaf
    assert 'href="/resultats/reseaux/urssaf/"' in urssaf
    assert 'data-testid="reseaux-en-ligne"' not in page
    assert "Deux mesures de deux ensembles différents" in page
    assert "Licence Ouverte" in page  # the State's source and licence


def test_the_csvs(client, state):
    response = client.get(URL, {"semestre": LABEL, "csv": "departements"})
    assert response["Content-Type"].startswith("text/csv")
    assert f"transparence-departements-{LABEL}.csv" in response["Content-Disposition"]
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["01"] == {
        "code": "01",
        "departement": "Ain",
        "lieux_publiant": "2",
        "lieux": "3",
        "taux_ecoute": "66.7",
        "taux_ecoute_moyenne_reseaux": "75.0",
        "taux_etat_2023": "76.0",
        "ecart_points": "-1.0",
    }
    networks = client.get(URL, {"csv": "reseaux"}).content.decode()
    assert "urssaf,2,2,100.0,oui" in networks
    assert "caf,1,3,33.3,non" in networks
    regions = client.get(URL, {"csv": "regions"}).content.decode()
    assert "84,2,3,66.7" in regions
    ecoute_map = client.get(URL, {"csv": "carte-transparence-ecoute"}).content.decode()
    assert ecoute_map.splitlines()[1].startswith("01,Ain,66.666")
    state_map = client.get(URL, {"csv": "carte-transparence-etat"}).content.decode()
    assert "53,Mayenne,84.0" in state_map


def test_the_minimum_sample_applies(client, directory, settings):
    settings.ECOUTE_INDICATOR_MIN_SAMPLE = 10
    # a1 has one rating: no longer published; the Urssaf's measurement counts 10 calls.
    report = compute(SEMESTER)
    assert (report.nation.published, report.nation.total) == (2, 6)
    settings.ECOUTE_INDICATOR_MIN_SAMPLE = 11
    assert compute(SEMESTER).nation.published == 0
    page = html.unescape(client.get(URL).content.decode())
    assert "0 lieu d'accueil sur 6 publie ses résultats" in page
    assert "échantillon d'au moins 11" in page


def test_an_older_semester_and_without_the_state(client, directory):
    response = client.get(URL, {"semestre": semester_label(previous_semester(SEMESTER))})
    page = html.unescape(response.content.decode())
    assert "1 lieu d'accueil sur 6" in page
    assert "n'est pas chargé" in page


def test_the_network_and_departement_pages_show_the_rate(client, state, django_assert_num_queries):
    with django_assert_num_queries(BASE + 2 + 1 + 2):  # results, network, transparency
        response = client.get(reverse("indicators:network", args=["caf"]))
    page = html.unescape(response.content.decode())
    summary = page[page.index('data-testid="transparency-summary"') :][:800]
    assert "33 %" in summary and "1 lieu d'accueil sur 3" in summary
    # The Mayenne has no roll-up row: one results query; + the State's rate.
    with django_assert_num_queries(BASE + 1 + 1 + 2 + 1):
        response = client.get(reverse("indicators:departement", args=["53"]))
    page = html.unescape(response.content.decode())
    summary = page[page.index('data-testid="transparency-summary"') :][:900]
    assert "1 lieu d'accueil sur 3" in summary and "84 %" in summary
    assert 'href="/resultats/transparence/"' in summary


def test_the_query_count_does_not_grow_with_the_directory(client, state, django_assert_num_queries):
    for network in NetworkFactory.create_batch(3):
        organisation = OrganisationFactory(network=network)
        for point in ContactPointFactory.create_batch(3, organisation=organisation):
            ExperienceFactory(contact_point=point, published=True, occurred_on=DAY)
    with django_assert_num_queries(BASE + 7):
        response = client.get(URL)
    assert "12 lieux d'accueil sur 15" in html.unescape(response.content.decode())


@pytest.mark.parametrize("semester", ["2026-S3", "abc", "26-S1"])
def test_a_bad_semester_is_a_404(client, semester):
    response = client.get(URL, {"semestre": semester})
    assert response.status_code == 404


def test_the_results_navigation_lists_the_page(client):
    page = client.get(reverse("indicators:list")).content.decode()
    assert f'href="{URL}"' in page
