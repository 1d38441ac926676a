"""The dashboard and the team view: counts by state, overdue, each agent's load."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ecoute.experiences.answer_statistics import rebuild_answer_statistics
from tests.factories import ExperienceFactory
from tests.inbox.conftest import login


def test_dashboard_counts_and_team_load(client, world):
    old = ExperienceFactory(
        contact_point=world["point_a"],
        published=True,
        published_at=timezone.now() - dt.timedelta(days=20),
    )
    ExperienceFactory(contact_point=world["point_a"], published=True)
    rebuild_answer_statistics()  # the factory publishes around the actions' roll-ups
    client = login(client, world["manager_a"])
    client.post(reverse("inbox:assign", args=[old.pk]), {"assignee": world["colleague_a"].pk})
    page = client.get(reverse("inbox:dashboard"))
    content = page.content.decode()
    assert page.context["counts"].by_state == {
        "a_traiter": 1,
        "en_cours": 1,
        "escalade": 0,
        "repondu": 0,
    }
    assert page.context["counts"].overdue == 1
    load = content.split(f'data-testid="load-{world["colleague_a"].pk}"')[1].split("</td>")[0]
    assert ">1<" in load
    (row,) = [r for r in page.context["team_rows"] if r.membership.user == world["colleague_a"]]
    assert (row.open_count, row.oldest) == (1, old.published_at)
    # The answer rate and median delay of the organisation and of its network: two published,
    # none answered, too few to give a rate ("—").
    assert 'data-testid="answer-statistics"' in content
    organisation_figures = page.context["answer_figures"][0].figures
    assert (organisation_figures.published, organisation_figures.answered) == (2, 0)
    assert organisation_figures.rate_percent is None
    team = client.get(reverse("inbox:team")).content.decode()
    assert f'data-testid="team-row-{world["colleague_a"].pk}"' in team
    assert f"agent={world['colleague_a'].pk}" in team
    # An agent (not a manager) sees the counts, not the team.
    client.logout()
    agent_page = login(client, world["agent_a"]).get(reverse("inbox:dashboard"))
    assert 'data-testid="team-table"' not in agent_page.content.decode()


def test_an_agent_of_several_organisations_chooses_the_inbox(client, world):
    from tests.factories import AgentMembershipFactory

    AgentMembershipFactory(user=world["agent_a"], organisation=world["cpam_agency"])
    client = login(client, world["agent_a"])
    page = client.get(reverse("inbox:inbox"))
    assert 'data-testid="organisation-form"' in page.content.decode()
    cpam = client.get(reverse("inbox:inbox"), {"organisation": world["cpam_agency"].pk})
    assert cpam.context["organisation"] == world["cpam_agency"]


def test_an_agents_load_beyond_the_cap_reads_plus_de(client, world, monkeypatch):
    from ecoute.inbox import queries

    monkeypatch.setattr(queries, "AGENT_LOAD_CAP", 2)
    client = login(client, world["manager_a"])
    for _ in range(3):
        experience = ExperienceFactory(contact_point=world["point_a"], published=True)
        client.post(
            reverse("inbox:assign", args=[experience.pk]), {"assignee": world["colleague_a"].pk}
        )
    team = client.get(reverse("inbox:team"))
    (row,) = [r for r in team.context["rows"] if r.membership.user == world["colleague_a"]]
    assert (row.open_count, row.over_cap) == (3, True)  # counted up to the cap + 1 only
    load = team.content.decode().split(f'data-testid="load-{world["colleague_a"].pk}"')[1]
    assert "plus de 2" in load.split("</td>")[0]
