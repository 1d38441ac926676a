"""Pages must not get slower as data grows: their query count does not depend on the rows."""

import pytest
from django.urls import reverse

from tests.factories import AnswerFactory, ContactPointFactory, ExperienceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("rows", [1, 25])
def test_contact_point_page_queries_are_bounded(client, django_assert_max_num_queries, rows):
    contact_point = ContactPointFactory()
    for _ in range(rows):
        AnswerFactory(experience=ExperienceFactory(contact_point=contact_point, published=True))
    _count_queries(client, contact_point.get_absolute_url(), django_assert_max_num_queries, 8)


@pytest.mark.parametrize("rows", [1, 25])
def test_home_and_lists_are_bounded(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        AnswerFactory()
    for url in [reverse("ui:home"), reverse("experiences:list")]:
        _count_queries(client, url, django_assert_max_num_queries, 8)


@pytest.mark.parametrize("rows", [1, 25])
def test_moderation_queue_is_bounded(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        ExperienceFactory()
    client.force_login(UserFactory(moderator=True))
    _count_queries(
        client, reverse("experiences:moderation_queue"), django_assert_max_num_queries, 10
    )
