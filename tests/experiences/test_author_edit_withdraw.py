"""An author edits (back to moderation) or withdraws their experience: every role on every
write, the roll-up exact afterwards, "Mes contributions" bounded in queries."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoute.experiences import actions
from ecoute.experiences.models import (
    Answer,
    Experience,
    ExperienceStatus,
)
from ecoute.indicators.rollups import rebuild
from ecoute.moderation.masking import EMAIL_MASK, PHONE_MASK
from ecoute.moderation.models import ModerationLogEntry
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    ContactPointFactory,
    ExperienceFactory,
    UserFactory,
    experience_form_data,
)
from tests.indicators.helpers import felt_counts, nonzero_rollups

pytestmark = pytest.mark.django_db

EDITED = experience_form_data(
    rating_satisfaction="5",
    rating_delays="5",
    rating_accessibility="5",
    rating_simplicity="5",
    rating_relationship="5",
    sentiment="positive",
    title="Finalement, un accueil rapide",
    body="Rappelée le lendemain au 06 12 34 56 78 : tout est réglé, merci à l'équipe.",
)


def _summary_fields(contact_point) -> dict:
    """The contact point's felt roll-ups: ratings counted (every factory experience is fully
    rated, so the published count) and sums."""
    _n, count, satisfaction = felt_counts(contact_point, "satisfaction")
    return {
        "published_count": count,
        "satisfaction_sum": satisfaction,
        "delays_sum": felt_counts(contact_point, "delays")[2],
    }


def _assert_roll_up_exact(contact_point) -> None:
    """The roll-ups the actions keep equal those recomputed from the rows."""
    kept = nonzero_rollups()
    rebuild()
    assert kept == nonzero_rollups()


@pytest.fixture
def world():
    contact_point = ContactPointFactory()
    moderator = UserFactory(moderator=True)
    author = UserFactory()
    experience = ExperienceFactory(author=author, contact_point=contact_point)
    other = ExperienceFactory(contact_point=contact_point)  # stays published beside it
    for item in (experience, other):
        actions.publish_experience(actor=moderator, experience=item)
    return {
        "contact_point": contact_point,
        "experience": experience,
        "visitor": None,
        "author": author,
        "usager": UserFactory(),
        "agent": AgentMembershipFactory(organisation=contact_point.organisation).user,
        "other_agent": AgentMembershipFactory().user,
        "moderator": moderator,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


ROLES = [
    # role, published experience, pending experience (others cannot even see a pending one)
    ("visitor", "login", "login"),
    ("usager", 403, 404),
    ("agent", 403, 404),
    ("other_agent", 403, 404),
    ("moderator", 403, 403),
    ("admin", 403, 403),
    ("author", 302, 302),
]


@pytest.mark.parametrize(("role", "on_published", "on_pending"), ROLES)
@pytest.mark.parametrize("status", ["published", "pending"])
def test_only_the_author_edits(client, world, role, on_published, on_pending, status):
    experience = world["experience"]
    if status == "pending":
        Experience.objects.filter(pk=experience.pk).update(status=ExperienceStatus.PENDING)
    expected = on_published if status == "published" else on_pending
    url = reverse("experiences:edit", args=[experience.pk])
    client = _as(client, world[role])
    response = client.post(url, EDITED)
    experience.refresh_from_db()
    if expected == "login":
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    else:
        assert response.status_code == expected
    if expected == 302:
        assert experience.status == ExperienceStatus.PENDING
        assert experience.title == EDITED["title"]
        assert client.get(url).status_code == 200  # the form, filled with the new text
    else:
        assert experience.title != EDITED["title"]


@pytest.mark.parametrize(("role", "on_published", "on_pending"), ROLES)
def test_only_the_author_withdraws(client, world, role, on_published, on_pending):
    experience = world["experience"]
    url = reverse("experiences:withdraw", args=[experience.pk])
    response = _as(client, world[role]).post(url)
    exists = Experience.objects.filter(pk=experience.pk).exists()
    if on_published == "login":
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
        assert exists
    elif on_published == 302:
        assert response.status_code == 302
        assert response["Location"] == reverse("experiences:my_contributions")
        assert not exists
    else:
        assert response.status_code == on_published
        assert exists


def test_a_hidden_experience_cannot_be_republished_by_editing(client, world):
    experience = world["experience"]
    actions.hide_experience(actor=world["moderator"], experience=experience, reason="Injurieux")
    client.force_login(world["author"])
    url = reverse("experiences:edit", args=[experience.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, EDITED).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.edit_experience(
            actor=world["author"],
            experience=experience,
            occurred_on=experience.occurred_on,
            channel="guichet",
            sentiment="positive",
            ratings=actions.Ratings(5, 5, 5, 5, 5),
            title="Autre titre",
            body="Un autre texte assez long pour passer.",
        )
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.HIDDEN
    assert experience.title != "Autre titre"
    # It can still be withdrawn: it is the author's text.
    assert client.post(reverse("experiences:withdraw", args=[experience.pk])).status_code == 302


def test_editing_a_published_experience_masks_again_and_corrects_the_roll_up(client, world):
    experience, contact_point = world["experience"], world["contact_point"]
    before = _summary_fields(contact_point)
    assert before["published_count"] == 2
    client.force_login(world["author"])
    response = client.post(reverse("experiences:edit", args=[experience.pk]), EDITED)
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PENDING
    assert experience.published_at is None
    assert PHONE_MASK in experience.body and "06 12 34 56 78" not in experience.body
    assert experience.masked_items == 1
    # Gone from public view and from the roll-up, exactly as a moderator's hide would do.
    assert client.get(reverse("experiences:list")).content.decode().count(EDITED["title"]) == 0
    after = _summary_fields(contact_point)
    assert after["published_count"] == 1
    assert after["satisfaction_sum"] == before["satisfaction_sum"] - 2
    assert after["delays_sum"] == before["delays_sum"] - 1
    _assert_roll_up_exact(contact_point)
    # Republished: the new ratings count, the old ones do not.
    actions.publish_experience(actor=world["moderator"], experience=experience)
    assert _summary_fields(contact_point)["satisfaction_sum"] == before["satisfaction_sum"] + 3
    _assert_roll_up_exact(contact_point)


def test_editing_a_pending_experience_leaves_the_roll_up_alone(world):
    experience = ExperienceFactory(author=world["author"], contact_point=world["contact_point"])
    before = _summary_fields(world["contact_point"])
    actions.edit_experience(
        actor=world["author"],
        experience=experience,
        occurred_on=experience.occurred_on,
        channel="telephone",
        sentiment="positive",
        ratings=actions.Ratings(5, 4, 3, 2, 1),
        title="Titre corrigé",
        body="Écrivez-moi : jeanne@example.org, merci de votre aide.",
    )
    experience.refresh_from_db()
    assert EMAIL_MASK in experience.body
    assert (experience.rating_satisfaction, experience.rating_relationship) == (5, 1)
    assert _summary_fields(world["contact_point"]) == before
    _assert_roll_up_exact(world["contact_point"])


def test_withdrawing_removes_the_experience_its_answers_and_its_ratings(client, world):
    experience, contact_point = world["experience"], world["contact_point"]
    answer = AnswerFactory(experience=experience)
    client.force_login(world["author"])
    url = reverse("experiences:withdraw", args=[experience.pk])
    assert client.get(url).status_code == 200  # the confirmation page
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Experience.objects.filter(pk=experience.pk).exists()
    assert not Answer.objects.filter(pk=answer.pk).exists()
    assert _summary_fields(contact_point)["published_count"] == 1
    _assert_roll_up_exact(contact_point)
    # The moderation journal keeps its entry (it names the experience by id).
    assert ModerationLogEntry.objects.filter(object_id=experience.pk).exists()
    assert client.get(reverse("experiences:detail", args=[experience.pk])).status_code == 404


def test_edit_form_errors_are_shown_not_saved(client, world):
    client.force_login(world["author"])
    url = reverse("experiences:edit", args=[world["experience"].pk])
    response = client.post(url, {**EDITED, "rating_delays": "9", "title": ""})
    assert response.status_code == 400
    assert "La note doit être comprise entre 1 et 5." in response.content.decode()
    world["experience"].refresh_from_db()
    assert world["experience"].status == ExperienceStatus.PUBLISHED


def test_unknown_experience_is_404(client, world):
    client.force_login(world["author"])
    assert client.get(reverse("experiences:edit", args=[999_999])).status_code == 404
    assert client.post(reverse("experiences:withdraw", args=[999_999])).status_code == 404


def test_detail_page_offers_edit_and_withdraw_to_the_author_only(client, world):
    experience = world["experience"]
    url = experience.get_absolute_url()
    edit_url = reverse("experiences:edit", args=[experience.pk])
    client.force_login(world["usager"])
    assert edit_url not in client.get(url).content.decode()
    client.force_login(world["author"])
    assert edit_url in client.get(url).content.decode()


def test_my_contributions_lists_every_status_with_answers(client, world):
    author = world["author"]
    published = world["experience"]
    answer = AnswerFactory(experience=published, body="Nous vous rappelons demain matin.")
    pending = ExperienceFactory(author=author, title="En attente de relecture")
    hidden = ExperienceFactory(author=author, title="Masquée par la modération")
    actions.hide_experience(actor=world["moderator"], experience=hidden, reason="Hors sujet")
    someone_else = ExperienceFactory(title="Pas à moi")
    client.force_login(author)
    page = client.get(reverse("experiences:my_contributions")).content.decode()
    for experience in (published, pending, hidden):
        assert f'data-testid="contribution-{experience.pk}"' in page
    assert someone_else.title not in page
    assert answer.body in page
    assert "Hors sujet" in page
    assert reverse("experiences:edit", args=[published.pk]) in page
    assert reverse("experiences:edit", args=[hidden.pk]) not in page  # hidden: withdraw only
    assert reverse("experiences:withdraw", args=[hidden.pk]) in page


def test_my_contributions_pages_by_key(client):
    author = UserFactory()
    ExperienceFactory.create_batch(21, author=author)
    client.force_login(author)
    url = reverse("experiences:my_contributions")
    first = client.get(url)
    assert first.content.decode().count('data-testid="contribution-') == 20
    cursor = first.context["page"].next_cursor
    second = client.get(url, {"apres": cursor})
    assert second.content.decode().count('data-testid="contribution-') == 1
    # A cursor from elsewhere (or garbage) gives the first page, not an error.
    assert client.get(url, {"apres": "nimporte-quoi"}).status_code == 200


def test_my_contributions_requires_login(client):
    response = client.get(reverse("experiences:my_contributions"))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_my_contributions_queries_do_not_grow(client):
    author = UserFactory()
    client.force_login(author)
    url = reverse("experiences:my_contributions")

    def make_rows():
        AnswerFactory(experience=ExperienceFactory(author=author, published=True))

    make_rows()
    with_one = _count(client, url)
    for _ in range(24):
        make_rows()
    with_twenty_five = _count(client, url)
    assert with_one == with_twenty_five <= 7
