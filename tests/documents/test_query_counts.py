"""Document lists cost the same number of queries for 1 and 25 rows."""

import pytest
from django.urls import reverse

from tests.documents.world import build_world, login
from tests.experiences.test_query_counts import _counts_for
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "url_name", "traits"),
    [
        ("anonymous", "documents:list", {"published": True, "answered": True}),
        ("agent_parent", "documents:agent_queue", {"answered": True}),
        ("moderator", "documents:moderation_queue", {}),
    ],
)
def test_lists_do_not_grow_with_rows(client, role, url_name, traits):
    world = build_world()
    login(client, world.users[role])
    url = reverse(url_name)

    def make_row():
        DocumentFactory(contact_point=world.contact_point, **traits)

    with_one = _counts_for(1, make_row, client, [url], 10)
    with_twenty_five = _counts_for(24, make_row, client, [url], 10)
    assert with_one == with_twenty_five
    assert len(client.get(url).context["page"].items) == 20  # a full page was rendered


def test_document_page_queries_are_bounded(client, django_assert_max_num_queries):
    world = build_world()
    document = DocumentFactory(contact_point=world.contact_point, published=True, answered=True)
    login(client, world.users["agent"])
    with django_assert_max_num_queries(10):
        assert client.get(document.get_absolute_url()).status_code == 200
