""" "Moi aussi" on experiences and "utile" on answers: every role, undo, htmx, counts shown,
and exact counts under real concurrent clicks (threads, each with its own connection)."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from ecoute.experiences import actions
from ecoute.experiences.models import Answer, AnswerUseful, Experience, MeToo
from tests.common.clicks import click_at_once
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    ExperienceFactory,
    MeTooFactory,
    UserFactory,
)

HTMX = {"HX-Request": "true", "HX-Target": "metoo"}


def _metoo_url(experience: Experience) -> str:
    return reverse("experiences:metoo", args=[experience.pk])


def _useful_url(answer: Answer) -> str:
    return reverse("experiences:answer_useful", args=[answer.pk])


def _count(experience: Experience) -> int:
    experience.refresh_from_db(fields=["metoo_count"])
    assert experience.metoo_count == MeToo.objects.filter(experience=experience).count()
    return experience.metoo_count


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_back_to_the_experience(client):
    experience = ExperienceFactory(published=True)
    response = client.post(_metoo_url(experience), {"actif": "1"})
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('accounts:login')}?next={quote(experience.get_absolute_url())}"
    )
    page = client.get(experience.get_absolute_url())
    assert 'data-testid="metoo-login"' in page.text
    assert f"?next={quote(experience.get_absolute_url())}" in page.text
    answer = AnswerFactory(experience=experience)
    assert client.post(_useful_url(answer), {"actif": "1"}).status_code == 302
    assert _count(experience) == 0 and not AnswerUseful.objects.exists()


def _agent_for(experience: Experience):
    return AgentMembershipFactory(organisation=experience.contact_point.organisation).user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    ["usager", "agent", "agent_elsewhere", "moderator"],
)
def test_roles_that_may_say_metoo_then_undo(client, role):
    experience = ExperienceFactory(published=True)
    user = {
        "usager": lambda: UserFactory(),
        "agent": lambda: _agent_for(experience),
        "agent_elsewhere": lambda: AgentMembershipFactory().user,
        "moderator": lambda: UserFactory(moderator=True),
    }[role]()
    client.force_login(user)
    url = _metoo_url(experience)
    response = client.post(url, {"actif": "1", "next": "/experiences/?tri=moi-aussi"})
    assert response.status_code == 302 and response["Location"] == "/experiences/?tri=moi-aussi"
    assert _count(experience) == 1
    client.post(url, {"actif": "1"})  # a second click of a stale page: still one
    assert _count(experience) == 1
    page = client.get(experience.get_absolute_url())
    assert 'aria-pressed="true"' in page.text and "1 personne a vécu la même chose" in page.text
    client.post(url, {"actif": "0"})
    assert _count(experience) == 0
    client.post(url, {"actif": "0"})
    assert _count(experience) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["author", "unconfirmed", "pending", "hidden"])
def test_who_may_not_say_metoo(client, case):
    experience = ExperienceFactory(published=True)
    user = UserFactory()
    if case == "author":
        user = experience.author
    elif case == "unconfirmed":
        user = UserFactory(unconfirmed=True)
    else:
        Experience.objects.filter(pk=experience.pk).update(status=case, hidden_reason="Hors charte")
    client.force_login(user)
    assert client.post(_metoo_url(experience), {"actif": "1"}).status_code == 403
    assert _count(experience) == 0
    if case == "author":  # the author sees the count, not the button
        page = client.get(experience.get_absolute_url())
        assert 'data-testid="metoo-button"' not in page.text
        assert "Personne n'a encore dit « moi aussi »" in page.text


@pytest.mark.django_db
def test_htmx_swaps_the_button_in_place(client):
    experience = ExperienceFactory(published=True)
    MeTooFactory(experience=experience)
    client.force_login(UserFactory())
    response = client.post(_metoo_url(experience), {"actif": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="metoo-{experience.pk}"' in response.text
    assert 'aria-pressed="true"' in response.text and 'name="actif" value="0"' in response.text
    assert "2 personnes ont vécu la même chose" in response.text
    response = client.post(_metoo_url(experience), {"actif": "0"}, headers=HTMX)
    assert 'aria-pressed="false"' in response.text and "1 personne a" in response.text


@pytest.mark.django_db
def test_unknown_experience_is_404(client):
    client.force_login(UserFactory())
    assert (
        client.post(reverse("experiences:metoo", args=[999999]), {"actif": "1"}).status_code == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("usager", True),
        ("experience_author", True),
        ("agent_elsewhere", True),
        ("moderator", True),
        ("answer_author", False),
        ("unconfirmed", False),
    ],
)
def test_useful_on_an_answer_by_role(client, role, allowed):
    answer = AnswerFactory()
    user = {
        "usager": lambda: UserFactory(),
        "experience_author": lambda: answer.experience.author,
        "agent_elsewhere": lambda: AgentMembershipFactory().user,
        "moderator": lambda: UserFactory(moderator=True),
        "answer_author": lambda: answer.author,
        "unconfirmed": lambda: UserFactory(unconfirmed=True),
    }[role]()
    client.force_login(user)
    response = client.post(_useful_url(answer), {"actif": "1"})
    answer.refresh_from_db()
    if not allowed:
        assert response.status_code == 403 and answer.useful_count == 0
        return
    assert response.status_code == 302
    assert answer.useful_count == 1 == AnswerUseful.objects.filter(answer=answer).count()
    page = client.get(answer.experience.get_absolute_url())
    assert "1 personne a trouvé cette réponse utile" in page.text
    client.post(_useful_url(answer), {"actif": "0"})
    answer.refresh_from_db()
    assert answer.useful_count == 0 == AnswerUseful.objects.count()


@pytest.mark.django_db
def test_counts_on_contact_point_page_and_sort_by_metoo(client):
    quiet = ExperienceFactory(published=True)
    popular = ExperienceFactory(published=True, contact_point=quiet.contact_point)
    MeTooFactory.create_batch(3, experience=popular)
    page = client.get(quiet.contact_point.get_absolute_url())
    assert "3 personnes ont vécu la même chose" in page.text
    listing = client.get(reverse("experiences:list"), {"tri": "moi-aussi"}).text
    assert listing.index(f"experience-{popular.pk}") < listing.index(f"experience-{quiet.pk}")
    listing = client.get(reverse("experiences:list")).text
    assert listing.index(f"experience-{quiet.pk}") > listing.index(f"experience-{popular.pk}")


@pytest.mark.django_db(transaction=True)
def test_ten_accounts_clicking_at_once_count_exactly_ten():
    experience = ExperienceFactory(published=True)
    users = UserFactory.create_batch(10)
    statuses = click_at_once([(_metoo_url(experience), user) for user in users], {"actif": "1"})
    assert statuses == [302] * 10
    assert _count(experience) == 10
    statuses = click_at_once([(_metoo_url(experience), user) for user in users], {"actif": "0"})
    assert statuses == [302] * 10
    assert _count(experience) == 0


@pytest.mark.django_db(transaction=True)
def test_one_account_clicking_ten_times_at_once_counts_once():
    experience = ExperienceFactory(published=True)
    user = UserFactory()
    statuses = click_at_once([(_metoo_url(experience), user)] * 10, {"actif": "1"})
    assert statuses == [302] * 10
    assert _count(experience) == 1
    answer = AnswerFactory(experience=experience)
    statuses = click_at_once([(_useful_url(answer), user)] * 10, {"actif": "1"})
    assert statuses == [302] * 10
    answer.refresh_from_db()
    assert answer.useful_count == 1 == AnswerUseful.objects.count()


@pytest.mark.django_db
def test_the_action_refuses_the_author_and_is_idempotent():
    experience = ExperienceFactory(published=True)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.set_metoo(user=experience.author, experience=experience, active=True)
    user = UserFactory()
    assert actions.set_metoo(user=user, experience=experience, active=True) == 1
    assert actions.set_metoo(user=user, experience=experience, active=True) == 1
    assert actions.set_metoo(user=user, experience=experience, active=False) == 0
    assert actions.set_metoo(user=user, experience=experience, active=False) == 0


@pytest.mark.django_db
def test_a_deleted_account_leaves_its_metoo_counted():
    metoo = MeTooFactory()
    metoo.user.delete()
    assert _count(metoo.experience) == 1
