"""Keyset pagination: an unusable cursor (another list's, tampered, wrong keys) gives the first
page, on every paginated page; a good cursor walks on."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from ecoute.catalogue.models import ContactPoint
from ecoute.common.pagination import _salt, keyset_paginate
from ecoute.experiences.models import Experience
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
PAGES = {
    "experience list, most moi aussi": "published experiences, most moi aussi first",
    "experience list": "published experiences, newest first",
    "contact point": "published experiences, newest first",
    "agent inbox": "inbox entries, oldest unanswered first",
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
        "urls": {
            "experience list, most moi aussi": reverse("experiences:list") + "?tri=moi-aussi",
            "experience list": reverse("experiences:list"),
            "contact point": contact_points[0].get_absolute_url(),
            "agent inbox": reverse("inbox:inbox"),
            "moderation queue": reverse("moderation:queue"),
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
    search = reverse("catalogue:search") + "?q=accueil"
    for query in [f"&apres={journal_cursor}", "&page=pas-un-nombre", "&page=99999"]:
        assert client.get(search + query).status_code == 200, query


ORDERING = ["-published_at", "-id"]


@pytest.mark.parametrize(
    "values",
    [
        [],
        ["2026-01-01T00:00:00+00:00"],
        ["2026-01-01T00:00:00+00:00", 1, 2],
        ["pas une date", 1],
        ["2026-01-01T00:00:00", 1],  # naive date-time
        ["2026-01-01T00:00:00+00:00", "un"],
        ["2026-01-01T00:00:00+00:00", None],
        [None, 1],
        ["2026-01-01T00:00:00+00:00", [1]],
        ["2026-01-01T00:00:00+00:00", {"id": 1}],
        ["2026-01-01T00:00:00+00:00", True],
        ["2026-01-01T00:00:00+00:00", 10**30],
        {"published_at": "2026-01-01T00:00:00+00:00", "id": 1},
        "texte",
        7,
    ],
    ids=repr,
)
def test_a_signed_cursor_with_wrong_keys_gives_the_first_page(values):
    """What only a leaked or reused signing key could produce: still no error."""
    ExperienceFactory.create_batch(3, published=True)
    cursor = signing.dumps(values, salt=_salt(Experience, ORDERING), compress=True)
    page = keyset_paginate(Experience.objects.published(), ordering=ORDERING, cursor=cursor, size=2)
    assert not page.has_previous
    assert len(page.items) == 2


def test_a_cursor_is_bound_to_its_model_and_ordering():
    ContactPointFactory.create_batch(3)
    by_name = keyset_paginate(
        ContactPoint.objects.all(), ordering=["name", "id"], cursor=None, size=1
    )
    same = keyset_paginate(
        ContactPoint.objects.all(), ordering=["name", "id"], cursor=by_name.next_cursor, size=1
    )
    assert same.has_previous
    assert same.items != by_name.items
    other_order = keyset_paginate(
        ContactPoint.objects.all(), ordering=["-name", "-id"], cursor=by_name.next_cursor, size=1
    )
    assert not other_order.has_previous
