"""Every role on every write: visitor, usager, agent (own / other / parent organisation),
moderator, administrator."""

import pytest
from django.urls import reverse

from ecoute.experiences.models import Experience
from ecoute.indicators.rollups import rebuild
from ecoute.moderation.models import ModerationLogEntry
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    ExperienceFactory,
    OrganisationFactory,
    UserFactory,
    answer_form_data,
)
from tests.indicators.helpers import felt_counts, nonzero_rollups

pytestmark = pytest.mark.django_db

ANSWER_TEXT = "Merci, nous avons revu nos horaires d'accueil du lundi."


@pytest.fixture
def world():
    direction = OrganisationFactory(name="Direction départementale")
    agency = OrganisationFactory(
        name="Agence de Bourg", parent=direction, network=direction.network
    )
    contact_point = ContactPointFactory(organisation=agency)
    return {
        "contact_point": contact_point,
        "visitor": None,
        "usager": UserFactory(),
        "agent": AgentMembershipFactory(organisation=agency).user,
        "parent_agent": AgentMembershipFactory(organisation=direction).user,
        "other_agent": AgentMembershipFactory().user,
        "moderator": UserFactory(moderator=True),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", "login"),
        ("usager", 403),
        ("agent", 302),
        ("parent_agent", 302),
        ("other_agent", 403),
        ("moderator", 403),
        ("admin", 403),
    ],
)
def test_answer_permissions(client, world, role, expected):
    experience = ExperienceFactory(contact_point=world["contact_point"], published=True)
    response = _client_as(client, world[role]).post(
        reverse("experiences:answer", args=[experience.pk]), answer_form_data(ANSWER_TEXT)
    )
    if expected == "login":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
        assert experience.answers.count() == 0
    elif expected == 403:
        assert response.status_code == 403
        assert experience.answers.count() == 0
    else:
        assert response.status_code == 302
        answer = experience.answers.get()
        # Signed with the closest organisation the agent belongs to.
        expected_org = "Agence de Bourg" if role == "agent" else "Direction départementale"
        assert answer.organisation.name == expected_org


def test_pending_experience_cannot_be_answered_even_by_its_agent(client, world):
    experience = ExperienceFactory(contact_point=world["contact_point"])
    response = _client_as(client, world["agent"]).post(
        reverse("experiences:answer", args=[experience.pk]), answer_form_data(ANSWER_TEXT)
    )
    assert response.status_code == 403
    assert experience.answers.count() == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("visitor", None),
        ("usager", False),
        ("agent", False),
        ("other_agent", False),
        ("moderator", True),
        ("admin", True),
    ],
)
@pytest.mark.parametrize("decision", ["publish", "hide"])
def test_moderation_permissions(client, world, role, allowed, decision):
    experience = ExperienceFactory(contact_point=world["contact_point"])
    response = _client_as(client, world[role]).post(
        reverse(f"experiences:{decision}", args=[experience.pk]), {"reason": "Propos injurieux"}
    )
    experience.refresh_from_db()
    if allowed is None:
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    elif allowed is False:
        assert response.status_code == 403
    if not allowed:
        assert experience.status == "pending"
        assert ModerationLogEntry.objects.count() == 0
    else:
        assert response.status_code == 302
        assert experience.status == ("published" if decision == "publish" else "hidden")
        entry = ModerationLogEntry.objects.get()
        assert entry.actor == world[role]
        assert entry.action == decision
        if decision == "hide":
            assert entry.reason == "Propos injurieux"


@pytest.mark.parametrize(
    ("role", "status"),
    [("usager", 403), ("agent", 403), ("moderator", 200), ("admin", 200)],
)
@pytest.mark.parametrize("url_name", ["moderation:queue", "moderation:journal"])
def test_moderation_pages(client, world, role, status, url_name):
    response = _client_as(client, world[role]).get(reverse(url_name))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "visible"),
    [("visitor", False), ("usager", False), ("author", True), ("moderator", True)],
)
def test_pending_experience_visibility(client, world, role, visible):
    experience = ExperienceFactory(contact_point=world["contact_point"])
    user = experience.author if role == "author" else world[role]
    response = _client_as(client, user).get(experience.get_absolute_url())
    assert response.status_code == (200 if visible else 404)


def test_hidden_experience_leaves_the_indicators(client, world):
    moderator = world["moderator"]
    experience = ExperienceFactory(contact_point=world["contact_point"], rating_delays=1)
    client.force_login(moderator)
    client.post(reverse("experiences:publish", args=[experience.pk]))
    assert felt_counts(world["contact_point"], "delays") == (0, 1, 1)
    client.post(reverse("experiences:hide", args=[experience.pk]), {"reason": "Doublon"})
    assert felt_counts(world["contact_point"], "delays") == (0, 0, 0)
    assert Experience.objects.published().count() == 0


@pytest.mark.parametrize(
    ("who", "allowed"), [("head", True), ("agency", False), ("other_network", False)]
)
def test_network_level_experience_is_answered_by_the_network_head(client, who, allowed):
    head = OrganisationFactory(name="Direction générale")
    agency = OrganisationFactory(name="Agence locale", parent=head, network=head.network)
    experience = ExperienceFactory(
        contact_point=None, network=head.network, author=None, published=True
    )
    organisation = {"head": head, "agency": agency, "other_network": OrganisationFactory()}[who]
    agent = AgentMembershipFactory(organisation=organisation).user
    client.force_login(agent)
    response = client.post(
        reverse("experiences:answer", args=[experience.pk]), answer_form_data(ANSWER_TEXT)
    )
    assert response.status_code == (302 if allowed else 403)
    assert experience.answers.count() == (1 if allowed else 0)
    inbox = client.get(reverse("inbox:inbox"), {"etat": "repondu"}).content.decode()
    assert (f'data-testid="inbox-row-{experience.pk}"' in inbox) is allowed


def test_rebuilt_roll_up_matches_the_one_kept_by_the_actions(client, world):
    client.force_login(world["moderator"])
    for delays in (1, 4, None):
        experience = ExperienceFactory(contact_point=world["contact_point"], rating_delays=delays)
        client.post(reverse("experiences:publish", args=[experience.pk]))
    ExperienceFactory(contact_point=world["contact_point"])  # pending: not counted
    kept = nonzero_rollups()
    rebuild()
    assert nonzero_rollups() == kept
    assert felt_counts(world["contact_point"], "delays") == (1, 2, 5)
    assert felt_counts(world["contact_point"], "satisfaction") == (0, 3, 6)
