"""Keyset pagination: an unusable cursor (another list's, tampered, wrong keys) gives the first
page, on every paginated page; a good cursor walks on."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoute.moderation.actions import record_moderation_act
from ecoute.moderation.models import ModerationAction
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    ExperienceFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Each paginated page, and the kind of list it shows: a cursor is meant to be accepted by
# pages of the same kind (same rows, same order) and to give the first page anywhere else.
# The service search is ranked and numbered (?page=N), not keyset: checked on its own below.
PAGES = {
    "experience list, most moi aussi": "published experiences, most moi aussi first",
    "experience list": "published experiences, newest first",
    "contact point": "published experiences, newest first",
    "agent inbox": "published experiences, newest first",
    "moderation queue": "pending experiences, oldest first",
    "moderation journal": "journal, newest first",
}


@pytest.fixture
def lists():
    """Every paginated page with more than one page of rows; a moderator who is also agent."""
    organisation = OrganisationFactory()
    contact_points = [
        ContactPointFactory(organisation=organisation, name=f"Accueil {index:02d}")
        for index in range(21)
    ]
    start = timezone.now() - dt.timedelta(days=30)
    for index in range(21):
        ExperienceFactory(
            contact_point=contact_points[0],
            published=True,
            published_at=start + dt.timedelta(hours=index),
        )
    pending = ExperienceFactory.create_batch(21, contact_point=contact_points[1])
    boss = UserFactory(moderator=True)
    AgentMembershipFactory(user=boss, organisation=organisation)
    for experience in pending * 3:
        record_moderation_act(actor=boss, action=ModerationAction.PUBLISH, target=experience)
    return {
        "user": boss,
        "search": reverse("catalogue:search") + "?q=accueil",
        "urls": {
            "experience list, most moi aussi": reverse("experiences:list") + "?tri=moi-aussi",
            "experience list": reverse("experiences:list"),
            "contact point": contact_points[0].get_absolute_url(),
            "agent inbox": reverse("experiences:agent_inbox"),
            "moderation queue": reverse("experiences:moderation_queue"),
            "moderation journal": reverse("moderation:journal"),
        },
    }


def with_cursor(url: str, cursor: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}apres={cursor}"


def test_unusable_cursors_give_the_first_page_on_every_paginated_page(client, lists):
    client.force_login(lists["user"])
    first_pages = {}
    for page, url in lists["urls"].items():
        response = client.get(url)
        assert response.status_code == 200, page
        first_pages[page] = response.context["page"]
        assert first_pages[page].next_cursor, f"{page} has a single page: the test proves nothing"

    cursors = {page: first.next_cursor for page, first in first_pages.items()}
    garbage = {
        "tampered": cursors["experience list"][:-4] + "AAAA",
        "garbage": "pas-un-curseur",
        "long": "A:" * 1500,
    }

    for page, url in lists["urls"].items():
        first = first_pages[page]
        for origin, cursor in (cursors | garbage).items():
            response = client.get(with_cursor(url, cursor))
            assert response.status_code == 200, f"{origin} cursor on {page}"
            shown = response.context["page"]
            if PAGES.get(origin) == PAGES[page]:
                assert shown.has_previous
                assert shown.items and shown.items != first.items
            else:
                assert not shown.has_previous, f"{origin} cursor on {page}"
                assert shown.items == first.items, f"{origin} cursor on {page}"


def test_the_cursor_of_another_sort_on_the_experience_list_is_the_first_page(client, lists):
    """A cursor of the other sort is the first page; the search pages by number, so another
    list's cursor or a bad page number there is page 1 too, never a 5xx."""
    client.force_login(lists["user"])
    url = lists["urls"]["experience list, most moi aussi"]
    other_sort_cursor = client.get(url).context["page"].next_cursor
    response = client.get(with_cursor(reverse("experiences:list"), other_sort_cursor))
    assert response.status_code == 200
    assert not response.context["page"].has_previous
    journal_cursor = client.get(lists["urls"]["moderation journal"]).context["page"].next_cursor
    for query in [f"&apres={journal_cursor}", "&page=pas-un-nombre", "&page=99999"]:
        assert client.get(lists["search"] + query).status_code == 200, query
