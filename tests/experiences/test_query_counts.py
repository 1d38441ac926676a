"""Pages must not get slower as data grows: their query count does not depend on the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AnswerFactory, ContactPointFactory, ExperienceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count_queries(client, url: str, limit: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    count = len(captured.captured_queries)
    assert count <= limit, f"{url}: {count} queries (at most {limit})\n" + "\n".join(
        query["sql"] for query in captured.captured_queries
    )
    return count


def _counts_for(rows: int, make_rows, client, urls: list[str], limit: int) -> list[int]:
    """Query counts of `urls` once `rows` more rows exist."""
    for _ in range(rows):
        make_rows()
    return [_count_queries(client, url, limit) for url in urls]


def test_contact_point_page_queries_do_not_grow(client):
    contact_point = ContactPointFactory()
    url = contact_point.get_absolute_url()

    def make_rows():
        AnswerFactory(experience=ExperienceFactory(contact_point=contact_point, published=True))

    with_one = _counts_for(1, make_rows, client, [url], 8)
    with_twenty_five = _counts_for(24, make_rows, client, [url], 8)
    assert with_one == with_twenty_five


# On PostgreSQL the list's count also asks the planner's estimate and runs under a time budget
# (experiences.queries.count_results): one more query, and inside a test's transaction a
# savepoint, its release and the setting put back (3 more; none in autocommit).
COUNT_OVERHEAD = 4 if connection.vendor == "postgresql" else 0


def test_home_and_lists_queries_do_not_grow(client):
    urls = [reverse("ui:home"), reverse("experiences:list")]
    # 21 and 45 rows: both lists have a next page, so both count.
    with_21 = _counts_for(21, AnswerFactory, client, urls, 8 + COUNT_OVERHEAD)
    with_45 = _counts_for(24, AnswerFactory, client, urls, 8 + COUNT_OVERHEAD)
    assert with_21 == with_45


def test_moderation_queue_queries_do_not_grow(client):
    client.force_login(UserFactory(moderator=True))
    url = reverse("moderation:queue")
    with_one = _counts_for(1, ExperienceFactory, client, [url], 10)
    with_twenty_five = _counts_for(24, ExperienceFactory, client, [url], 10)
    assert with_one == with_twenty_five


def test_filtered_list_and_detail_queries_do_not_grow_for_a_signed_in_user(client):
    """Every filter, search, the "moi aussi" sort and the reaction buttons of a signed-in user:
    the same number of queries for 21 and 45 rows."""
    from tests.factories import MeTooFactory

    contact_point = ContactPointFactory()
    client.force_login(UserFactory())
    params = (
        f"?reseau={contact_point.organisation.network.slug}"
        f"&organisation={contact_point.organisation.pk}&point={contact_point.pk}"
        f"&departement={contact_point.departement_id}&commune={contact_point.commune_id}"
        "&canal=guichet&ressenti=negative&reponse=oui&du=2000-01-01&q=attendu&tri=moi-aussi"
    )
    url = reverse("experiences:list") + params

    def make_rows():
        answer = AnswerFactory(experience__contact_point=contact_point)
        MeTooFactory(experience=answer.experience)

    urls = [url, contact_point.get_absolute_url()]
    # 21 and 45 rows: the list has a next page both times, so it counts both times.
    with_21 = _counts_for(21, make_rows, client, urls, 18 + COUNT_OVERHEAD)
    with_45 = _counts_for(24, make_rows, client, urls, 18 + COUNT_OVERHEAD)
    assert with_21 == with_45
    assert client.get(url).text.count('data-testid="experience-') == 20
