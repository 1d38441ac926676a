"""Two organisations (A with an agency below it, and B), one account per role."""

from dataclasses import dataclass

import pytest

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation
from ecoute.resources.models import Resource, TrainingModule
from tests.factories import (
    AgentMembershipFactory,
    ModuleStepFactory,
    OrganisationFactory,
    ResourceFactory,
    TrainingModuleFactory,
    UserFactory,
)


@dataclass
class World:
    direction_a: Organisation
    agency_a: Organisation
    organisation_b: Organisation
    citizen: User
    agent_a: User  # member of the agency below A
    manager_a: User  # member of A itself (the direction)
    agent_b: User
    staff: User
    resource: Resource
    draft: Resource
    module: TrainingModule
    draft_module: TrainingModule


@pytest.fixture
def world(db) -> World:  # noqa: ANN001
    direction_a = OrganisationFactory(name="Direction A")
    agency_a = OrganisationFactory(name="Agence A", parent=direction_a, network=direction_a.network)
    organisation_b = OrganisationFactory(name="Organisation B")
    agent_a = AgentMembershipFactory(organisation=agency_a).user
    manager_a = AgentMembershipFactory(organisation=direction_a, manager=True).user
    agent_b = AgentMembershipFactory(organisation=organisation_b).user
    step = ModuleStepFactory(
        resource__title="Répondre à un avis négatif", resource__slug="avis-negatif"
    )
    draft_module = TrainingModuleFactory(title="Module en préparation", slug="en-preparation")
    return World(
        direction_a=direction_a,
        agency_a=agency_a,
        organisation_b=organisation_b,
        citizen=UserFactory(),
        agent_a=agent_a,
        manager_a=manager_a,
        agent_b=agent_b,
        staff=UserFactory(is_staff=True),
        resource=step.resource,
        draft=ResourceFactory(
            title="Brouillon secret", slug="brouillon", category=step.resource.category
        ),
        module=step.module,
        draft_module=draft_module,
    )
