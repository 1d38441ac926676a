"""Every role × every write and read of the remontées, through HTTP: anonymous, citizen, an
agent of A (where the remontée comes from), an agent of another organisation of A's network,
an agent of B (another network), a manager (staff, see permissions.py) and a moderator."""

import pytest
from django.urls import reverse

from ecoute.remontees.models import PublicSummary, Remontee, Status, StatusChange, Support
from tests.factories import RemonteeFactory

from .world import ROLES, login, raise_form_data

pytestmark = pytest.mark.django_db

LOGIN = "login"
# What each role gets: an HTTP status, or LOGIN for the redirect to the login page.
RAISE = {
    "anonymous": LOGIN,
    "citizen": 403,
    "agent_a": 302,
    "agent_same_network": 302,
    "agent_b": 302,
    "manager": 403,
    "moderator": 403,
}
SUPPORT = {
    "anonymous": LOGIN,
    "citizen": 404,
    "agent_a": 302,
    "agent_same_network": 302,
    "agent_b": 404,
    "manager": 403,
    "moderator": 403,
}
FOLLOW_UP = {  # status and public summary
    "anonymous": LOGIN,
    "citizen": 404,
    "agent_a": 403,
    "agent_same_network": 403,
    "agent_b": 404,
    "manager": 302,
    "moderator": 302,
}
READ_PUBLISHED = {
    "anonymous": LOGIN,
    "citizen": 404,
    "agent_a": 200,
    "agent_same_network": 200,
    "agent_b": 404,
    "manager": 200,
    "moderator": 200,
}
READ_PENDING = READ_PUBLISHED | {"agent_a": 404, "agent_same_network": 404}
READ_HIDDEN = READ_PENDING | {"manager": 404}
LIST = {
    "anonymous": LOGIN,
    "citizen": 403,
    "agent_a": 200,
    "agent_same_network": 200,
    "agent_b": 200,
    "manager": 200,
    "moderator": 200,
}
STEERING = LIST | {"agent_a": 403, "agent_same_network": 403, "agent_b": 403}


def _check(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def _own_organisation(world, role):
    return {
        "agent_a": world.organisation,
        "agent_same_network": world.sibling,
        "agent_b": world.elsewhere,
    }.get(role, world.organisation)


@pytest.mark.parametrize("role", ROLES)
def test_raise(client, world, role):
    login(client, world.users[role])
    _check(client.get(reverse("remontees:raise")), 200 if RAISE[role] == 302 else RAISE[role])
    response = client.post(
        reverse("remontees:raise"), raise_form_data(_own_organisation(world, role))
    )
    _check(response, RAISE[role])
    assert Remontee.objects.exists() == (RAISE[role] == 302)
    if RAISE[role] == 302:
        remontee = Remontee.objects.get()
        assert response["Location"] == remontee.get_absolute_url()
        assert remontee.author == world.users[role]


@pytest.mark.parametrize("role", ["agent_same_network", "agent_b"])
def test_an_agent_cannot_raise_from_an_organisation_not_theirs(client, world, role):
    login(client, world.users[role])
    response = client.post(reverse("remontees:raise"), raise_form_data(world.organisation))
    assert response.status_code == 400
    assert not Remontee.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_support(client, world, role):
    remontee = RemonteeFactory(published=True, organisation=world.organisation, author=world.author)
    login(client, world.users[role])
    _check(
        client.post(reverse("remontees:support", args=[remontee.pk]), {"actif": "1"}), SUPPORT[role]
    )
    remontee.refresh_from_db()
    assert remontee.support_count == (1 if SUPPORT[role] == 302 else 0) == Support.objects.count()


@pytest.mark.parametrize("role", ROLES)
def test_set_status(client, world, role):
    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    login(client, world.users[role])
    response = client.post(
        reverse("remontees:status", args=[remontee.pk]), {"status": Status.STUDYING}
    )
    _check(response, FOLLOW_UP[role])
    remontee.refresh_from_db()
    changed = FOLLOW_UP[role] == 302
    assert (remontee.status == Status.STUDYING) == changed
    assert StatusChange.objects.exists() == changed


@pytest.mark.parametrize("role", ROLES)
def test_write_summary(client, world, role):
    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    login(client, world.users[role])
    url = reverse("remontees:summary", args=[remontee.pk])
    if FOLLOW_UP[role] == 302:
        assert client.get(url).status_code == 200
    else:
        _check(client.get(url), FOLLOW_UP[role])
    response = client.post(
        url,
        {"title": "Un correctif est prévu", "body": "Le blocage est connu, correctif en mars."},
    )
    _check(response, FOLLOW_UP[role])
    assert PublicSummary.objects.exists() == (FOLLOW_UP[role] == 302)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "expected"),
    [("published", READ_PUBLISHED), ("pending", READ_PENDING), ("hidden", READ_HIDDEN)],
)
def test_read_a_remontee(client, world, role, state, expected):
    remontee = RemonteeFactory(
        organisation=world.organisation,
        author=world.author,
        published=state == "published",
        hidden=state == "hidden",
    )
    login(client, world.users[role])
    _check(client.get(remontee.get_absolute_url()), expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_lists_never_show_what_the_role_may_not_see(client, world, role):
    published = RemonteeFactory(
        published=True, organisation=world.organisation, title="Publiée dans le réseau CAF"
    )
    pending = RemonteeFactory(organisation=world.organisation, title="En attente de relecture")
    hidden = RemonteeFactory(hidden=True, organisation=world.organisation, title="Masquée ici")
    login(client, world.users[role])
    response = client.get(reverse("remontees:list"))
    _check(response, LIST[role])
    if response.status_code != 200:
        return
    sees_published = role != "agent_b"
    assert (published.title in response.text) == sees_published
    assert pending.title not in response.text and hidden.title not in response.text


def test_the_author_sees_their_own_pending_and_hidden_remontees(client, world):
    pending = RemonteeFactory(organisation=world.organisation, author=world.author)
    hidden = RemonteeFactory(hidden=True, organisation=world.organisation, author=world.author)
    login(client, world.author)
    page = client.get(reverse("remontees:list"), {"mine": "on"})
    assert pending.title in page.text and hidden.title in page.text
    assert client.get(hidden.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_steering_page(client, world, role):
    login(client, world.users[role])
    _check(client.get(reverse("remontees:steering")), STEERING[role])


def test_an_organisations_manager_follows_up_its_remontees_and_no_others(client, world):
    """The manager role ("responsable d'équipe") of A follows up A's remontées (status, steering
    list); a manager of an organisation of another network neither sees nor follows them up."""
    from tests.factories import AgentMembershipFactory

    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    manager_a = AgentMembershipFactory(organisation=world.organisation, manager=True).user
    manager_b = AgentMembershipFactory(manager=True).user
    status_url = reverse("remontees:status", args=[remontee.pk])

    login(client, manager_b)
    assert client.post(status_url, {"status": Status.STUDYING}).status_code in (403, 404)
    steering = client.get(reverse("remontees:steering"))
    assert steering.status_code == 200 and remontee.title not in steering.text
    remontee.refresh_from_db()
    assert remontee.status != Status.STUDYING

    login(client, manager_a)
    steering = client.get(reverse("remontees:steering"))
    assert steering.status_code == 200 and remontee.title in steering.text
    assert client.post(status_url, {"status": Status.STUDYING}).status_code == 302
    remontee.refresh_from_db()
    assert remontee.status == Status.STUDYING
