"""Près de chez moi: counters nearest a typed commune or postcode, with the distance."""

import pytest
from django.urls import reverse

from ecoute.catalogue.search import distance_km
from ecoute.territories.models import Commune
from tests.factories import (
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    NetworkFactory,
    OrganisationFactory,
    PostalCodeFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:nearby")


@pytest.fixture
def places():
    cantal = DepartementFactory(code="15", name="Cantal")
    aurillac = CommuneFactory(
        code="15014", name="Aurillac", departement=cantal, latitude=44.9264, longitude=2.4397
    )
    PostalCodeFactory(code="15000", commune=aurillac)
    caf, pe = NetworkFactory(name="CNAF", slug="cnaf"), NetworkFactory(name="PE", slug="pe")
    points = {}
    for key, network, lat, lon in [
        ("far", caf, 45.7640, 4.8357),  # Lyon, ~220 km
        ("near", pe, 44.9300, 2.4400),  # in Aurillac
        ("middle", caf, 45.0339, 3.0800),  # ~52 km
    ]:
        organisation = OrganisationFactory(name=f"Accueil {key}", network=network)
        points[key] = ContactPointFactory(
            organisation=organisation, name=f"Accueil {key}", latitude=lat, longitude=lon
        )
    closed = OrganisationFactory(name="Accueil fermé", network=caf, is_active=False)
    ContactPointFactory(
        organisation=closed, name="Accueil fermé", latitude=44.93, longitude=2.44, is_active=False
    )
    return points


def names(response):
    return [p.contact_point.name for p in response.context["page"].object_list]


@pytest.mark.parametrize("lieu", ["15000", "Aurillac", "aurillac ", "AURILLAC"])
def test_nearest_first_with_the_distance(client, places, lieu):
    response = client.get(URL, {"lieu": lieu})
    assert names(response) == ["Accueil near", "Accueil middle", "Accueil far"]
    distances = [p.distance_km for p in response.context["page"].object_list]
    assert distances == sorted(distances)
    assert distances[0] < 1 and 45 < distances[1] < 60 and 200 < distances[2] < 240
    assert f"{distances[1]:.1f} km".replace(".", ",") in response.content.decode()


def test_filter_by_network(client, places):
    network = places["far"].organisation.network_id
    response = client.get(URL, {"lieu": "15000", "network": network})
    assert names(response) == ["Accueil middle", "Accueil far"]


def test_haversine_matches_a_known_distance():
    # Paris (Notre-Dame) – Lyon (Bellecour): 392 km as the crow flies.
    assert 390 < distance_km(48.8530, 2.3499, 45.7578, 4.8320) < 394


@pytest.mark.parametrize(
    "params",
    [
        {"lieu": "99999"},
        {"lieu": "123"},
        {"lieu": "1234567890"},
        {"lieu": "zzzzz"},
        {"lieu": ""},
        {"commune": "ZZZZZ"},
        {"lieu": "15000", "network": "abc"},
        {"lieu": "15000", "page": "garbage"},
    ],
)
def test_bad_input_is_a_form_error_not_a_5xx(client, places, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    if "page" not in params:
        assert response.context["page"] is None
        assert "fr-error-text" in response.content.decode() or "fr-alert--error" in (
            response.content.decode()
        )


def test_head_works(client, places):
    assert client.head(URL, {"lieu": "15000"}).status_code == 200


def test_a_counter_placed_at_the_commune_centre_says_so_not_zero_km(client, places):
    """Many SP+ counters are placed at their commune's centre: "0,0 km" for each of them read
    as a bug; they are "in this commune"."""
    centre = ContactPointFactory(
        organisation=OrganisationFactory(name="Accueil centre"),
        name="Accueil centre",
        commune=Commune.objects.get(code="15014"),
        latitude=44.9264,
        longitude=2.4397,
    )
    response = client.get(URL, {"lieu": "15000"})
    assert names(response)[0] == centre.name
    page = response.content.decode()
    assert "Dans cette commune" in page
    assert "0,0 km" not in page
    # A counter with a position of its own keeps its distance.
    near = response.context["page"].object_list[1]
    assert near.contact_point == places["near"]
    assert f"{near.distance_km:.1f} km".replace(".", ",") in page
