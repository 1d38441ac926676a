import pytest

from tests.factories import (
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    NetworkFactory,
    OrganisationFactory,
    PostalCodeFactory,
)

HOURS = "Lundi : 09:00 - 12:00 / 13:30 - 17:00\nMercredi : 09:00 - 12:00\nSur rendez-vous possible."


@pytest.fixture
def network():
    return NetworkFactory(name="France services", slug="france-services")


@pytest.fixture
def places(network):
    """Aurillac (15000) and two France services around it, one CAF counter nearer than both."""
    cantal = DepartementFactory(code="15", name="Cantal")
    aurillac = CommuneFactory(
        code="15014",
        name="Aurillac",
        departement=cantal,
        population=25_000,
        latitude=44.9264,
        longitude=2.4397,
    )
    PostalCodeFactory(code="15000", commune=aurillac)
    nowhere = CommuneFactory(code="15999", name="Sans-Position", departement=cantal, population=10)
    PostalCodeFactory(code="15999", commune=nowhere)
    points = {}
    for key, lat, lon, description in [
        ("centre", 44.9300, 2.4400, HOURS),  # in Aurillac, ~0.4 km
        ("arpajon", 44.9050, 2.4570, ""),  # ~2.7 km
        ("far", 45.7640, 4.8357, "Mardi : 10:00 - 12:00"),  # Lyon
    ]:
        organisation = OrganisationFactory(name=f"France services {key}", network=network)
        points[key] = ContactPointFactory(
            organisation=organisation,
            name=f"France services {key}",
            latitude=lat,
            longitude=lon,
            commune=aurillac,
            description=description,
            phone="04 71 00 00 00" if key == "centre" else "",
        )
    caf = OrganisationFactory(name="CAF du Cantal", network=NetworkFactory(name="CNAF"))
    ContactPointFactory(organisation=caf, name="Accueil CAF", latitude=44.9264, longitude=2.4397)
    return points
