"""Review fixes: hiding a published experience from its page, the rules in permissions.py, the
ratings list of partly rated experiences, and the query counts of moderation and contact pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ecoute.experiences import actions
from ecoute.experiences.answer_statistics import rebuild_answer_statistics
from ecoute.experiences.models import ExperienceOrigin
from ecoute.experiences.permissions import (
    can_hide_experience,
    can_publish_experience,
    can_tell_experience,
)
from ecoute.moderation.models import ModerationLogEntry
from tests.factories import AnswerFactory, ContactPointFactory, ExperienceFactory, UserFactory
from tests.indicators.helpers import felt_counts

pytestmark = pytest.mark.django_db

UNRATED = {
    "rating_satisfaction": None,
    "rating_delays": None,
    "rating_accessibility": None,
    "rating_simplicity": None,
    "rating_relationship": None,
}


@pytest.mark.parametrize(
    ("status", "can_publish", "can_hide"),
    [("pending", True, True), ("published", False, True), ("hidden", True, False)],
)
def test_publish_and_hide_rules_follow_the_status(status, can_publish, can_hide):
    experience = ExperienceFactory(status=status)
    for moderator in [UserFactory(moderator=True), UserFactory(is_superuser=True)]:
        assert can_publish_experience(moderator, experience) is can_publish
        assert can_hide_experience(moderator, experience) is can_hide
    for other in [AnonymousUser(), UserFactory(), experience.author]:
        assert not can_publish_experience(other, experience)
        assert not can_hide_experience(other, experience)


def test_a_moderator_hides_a_published_experience_from_its_page(client):
    experience = ExperienceFactory(published=True)
    client.force_login(UserFactory(moderator=True))
    page = client.get(experience.get_absolute_url()).content.decode()
    assert 'data-testid="hide-form"' in page
    assert reverse("experiences:hide", args=[experience.pk]) in page
    assert 'name="reason"' in page
    assert 'data-testid="publish-form"' not in page

    response = client.post(
        reverse("experiences:hide", args=[experience.pk]),
        {"reason": "Propos injurieux", "next": experience.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response["Location"] == experience.get_absolute_url()
    experience.refresh_from_db()
    assert experience.status == "hidden"
    assert experience.hidden_reason == "Propos injurieux"
    assert ModerationLogEntry.objects.get().action == "hide"
    assert felt_counts(experience.contact_point) == (0, 0, 0)
    page = client.get(experience.get_absolute_url()).content.decode()
    assert 'data-testid="hide-form"' not in page
    assert 'data-testid="publish-form"' in page


@pytest.mark.parametrize("who", ["anonymous", "author", "usager"])
def test_no_moderation_forms_for_others(client, who):
    experience = ExperienceFactory(published=True)
    user = {"anonymous": None, "author": experience.author, "usager": UserFactory()}[who]
    if user is not None:
        client.force_login(user)
    page = client.get(experience.get_absolute_url()).content.decode()
    assert 'data-testid="hide-form"' not in page
    assert 'data-testid="publish-form"' not in page


def test_partly_rated_imported_experience_lists_only_its_ratings(client):
    experience = ExperienceFactory(
        published=True,
        origin=ExperienceOrigin.IMPORTED,
        author=None,
        **{**UNRATED, "rating_delays": 4, "rating_relationship": 2},
    )
    page = client.get(experience.get_absolute_url()).content.decode()
    assert "None" not in page
    assert "<dt>Délais</dt><dd>4/5</dd>" in page
    assert "<dt>Qualité de la relation</dt><dd>2/5</dd>" in page
    assert "<dt>Satisfaction</dt>" not in page


def test_unrated_experience_shows_no_ratings(client):
    experience = ExperienceFactory(published=True, **UNRATED)
    page = client.get(experience.get_absolute_url()).content.decode()
    assert 'data-testid="experience-ratings"' not in page


def test_fully_rated_experience_lists_the_five_ratings_in_order(client):
    experience = ExperienceFactory(published=True)
    assert [value for _label, value in experience.ratings()] == [2, 1, 3, 2, 4]
    page = client.get(experience.get_absolute_url()).content.decode()
    assert page.count("/5</dd>") == 5


def test_only_a_confirmed_account_may_tell_an_experience(client):
    assert can_tell_experience(UserFactory())
    assert not can_tell_experience(UserFactory(unconfirmed=True))
    assert not can_tell_experience(AnonymousUser())
    contact_point = ContactPointFactory()
    client.force_login(UserFactory(unconfirmed=True))
    assert client.get(reverse("experiences:tell", args=[contact_point.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.submit_experience(
            author=UserFactory(unconfirmed=True),
            contact_point=contact_point,
            occurred_on=ExperienceFactory.build().occurred_on,
            channel="guichet",
            sentiment="negative",
            ratings=actions.Ratings(1, 2, 3, 4, 5),
            title="Titre",
            body="Récit",
        )


# The per-row htmx queue is gone (the queue of every contribution is /moderation/); the
# experience page's own forms decide through the moderation contract. Measured: publish 18
# queries (item and experience locked, roll-up, journal, reports closed), hide 13; then 5 and 2
# more for the agents' inbox entries (decision 0013: read, delete, handling, insert).
@pytest.mark.parametrize(("decision", "limit"), [("publish", 23), ("hide", 15)])
def test_moderation_from_the_page_queries(client, django_assert_max_num_queries, decision, limit):
    experience = ExperienceFactory()
    # Steady state: the contact point already has its roll-ups (the first moderation of a
    # contact point builds its rating roll-up from the rows, and the first publication in an
    # organisation creates its answer roll-up rows: a few queries more, once).
    ExperienceFactory(contact_point=experience.contact_point, published=True)
    rebuild_answer_statistics()
    client.force_login(UserFactory(moderator=True))
    with django_assert_max_num_queries(limit):
        response = client.post(
            reverse(f"experiences:{decision}", args=[experience.pk]), {"reason": "Doublon"}
        )
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.status == {"publish": "published", "hide": "hidden"}[decision]


# Before: 6 queries (the rating summary read on its own); after: 5, plus 1 for the Services
# Publics + engagements the page shows (catalogue/_engagements.html), 1 for the answer rate and
# delay of the organisation and its network (both rows at once), and 1 for the indicators'
# roll-ups (indicators.queries.contact_point_section: the contact point's year rows).
@pytest.mark.parametrize("rated", [False, True])
def test_contact_point_page_reads_the_roll_ups_in_one_query(
    client, django_assert_max_num_queries, rated
):
    contact_point = ContactPointFactory()
    if rated:
        AnswerFactory(experience=ExperienceFactory(contact_point=contact_point, published=True))
    with django_assert_max_num_queries(8):
        response = client.get(contact_point.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    row = page[page.index('data-testid="indicator-satisfaction"') :]
    row = row[: row.index("</tr>")]
    if rated:  # one rating of 2: 0 % satisfied, mean 2.0, 1 rating (test minimum sample: 1)
        assert "<td>0 %</td><td>2,0</td>" in row and "<td>1</td>" in row
    else:
        assert "échantillon insuffisant (0 avis, minimum 1)" in row
