"""One routed document and every role around it: the people a permission test must try."""

from dataclasses import dataclass

from ecoute.accounts.models import User
from ecoute.catalogue.models import ContactPoint, Organisation
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    OrganisationFactory,
    UserFactory,
)

ROLES = ["anonymous", "other_usager", "agent_other_org", "agent", "agent_parent", "moderator"]


@dataclass
class World:
    parent: Organisation  # a departmental direction
    organisation: Organisation  # the agency below it, which wrote the document
    contact_point: ContactPoint
    author: User
    users: dict[str, User | None]


def build_world() -> World:
    parent = OrganisationFactory(name="Direction départementale")
    organisation = OrganisationFactory(name="Agence de Bourg", parent=parent)
    elsewhere = OrganisationFactory(name="Agence d'ailleurs")
    return World(
        parent=parent,
        organisation=organisation,
        contact_point=ContactPointFactory(organisation=organisation),
        author=UserFactory(username="jeanne"),
        users={
            "anonymous": None,
            "other_usager": UserFactory(),
            "agent_other_org": AgentMembershipFactory(organisation=elsewhere).user,
            "agent": AgentMembershipFactory(organisation=organisation).user,
            "agent_parent": AgentMembershipFactory(organisation=parent).user,
            "moderator": UserFactory(moderator=True),
        },
    )


def login(client, user: User | None) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)
