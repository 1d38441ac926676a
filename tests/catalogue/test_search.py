import pytest
from django.urls import reverse

from tests.factories import (
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    NetworkFactory,
    OrganisationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    rhone = DepartementFactory(code="69", name="Rhône", region=RegionFactory())
    lyon = CommuneFactory(code="69123", name="Lyon", departement=rhone)
    prefecture = OrganisationFactory(
        name="Préfecture du Rhône", network=NetworkFactory(name="Préfectures", slug="prefectures")
    )
    caf = OrganisationFactory(name="CAF de l'Ain", network=NetworkFactory(name="CNAF", slug="cnaf"))
    return {
        "phone": ContactPointFactory(
            organisation=prefecture,
            name="Préfecture du Rhône — accueil téléphonique",
            channel="telephone",
            commune=lyon,
            postal_code="69003",
        ),
        "online": ContactPointFactory(
            organisation=prefecture,
            name="Titres de séjour en ligne",
            channel="en_ligne",
            commune=lyon,
            postal_code="69003",
        ),
        "caf": ContactPointFactory(organisation=caf, name="Agence CAF de Bourg-en-Bresse"),
    }


def names(response):
    return [item.name for item in response.context["page"].items]


def test_search_by_name_ignores_accents_and_case(client, directory):
    response = client.get(reverse("catalogue:search"), {"q": "PREFECTURE rhone"})
    assert names(response) == [
        "Préfecture du Rhône — accueil téléphonique",
        "Titres de séjour en ligne",
    ]


def test_search_by_commune_and_departement(client, directory):
    assert len(names(client.get(reverse("catalogue:search"), {"q": "lyon"}))) == 2
    response = client.get(reverse("catalogue:search"), {"departement": "01"})
    assert names(response) == ["Agence CAF de Bourg-en-Bresse"]


def test_search_by_channel(client, directory):
    response = client.get(reverse("catalogue:search"), {"q": "rhone", "channel": "en_ligne"})
    assert names(response) == ["Titres de séjour en ligne"]


def test_no_result_says_so(client, directory):
    response = client.get(reverse("catalogue:search"), {"q": "zzzz"})
    assert "Aucun point de contact ne correspond" in response.content.decode()


def test_invalid_departement_is_a_form_error(client, directory):
    response = client.get(reverse("catalogue:search"), {"departement": "999"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_htmx_request_gets_only_the_results(client, directory):
    response = client.get(reverse("catalogue:search"), {"q": "caf"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Agence CAF de Bourg-en-Bresse" in content
    assert "<html" not in content


def test_keyset_pagination_walks_every_result_once(client):
    organisation = OrganisationFactory(name="France services")
    created = {
        ContactPointFactory(organisation=organisation, name=f"Maison {i:02d}").name
        for i in range(45)
    }
    seen, cursor = [], None
    while True:
        params = {"q": "maison"} | ({"apres": cursor} if cursor else {})
        page = client.get(reverse("catalogue:search"), params).context["page"]
        seen += [item.name for item in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == sorted(created)
    assert len(seen) == 45


def test_tampered_cursor_falls_back_to_first_page(client, directory):
    response = client.get(reverse("catalogue:search"), {"q": "rhone", "apres": "garbage"})
    assert response.status_code == 200
    assert len(names(response)) == 2
