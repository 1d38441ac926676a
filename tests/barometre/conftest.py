"""Fixtures of the barometer's tests: ratings in two past semesters, and the accounts of every
role that may try to write."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)

S1 = dt.date(2025, 1, 1)
S2 = dt.date(2025, 7, 1)
IN_S1 = dt.date(2025, 3, 10)
IN_S2 = dt.date(2025, 9, 10)


def rate(point, day: dt.date, *marks: int) -> None:
    """Published experiences at `point` on `day`, one per satisfaction mark."""
    for mark in marks:
        ExperienceFactory(
            contact_point=point, published=True, occurred_on=day, rating_satisfaction=mark
        )


@pytest.fixture
def place():
    """A contact point of the CAF network in the Ain (01)."""
    network = NetworkFactory(name="Caisses d'allocations familiales", slug="cnaf")
    agency = OrganisationFactory(name="Caf de l'Ain", network=network)
    return ContactPointFactory(organisation=agency)


@pytest.fixture
def rated(place):
    """S1 2025: 2 of 4 satisfied (50 %); S2 2025: 3 of 4 satisfied (75 %)."""
    rate(place, IN_S1, 5, 4, 2, 1)
    rate(place, IN_S2, 5, 4, 4, 1)
    return place


def publisher_account(**extra):
    user = UserFactory(is_staff=True, **extra)
    user.user_permissions.add(Permission.objects.get(codename="publish_edition"))
    return user


@pytest.fixture
def publisher():
    return publisher_account(username="publieur")


@pytest.fixture
def roles(place):
    """Every account that may try a write, and the expected answer of each."""
    agent = UserFactory(username="agent")
    AgentMembershipFactory(user=agent, organisation=place.organisation)
    return {
        "usager": UserFactory(username="simple-usager"),
        "agent": agent,
        "staff": UserFactory(username="staff-sans-droit", is_staff=True),
    }
