import pytest

from ecoute.catalogue.models import Network
from tests.factories import AgentMembershipFactory, NetworkFactory, OrganisationFactory, UserFactory

# Who may try each write: the page's roles.
ROLES = ["anonymous", "usager", "agent", "moderator", "admin"]


@pytest.fixture
def caf() -> Network:
    return NetworkFactory(name="Caisses d'allocations familiales", slug="cnaf")


@pytest.fixture
def users(caf):
    """One account per role; the agent belongs to an organisation of the CAF network."""
    agent = AgentMembershipFactory(organisation=OrganisationFactory(network=caf)).user
    return {
        "anonymous": None,
        "usager": UserFactory(),
        "agent": agent,
        "moderator": UserFactory(moderator=True),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }


def login(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)
