"""Following contact points and experiences: every role, idempotence, the list, preferences."""

import pytest
from django.urls import reverse

from ecoute.follows.models import Follow, Frequency, NotificationSettings
from tests.experiences.test_query_counts import _counts_for
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    ExperienceFactory,
    FollowFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _actor(role: str, organisation):  # noqa: ANN001, ANN202
    if role == "anonymous":
        return None
    if role == "unconfirmed":
        return UserFactory(unconfirmed=True)
    if role == "agent":
        return AgentMembershipFactory(organisation=organisation).user
    if role == "agent_other_org":
        return AgentMembershipFactory().user
    if role == "moderator":
        return UserFactory(moderator=True)
    return UserFactory()


ROLES = ["anonymous", "unconfirmed", "usager", "agent_other_org", "agent", "moderator"]
ALLOWED = {"usager", "agent_other_org", "agent", "moderator"}


@pytest.fixture(params=["service", "experience"])
def target(request):  # noqa: ANN001, ANN201
    experience = ExperienceFactory(published=True)
    if request.param == "service":
        return "service", experience.contact_point, {"contact_point": experience.contact_point}
    return "experience", experience, {"experience": experience}


@pytest.mark.parametrize("role", ROLES)
def test_follow_then_unfollow_for_every_role(client, role, target):
    kind, obj, lookup = target
    organisation = (obj if kind == "service" else obj.contact_point).organisation
    user = _actor(role, organisation)
    if user:
        client.force_login(user)
    page = obj.get_absolute_url()

    response = client.post(reverse("follows:follow", args=[kind, obj.pk]), {"next": page})

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert not Follow.objects.exists()
        return
    if role not in ALLOWED:
        assert response.status_code == 403
        assert not Follow.objects.exists()
        return
    assert response.status_code == 302
    assert response["Location"] == page
    assert Follow.objects.filter(user=user, **lookup).count() == 1
    assert "Ne plus suivre" in client.get(page).content.decode()

    response = client.post(reverse("follows:unfollow", args=[kind, obj.pk]), {"next": page})
    assert response.status_code == 302
    assert not Follow.objects.filter(user=user).exists()
    assert "Suivre ce" in client.get(page).content.decode()


def test_following_twice_keeps_one_row(client):
    user = UserFactory()
    contact_point = ContactPointFactory()
    client.force_login(user)
    url = reverse("follows:follow", args=["service", contact_point.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Follow.objects.filter(user=user, contact_point=contact_point).count() == 1


def test_htmx_swaps_the_button_in_place(client):
    client.force_login(UserFactory())
    contact_point = ContactPointFactory()
    response = client.post(
        reverse("follows:follow", args=["service", contact_point.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="follow-service-{contact_point.pk}"' in html
    assert "Ne plus suivre" in html
    assert "<html" not in html


def test_htmx_unfollow_swaps_back_to_follow(client):
    user = UserFactory()
    follow = FollowFactory(user=user)
    client.force_login(user)
    response = client.post(
        reverse("follows:unfollow", args=["service", follow.contact_point_id]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="follow"' in response.content.decode()
    assert not Follow.objects.exists()


def test_pending_or_hidden_experience_of_someone_else_cannot_be_followed(client):
    client.force_login(UserFactory())
    experience = ExperienceFactory()  # pending
    response = client.post(reverse("follows:follow", args=["experience", experience.pk]))
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_unknown_kind_or_target_is_404(client):
    client.force_login(UserFactory())
    assert client.post(reverse("follows:follow", args=["commune", 1])).status_code == 404
    assert client.post(reverse("follows:follow", args=["service", 999999])).status_code == 404


def test_get_on_follow_is_refused(client):
    client.force_login(UserFactory())
    contact_point = ContactPointFactory()
    response = client.get(reverse("follows:follow", args=["service", contact_point.pk]))
    assert response.status_code == 405


def test_next_outside_the_site_is_ignored(client):
    client.force_login(UserFactory())
    contact_point = ContactPointFactory()
    response = client.post(
        reverse("follows:follow", args=["service", contact_point.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("follows:list")


def test_anonymous_sees_a_login_link_to_follow(client):
    contact_point = ContactPointFactory()
    html = client.get(contact_point.get_absolute_url()).content.decode()
    assert 'data-testid="follow-login"' in html


def test_my_follows_lists_both_kinds_and_only_mine(client):
    user = UserFactory()
    mine_service = FollowFactory(user=user)
    experience = ExperienceFactory(published=True)
    FollowFactory(user=user, contact_point=None, experience=experience)
    someone_else = FollowFactory()
    client.force_login(user)
    response = client.get(reverse("follows:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert mine_service.contact_point.name in html
    assert experience.title in html
    assert f'data-testid="follow-{someone_else.pk}"' not in html
    assert client.head(reverse("follows:list")).status_code == 200


def test_my_follows_requires_login(client):
    response = client.get(reverse("follows:list"))
    assert response.status_code == 302


def test_my_follows_queries_do_not_grow(client):
    user = UserFactory()
    client.force_login(user)

    def make_rows():
        FollowFactory(user=user)
        FollowFactory(user=user, contact_point=None, experience=ExperienceFactory(published=True))

    urls = [reverse("follows:list")]
    with_one = _counts_for(1, make_rows, client, urls, 8)
    with_many = _counts_for(12, make_rows, client, urls, 8)  # 25 rows: one full page
    assert with_one == with_many


def test_preferences_are_saved_and_shown(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("follows:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"service_frequency": "daily"})
    assert response.status_code == 302
    settings = NotificationSettings.objects.get(user=user)
    assert settings.service_frequency == Frequency.DAILY
    assert settings.experience_emails is False  # unticked checkbox
    response = client.post(url, {"service_frequency": "weekly", "experience_emails": "on"})
    settings.refresh_from_db()
    assert (settings.service_frequency, settings.experience_emails) == ("weekly", True)


@pytest.mark.parametrize("value", ["", "hourly", "x" * 300])
def test_bad_preferences_give_a_form_error(client, value):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("follows:preferences"), {"service_frequency": value})
    assert response.status_code == 400
    assert "fr-error-text" in response.content.decode() or "fr-message--error" in (
        response.content.decode()
    )
    assert not NotificationSettings.objects.filter(user=user).exists()


def test_preferences_require_login(client):
    assert client.get(reverse("follows:preferences")).status_code == 302
    assert (
        client.post(reverse("follows:preferences"), {"service_frequency": "none"}).status_code
        == 302
    )


def test_profile_links_to_my_follows(client):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("follows:list") in html
