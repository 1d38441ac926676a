"""Two networks, three organisations and every role around a remontée raised in one of them:
the people a permission test must try."""

from dataclasses import dataclass

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation
from tests.factories import (
    AgentMembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)

# agent_a: member of the organisation the remontée comes from (A);
# agent_same_network: member of another organisation of A's network;
# agent_b: member of an organisation of another network (B).
ROLES = [
    "anonymous",
    "citizen",
    "agent_a",
    "agent_same_network",
    "agent_b",
    "manager",
    "moderator",
]


@dataclass
class World:
    organisation: Organisation  # A
    sibling: Organisation  # another organisation of A's network
    elsewhere: Organisation  # B, another network
    author: User  # an agent of A
    users: dict[str, User | None]


def build_world() -> World:
    caf = NetworkFactory(name="CAF", slug="caf")
    cpam = NetworkFactory(name="Assurance maladie", slug="cpam")
    organisation = OrganisationFactory(name="CAF de l'Ain", network=caf)
    sibling = OrganisationFactory(name="CAF du Rhône", network=caf)
    elsewhere = OrganisationFactory(name="CPAM de l'Ain", network=cpam)
    return World(
        organisation=organisation,
        sibling=sibling,
        elsewhere=elsewhere,
        author=AgentMembershipFactory(organisation=organisation, user__username="agathe").user,
        users={
            "anonymous": None,
            "citizen": UserFactory(),
            "agent_a": AgentMembershipFactory(organisation=organisation).user,
            "agent_same_network": AgentMembershipFactory(organisation=sibling).user,
            "agent_b": AgentMembershipFactory(organisation=elsewhere).user,
            "manager": UserFactory(is_staff=True),
            "moderator": UserFactory(moderator=True),
        },
    )


def login(client, user: User | None) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


def raise_form_data(organisation: Organisation, **overrides: str) -> dict[str, str]:
    """A valid raise form (a phone number and a name in the description, to be masked)."""
    return {
        "organisation": str(organisation.pk),
        "kind": "outil",
        "scope": "reseau",
        "demarche_name": "",
        "theme": "outils-numeriques",
        "title": "Le logiciel de gestion se fige à la validation",
        "description": (
            "Depuis la mise à jour, le logiciel se fige à chaque validation. Madame Dupont, "
            "qui m'a appelé au 06 12 34 56 78, a dû attendre une semaine."
        ),
    } | overrides
