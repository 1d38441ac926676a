"""The remontées' lists cost the same number of queries with 1 row and with 25."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PublicSummaryFactory, RemonteeFactory, SupportFactory

from .world import login

pytestmark = pytest.mark.django_db


def _queries(client, url: str, max_queries: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    count = len(captured.captured_queries)
    assert count <= max_queries, f"{url}: {count} queries\n" + "\n".join(
        query["sql"] for query in captured.captured_queries
    )
    return count


def _rows(world, n: int) -> None:
    for _ in range(n):
        remontee = RemonteeFactory(published=True, organisation=world.organisation)
        SupportFactory(remontee=remontee, user=world.users["agent_same_network"])
        PublicSummaryFactory(remontee=remontee)


LISTS = {
    # session, user, networks, managed organisations, counts, page, supports of the page,
    # DSFR settings (2), header roles, filter choices (2)
    "remontees:list": ("agent_same_network", 12),
    # session, user, four grouped counts, page, DSFR settings (2), header roles, filter
    # choices (2)
    "remontees:steering": ("manager", 12),
    # page, DSFR settings (2), network choices
    "remontees:public": ("anonymous", 4),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_queries_do_not_grow(client, world, django_assert_max_num_queries, name):
    role, limit = LISTS[name]
    login(client, world.users[role])
    url = reverse(name)
    _rows(world, 1)
    with django_assert_max_num_queries(limit):
        with_one = _queries(client, url, limit)
    _rows(world, 24)
    with django_assert_max_num_queries(limit):
        with_25 = _queries(client, url, limit)
    assert with_one == with_25


def test_detail_queries_are_bounded(client, world, django_assert_max_num_queries):
    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    login(client, world.users["agent_same_network"])
    SupportFactory(remontee=remontee)
    # 10, and whether the reader manages the remontée's organisation (status, summary)
    with django_assert_max_num_queries(11):
        assert client.get(remontee.get_absolute_url()).status_code == 200
