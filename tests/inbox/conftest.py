"""Two networks in one département: CAF (a direction, its agencies A and B) and CPAM (an
agency), with one account per role the permission tests go through."""

import pytest

from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    DepartementFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def world(db):  # noqa: ANN001, ANN201
    departement = DepartementFactory()
    caf = NetworkFactory(name="CAF", slug="caf")
    cpam = NetworkFactory(name="CPAM", slug="cpam")
    direction = OrganisationFactory(name="CAF de l'Ain", network=caf, departement=departement)
    agency_a = OrganisationFactory(
        name="Agence A", network=caf, parent=direction, departement=departement
    )
    agency_b = OrganisationFactory(
        name="Agence B", network=caf, parent=direction, departement=departement
    )
    cpam_agency = OrganisationFactory(
        name="CPAM de Bourg", network=cpam, departement=departement, answer_delay_days=10
    )
    agent_a = AgentMembershipFactory(organisation=agency_a, user__username="agent-a").user
    colleague_a = AgentMembershipFactory(organisation=agency_a, user__username="collegue-a").user
    manager_a = AgentMembershipFactory(
        organisation=agency_a, manager=True, user__username="responsable-a"
    ).user
    return {
        "direction": direction,
        "agency_a": agency_a,
        "agency_b": agency_b,
        "cpam_agency": cpam_agency,
        "point_a": ContactPointFactory(organisation=agency_a, name="Accueil A"),
        "point_b": ContactPointFactory(organisation=agency_b, name="Accueil B"),
        "point_cpam": ContactPointFactory(organisation=cpam_agency, name="Accueil CPAM"),
        "anonymous": None,
        "citizen": UserFactory(username="usager"),
        "agent_a": agent_a,
        "colleague_a": colleague_a,
        "manager_a": manager_a,
        "agent_b": AgentMembershipFactory(organisation=agency_b, user__username="agent-b").user,
        "direction_agent": AgentMembershipFactory(
            organisation=direction, user__username="agent-direction"
        ).user,
        "cpam_agent": AgentMembershipFactory(
            organisation=cpam_agency, user__username="agent-cpam"
        ).user,
        "moderator": UserFactory(moderator=True, username="moderatrice"),
    }


@pytest.fixture
def experience_a(world):  # noqa: ANN001, ANN201
    return ExperienceFactory(contact_point=world["point_a"], published=True)


def login(client, user):  # noqa: ANN001, ANN201
    if user is not None:
        client.force_login(user)
    return client
