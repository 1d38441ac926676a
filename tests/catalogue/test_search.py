"""Search people expect: names people use, place words, ranking, pages both ways, bad input."""

import pytest
from django.urls import reverse

from ecoute.catalogue.actions import index_organisations
from ecoute.catalogue.search import python_rank, query_terms, search_organisations
from ecoute.common.text import fold
from tests.factories import (
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    NetworkFactory,
    OrganisationFactory,
    OrganisationTypeFactory,
    PostalCodeFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:search")


def _org(name, network, type_name, commune, postal_code, **extra):
    organisation = OrganisationFactory(
        name=name,
        network=network,
        type=OrganisationTypeFactory(sp_code=fold(type_name)[:20], name=type_name),
        commune=commune,
        departement=commune.departement,
        **extra,
    )
    ContactPointFactory(
        organisation=organisation,
        name=name,
        commune=commune,
        postal_code=postal_code,
        is_active=organisation.is_active,
    )
    return organisation


@pytest.fixture
def directory():
    region = RegionFactory()
    cantal = DepartementFactory(code="15", name="Cantal", region=region)
    rhone = DepartementFactory(code="69", name="Rhône", region=region)
    paris_dep = DepartementFactory(code="75", name="Paris", region=region)
    aurillac = CommuneFactory(code="15014", name="Aurillac", departement=cantal)
    lyon = CommuneFactory(code="69123", name="Lyon", departement=rhone)
    paris = CommuneFactory(code="75056", name="Paris", departement=paris_dep)
    for code in ("75011", "75015"):
        PostalCodeFactory(code=code, commune=paris)
    pe = NetworkFactory(name="POLE EMPLOI", slug="pole-emploi")
    dgfip = NetworkFactory(name="DGFIP", slug="dgfip")
    cnam = NetworkFactory(name="CNAM", slug="cnam")
    cnaf = NetworkFactory(name="CNAF", slug="cnaf")
    ate = NetworkFactory(name="Administration territoriale de l'Etat", slug="ate")
    sip = "Service des Impôts des particuliers"
    orgs = {
        "pe": _org("AURILLAC-PE", pe, "AGENCE POLE EMPLOI (APE)", aurillac, "15000"),
        "sip11": _org("SIP PARIS 11E", dgfip, sip, paris, "75011"),
        "sip15": _org("SIP PARIS 15E", dgfip, sip, paris, "75015"),
        "cpam": _org("CPAM AURILLAC", cnam, "CPAM", aurillac, "15000"),
        "caf": _org("Caf du RHONE", cnaf, "CAF", lyon, "69003"),
        "pref69": _org("Préfecture du Rhône", ate, "Préfecture", lyon, "69003"),
        "pref15": _org("Préfecture du Cantal", ate, "Préfecture", aurillac, "15000"),
        "closed": _org("Trésorerie de Lyon", dgfip, "Trésorerie", lyon, "69002", is_active=False),
    }
    return orgs


def found(query, **filters):
    return search_organisations(query, **filters)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("France Travail", "pe"),
        ("impôts 75011", "sip11"),
        ("préfecture 69", "pref69"),
        ("CPAM du Cantal", "cpam"),
        # the names people use for the same services
        ("assurance maladie aurillac", "cpam"),
        ("caf lyon", "caf"),
        ("finances publiques 75015", "sip15"),
        ("SIP paris 11", "sip11"),
        ("pôle emploi 15", "pe"),
        # accents and case do not matter, nor a misspelt word
        ("PREFECTURE DU RHONE", "pref69"),
        ("prefecture du cantal", "pref15"),
        ("prefecure rhone", "pref69"),
    ],
)
def test_expected_service_comes_first(directory, query, expected):
    assert found(query)[0] == directory[expected].pk


def test_place_words_narrow_the_results(directory):
    assert found("impôts 75011") == [directory["sip11"].pk]
    assert set(found("préfecture")) == {directory["pref69"].pk, directory["pref15"].pk}
    assert found("préfecture 69") == [directory["pref69"].pk]


def test_stop_words_and_punctuation_are_not_required():
    assert query_terms("CPAM du Cantal") == ["cpam", "cantal"]
    assert query_terms("l'Aigle — (SIP) Cedex") == ["aigle", "sip"]
    assert query_terms("   ,;  ") == []


def test_filters_by_departement_and_channel(directory):
    assert set(found("", departement="15")) == {directory[k].pk for k in ("pe", "cpam", "pref15")}
    ContactPointFactory(
        organisation=directory["caf"], channel="telephone", name="Caf du Rhône — téléphone"
    )
    assert found("", channel="telephone") == [directory["caf"].pk]


def test_one_result_per_organisation_with_its_channels(client, directory):
    ContactPointFactory(
        organisation=directory["caf"],
        channel="telephone",
        name="Caf du Rhône — téléphone",
        phone="3230",
        address="",
    )
    ContactPointFactory(
        organisation=directory["caf"],
        channel="en_ligne",
        name="Caf du Rhône — site",
        url="https://www.caf.fr/",
        address="",
    )
    response = client.get(URL, {"q": "caf lyon"})
    assert [o.pk for o in response.context["organisations"]] == [directory["caf"].pk]
    content = response.content.decode()
    assert "1 service trouvé" in content
    assert 'href="tel:3230"' in content
    assert 'href="https://www.caf.fr/"' in content


def test_closed_service_is_found_but_cannot_be_told(client, directory):
    response = client.get(URL, {"q": "tresorerie lyon"})
    assert [o.pk for o in response.context["organisations"]] == [directory["closed"].pk]
    content = response.content.decode()
    assert 'data-testid="closed"' in content
    point = directory["closed"].contact_points.get()
    assert point.get_absolute_url() not in content


def test_sqlite_rank_weights_names_above_places():
    from ecoute.catalogue.search import SearchDocument

    named = SearchDocument(name="caf lyon", kind="cnaf", place="lyon 69")
    placed = SearchDocument(name="agence", kind="cnaf caf", place="lyon 69")
    assert python_rank(named, ["caf", "lyon"], "caf lyon") > python_rank(
        placed, ["caf", "lyon"], "caf lyon"
    )


@pytest.fixture
def many():
    network = NetworkFactory(name="France services", slug="france-services")
    for i in range(45):
        ContactPointFactory(
            organisation=OrganisationFactory(name=f"Maison {i:02d}", network=network),
            name=f"Maison {i:02d}",
        )


def test_pages_both_ways_walk_every_result_once(client, many):
    seen = []
    for number in (1, 2, 3):
        response = client.get(URL, {"q": "maison", "page": number})
        seen += [o.name for o in response.context["organisations"]]
        content = response.content.decode()
        assert "45 services trouvés" in content
        assert f"page {number} sur 3" in content
        assert ('data-testid="previous-page"' in content) == (number > 1)
        assert ('data-testid="next-page"' in content) == (number < 3)
    assert sorted(seen) == [f"Maison {i:02d}" for i in range(45)]
    page2 = client.get(URL, {"q": "maison", "page": 2}).content.decode()
    assert "q=maison&amp;page=1" in page2 and "q=maison&amp;page=3" in page2


@pytest.mark.parametrize(("page", "number"), [("garbage", 1), ("-4", 3), ("999", 3), ("", 1)])
def test_bad_page_number_gives_a_page_not_an_error(client, many, page, number):
    response = client.get(URL, {"q": "maison", "page": page})
    assert response.status_code == 200
    assert response.context["page"].number == number


def test_head_answers_like_get(client, directory):
    assert client.head(URL, {"q": "caf"}).status_code == 200


def test_invalid_departement_is_a_form_error(client, directory):
    response = client.get(URL, {"departement": "999"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_htmx_request_gets_only_the_results(client, directory):
    response = client.get(URL, {"q": "caf"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Caf du RHONE" in content
    assert "<html" not in content


def test_no_result_says_so(client, directory):
    response = client.get(URL, {"q": "zzzzqqq"})
    assert response.status_code == 200
    assert 'data-testid="no-results"' in response.content.decode()


def _organisations(count):
    network = NetworkFactory(name="CNAF", slug="cnaf")
    for i in range(count):
        organisation = OrganisationFactory(name=f"Caf {i}", network=network)
        ContactPointFactory(organisation=organisation, name=f"Caf {i}")
        ContactPointFactory(organisation=organisation, channel="telephone", phone="3230")


@pytest.mark.parametrize("count", [1, 25])
def test_result_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    _organisations(count)
    client.get(URL, {"q": "caf"})  # session, sites… warmed up
    with django_assert_num_queries(QUERIES):
        response = client.get(URL, {"q": "caf"})
    assert len(response.context["organisations"]) == min(count, 20)


# département choices, ids, organisations, their contact points; the DSFR config twice
QUERIES = 6


def test_index_is_idempotent(directory):
    assert index_organisations() == 0
