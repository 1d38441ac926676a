"""Every role on every page and write of the agents' space: anonymous, citizen, agent of A,
agent of B (a sibling agency), manager of A, moderator. An agent of A never sees B's inbox or
notes, nor B A's."""

import pytest
from django.urls import reverse

from ecoute.inbox.models import Handling, InternalNote, JournalEntry
from tests.factories import ExperienceFactory, InternalNoteFactory
from tests.inbox.conftest import login

ROLES = ["anonymous", "citizen", "agent_a", "agent_b", "manager_a", "moderator"]
# The experience is A's: its agents and its manager act on it, nobody else.
AGENTS_OF_A = pytest.mark.parametrize(
    ("role", "allowed"), [(role, role in ("agent_a", "manager_a")) for role in ROLES]
)


def _denied(response) -> bool:  # noqa: ANN001
    if response.status_code == 302:
        return reverse("accounts:login") in response["Location"]
    return response.status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("agent_a", True),
        ("agent_b", True),
        ("manager_a", True),
        ("moderator", False),
    ],
)
@pytest.mark.parametrize("url_name", ["inbox:inbox", "inbox:dashboard"])
def test_inbox_and_dashboard_are_for_agents(client, world, role, allowed, url_name):
    response = login(client, world[role]).get(reverse(url_name))
    assert (response.status_code == 200) if allowed else _denied(response)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("agent_a", False),
        ("agent_b", False),
        ("manager_a", True),
        ("moderator", False),
    ],
)
def test_team_view_is_for_managers(client, world, role, allowed):
    response = login(client, world[role]).get(reverse("inbox:team"))
    assert (response.status_code == 200) if allowed else _denied(response)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_opens_the_inbox_of_an_organisation_they_do_not_act_for(client, world, role):
    """B's inbox, asked for by its id: only B's agents (and the direction's) open it."""
    url = reverse("inbox:inbox") + f"?organisation={world['agency_b'].pk}"
    response = login(client, world[role]).get(url)
    assert (response.status_code == 200) is (role == "agent_b")


def test_an_agent_of_a_sees_only_a_in_the_inbox(client, world, experience_a):
    of_b = ExperienceFactory(contact_point=world["point_b"], published=True)
    content = login(client, world["agent_a"]).get(reverse("inbox:inbox")).content.decode()
    assert f'inbox-row-{experience_a.pk}"' in content
    assert f'inbox-row-{of_b.pk}"' not in content
    direction = login(client, world["direction_agent"]).get(reverse("inbox:inbox"))
    assert f'inbox-row-{of_b.pk}"' in direction.content.decode()  # and its sub-organisations


@AGENTS_OF_A
def test_item_page_and_notes(client, world, experience_a, role, allowed):
    note = InternalNoteFactory(experience=experience_a, body="Rappeler lundi, dossier incomplet.")
    response = login(client, world[role]).get(reverse("inbox:item", args=[experience_a.pk]))
    if allowed:
        assert response.status_code == 200
        assert note.body in response.content.decode()
    else:
        assert _denied(response)
    # Never on the public page, whoever reads it.
    public = login(client, world[role]).get(experience_a.get_absolute_url())
    assert note.body not in public.content.decode()


@AGENTS_OF_A
def test_write_a_note(client, world, experience_a, role, allowed):
    response = login(client, world[role]).post(
        reverse("inbox:note", args=[experience_a.pk]), {"body": "Vu avec le guichet."}
    )
    assert (response.status_code == 302 and not _denied(response)) if allowed else _denied(response)
    assert InternalNote.objects.filter(experience=experience_a).exists() is allowed


@AGENTS_OF_A
def test_take_an_experience(client, world, experience_a, role, allowed):
    user = world[role]
    response = login(client, user).post(
        reverse("inbox:assign", args=[experience_a.pk]), {"assignee": user.pk if user else ""}
    )
    handling = Handling.objects.get(experience=experience_a)
    if allowed:
        assert response.status_code == 302
        assert handling.assignee == user
    else:
        assert _denied(response)
        assert handling.assignee is None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("agent_a", False),  # a colleague holds it
        ("agent_b", False),
        ("manager_a", True),
        ("moderator", False),
    ],
)
def test_reassign_what_a_colleague_holds(client, world, experience_a, role, allowed):
    login(client, world["colleague_a"]).post(
        reverse("inbox:assign", args=[experience_a.pk]), {"assignee": world["colleague_a"].pk}
    )
    client.logout()
    response = login(client, world[role]).post(
        reverse("inbox:assign", args=[experience_a.pk]), {"assignee": world["agent_a"].pk}
    )
    handling = Handling.objects.get(experience=experience_a)
    assert (handling.assignee == world["agent_a"]) is allowed
    assert response.status_code == 302 if allowed else _denied(response)


def test_an_experience_cannot_go_to_someone_outside_its_chain(client, world, experience_a):
    response = login(client, world["manager_a"]).post(
        reverse("inbox:assign", args=[experience_a.pk]), {"assignee": world["agent_b"].pk}
    )
    assert response.status_code == 400
    assert Handling.objects.get(experience=experience_a).assignee is None


@AGENTS_OF_A
def test_route(client, world, experience_a, role, allowed):
    response = login(client, world[role]).post(
        reverse("inbox:route", args=[experience_a.pk]),
        {"organisation": world["cpam_agency"].pk, "reason": "Relève de l'assurance maladie."},
    )
    experience_a.refresh_from_db()
    assert (experience_a.handling_organisation == world["cpam_agency"]) is allowed
    assert JournalEntry.objects.filter(experience=experience_a).exists() is allowed
    assert response.status_code == 302 if allowed else _denied(response)


def test_notes_of_a_stay_with_a(client, world, experience_a):
    """B's agents never read A's notes, even through another experience's page."""
    of_b = ExperienceFactory(contact_point=world["point_b"], published=True)
    InternalNoteFactory(experience=experience_a, body="Note de A, confidentielle.")
    InternalNoteFactory(
        experience=of_b, organisation=world["agency_b"], body="Note de B, confidentielle."
    )
    page_b = login(client, world["agent_b"]).get(reverse("inbox:item", args=[of_b.pk]))
    assert "Note de B" in page_b.content.decode()
    assert "Note de A" not in page_b.content.decode()
    client.logout()
    page_a = login(client, world["agent_a"]).get(reverse("inbox:item", args=[of_b.pk]))
    assert page_a.status_code == 403
