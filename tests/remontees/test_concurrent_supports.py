""" "Moi aussi" on a remontée under real concurrent clicks: threads, each with its own
connection (on SQLite and, in the PostgreSQL run of the suite, on PostgreSQL)."""

import pytest
from django.urls import reverse

from ecoute.remontees.models import Remontee, Support
from tests.common.clicks import click_at_once
from tests.factories import AgentMembershipFactory, RemonteeFactory


def _count(remontee: Remontee) -> int:
    remontee.refresh_from_db(fields=["support_count"])
    assert remontee.support_count == Support.objects.filter(remontee=remontee).count()
    return remontee.support_count


@pytest.mark.django_db(transaction=True)
def test_ten_agents_clicking_at_once_count_exactly_ten():
    remontee = RemonteeFactory(published=True)
    agents = [
        AgentMembershipFactory(organisation__network=remontee.network).user for _ in range(10)
    ]
    url = reverse("remontees:support", args=[remontee.pk])
    assert click_at_once([(url, agent) for agent in agents], {"actif": "1"}) == [302] * 10
    assert _count(remontee) == 10
    assert click_at_once([(url, agent) for agent in agents], {"actif": "0"}) == [302] * 10
    assert _count(remontee) == 0


@pytest.mark.django_db(transaction=True)
def test_one_agent_clicking_ten_times_at_once_counts_once():
    remontee = RemonteeFactory(published=True)
    agent = AgentMembershipFactory(organisation__network=remontee.network).user
    url = reverse("remontees:support", args=[remontee.pk])
    assert click_at_once([(url, agent)] * 10, {"actif": "1"}) == [302] * 10
    assert _count(remontee) == 1
    assert click_at_once([(url, agent)] * 10, {"actif": "0"}) == [302] * 10
    assert _count(remontee) == 0
