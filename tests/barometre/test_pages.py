"""The barometer's public pages through HTTP: the latest edition with its change since the
previous one, an edition (national, networks, map per indicator), a network and a département
in an edition, every CSV, bad input, and bounded query counts."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecoute.barometre import actions
from ecoute.barometre.models import Edition
from tests.factories import ContactPointFactory, OrganisationFactory

from .conftest import IN_S1, S1, S2, rate

pytestmark = pytest.mark.django_db

BASE = 2  # every page: django-dsfr reads its configuration (ui/base.html)


@pytest.fixture
def two_editions(rated, publisher):
    for semester in (S1, S2):
        edition = actions.prepare_edition(semester=semester, actor=publisher)
        actions.publish_edition(edition=edition, actor=publisher)
    return Edition.objects.order_by("year", "half")


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_barometer_without_edition(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(BASE + 2):
        response = client.get(reverse("barometre:index"))
    assert response.status_code == 200
    assert 'data-testid="no-edition"' in response.content.decode()


def test_the_latest_edition_with_its_change_since_the_previous_one(
    client, two_editions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(BASE + 5):
        response = client.get(reverse("barometre:index"))
    page = response.content.decode()
    assert "Dernière édition : 2d semestre 2025 (version 1)" in page
    row = page[page.index('data-testid="value-satisfaction"') :]
    row = row[: row.index("</tr>")]
    assert "75,0" in row
    assert "en hausse de 25,0 points" in row
    assert "fr-icon-arrow-up-line" in row and 'aria-hidden="true"' in row
    assert "Évolution depuis 2025-S1" in page
    assert 'data-testid="edition-2025-S1-v1"' in page
    assert 'data-testid="link-barometre-sp"' in page  # the results navigation lists it
    rows = _rows(client.get(reverse("barometre:index") + "?csv=national"))
    satisfaction = next(r for r in rows if r["indicateur"] == "satisfaction")
    assert satisfaction["taux"] == "75.0"
    assert satisfaction["evolution_points"] == "25.0"
    assert satisfaction["publie"] == "oui"


def test_an_edition_page_national_networks_and_map(
    client, two_editions, rated, django_assert_max_num_queries
):
    edition = two_editions.first()
    url = edition.get_absolute_url()
    assert url == "/barometre/2025-S1/v1/"
    with django_assert_max_num_queries(BASE + 8):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "pas d&#x27;édition précédente" in page
    network = rated.organisation.network
    assert f'data-testid="network-{network.pk}"' in page
    assert reverse("barometre:network", args=["2025-S1", 1, "cnaf"]) in page
    assert 'data-testid="chart-carte-satisfaction"' in page
    assert "<svg" in page
    map_page = client.get(url + "?indicateur=delais").content.decode()
    assert 'data-testid="chart-carte-delais"' in map_page
    assert client.get(url + "?indicateur=inconnu").status_code == 404
    map_rows = list(
        csv.reader(io.StringIO(client.get(url + "?csv=carte-satisfaction").content.decode()))
    )
    assert len(map_rows) > 1
    networks = _rows(client.get(url + "?csv=reseaux"))
    assert {r["nom"] for r in networks} == {"Caisses d'allocations familiales"}
    assert len(networks) == 8


def test_the_network_and_departement_pages(
    client, two_editions, rated, django_assert_max_num_queries
):
    edition = two_editions.last()
    code = rated.departement.code
    with django_assert_max_num_queries(BASE + 5):
        response = client.get(reverse("barometre:departement", args=["2025-S2", 1, code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="scope-departement"' in page
    assert "en hausse de 25,0 points" in page
    network_url = reverse("barometre:network", args=["2025-S2", 1, "cnaf"])
    page = client.get(network_url).content.decode()
    assert "Caisses d&#x27;allocations familiales" in page
    assert "75,0" in page
    rows = _rows(client.get(network_url + "?csv=valeurs"))
    assert rows[0]["edition"] == edition.label and len(rows) == 8


def test_insufficient_samples_never_show_their_value(client, rated, publisher, settings):
    settings.ECOUTE_INDICATOR_MIN_SAMPLE = 10
    edition = actions.prepare_edition(semester=S1, actor=publisher)
    actions.publish_edition(edition=edition, actor=publisher)
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "échantillon insuffisant (4 avis, minimum 10)" in page
    assert "50,0" not in page
    rows = _rows(client.get(edition.get_absolute_url() + "?csv=national"))
    satisfaction = next(r for r in rows if r["indicateur"] == "satisfaction")
    assert (satisfaction["taux"], satisfaction["publie"]) == ("", "non")


def test_a_new_departement_and_network_make_rows_without_changing_the_others(
    client, rated, publisher
):
    other = ContactPointFactory(organisation=OrganisationFactory(name="Autre"))
    rate(other, IN_S1, 5)
    edition = actions.prepare_edition(semester=S1, actor=publisher)
    actions.publish_edition(edition=edition, actor=publisher)
    page = client.get(edition.get_absolute_url()).content.decode()
    assert f'data-testid="network-{other.organisation.network_id}"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/barometre/2025-S1/",  # no edition
        "/barometre/2025-S1/v1/",
        "/barometre/2025-S3/v1/",
        "/barometre/2025-S1/v99999/",
        "/barometre/2025-S1/v1/reseaux/inconnu/",
        "/barometre/2025-S1/v1/departements/999/",
        "/barometre/2025-S1/v99999999999999999999/",
        "/barometre/x/",
    ],
)
def test_unknown_addresses_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_draft_is_not_public(client, rated, publisher):
    draft = actions.prepare_edition(semester=S1, actor=publisher)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/barometre/2025-S1/").status_code == 404
    assert 'data-testid="no-edition"' in client.get("/barometre/").content.decode()
    network = reverse("barometre:network", args=["2025-S1", 1, "cnaf"])
    assert client.get(network).status_code == 404


def test_a_page_of_an_unknown_scope_in_an_edition(client, two_editions):
    assert client.get("/barometre/2025-S1/v1/departements/2A/").status_code == 404


def test_the_command_prepares_and_publishes(rated, publisher, capsys):
    call_command("prepare_barometer_edition", "2025-S1", "--user", publisher.username)
    assert "Draft 2025-S1 v1" in capsys.readouterr().out
    call_command("prepare_barometer_edition", "2025-s1", "--publish", "--note", "Données test")
    edition = Edition.objects.get()
    assert edition.is_published and edition.note == "Données test"
    from django.core.management import CommandError

    for args in (["2025-S9"], ["2025-S1"], ["2025-S2", "--user", "personne"]):
        with pytest.raises(CommandError):
            call_command("prepare_barometer_edition", *args)


def test_a_change_needs_a_value_on_both_sides(client, rated, publisher):
    for semester in (S1, S2):
        edition = actions.prepare_edition(semester=semester, actor=publisher)
        actions.publish_edition(edition=edition, actor=publisher)
    page = client.get("/barometre/").content.decode()
    row = page[page.index('data-testid="change-taux-decroche"') :]
    assert "pas de valeur dans l&#x27;édition précédente" in row[: row.index("</td>")]


def test_the_barometer_in_english(client, two_editions):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/barometre/").content.decode()
    assert "Services Publics + barometer" in page
    assert "up 25.0 points" in page
