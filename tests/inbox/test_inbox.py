"""The inbox page: counts by state, filters, oldest unanswered first, delays, keyset pages,
and a query count that does not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecoute.inbox.models import InboxEntry, InboxState
from tests.factories import AnswerFactory, ExperienceFactory
from tests.inbox.conftest import login


def _rows(response) -> list[int]:  # noqa: ANN001
    return [entry.experience_id for entry in response.context["page"].items]


def _published(world, days_ago: float, **fields):  # noqa: ANN001, ANN003, ANN202
    return ExperienceFactory(
        contact_point=fields.pop("contact_point", world["point_a"]),
        published=True,
        published_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def test_oldest_unanswered_first_with_counts_and_delays(client, world):
    recent = _published(world, 1)
    old = _published(world, 20)
    answered = _published(world, 30)
    AnswerFactory(experience=answered)
    response = login(client, world["agent_a"]).get(reverse("inbox:inbox"))
    assert _rows(response) == [old.pk, recent.pk]
    counts = response.context["counts"]
    assert counts.by_state[InboxState.TO_ANSWER] == 2
    assert counts.by_state[InboxState.ANSWERED] == 1
    assert counts.overdue == 1  # 20 days > the default 15
    content = response.content.decode()
    assert "dépassé de" in content.split(f'due-{old.pk}"')[1].split("</td>")[0]
    assert "dépassé" not in content.split(f'due-{recent.pk}"')[1].split("</td>")[0]
    answered_page = client.get(reverse("inbox:inbox"), {"etat": "repondu"})
    assert _rows(answered_page) == [answered.pk]


def test_the_organisation_announced_delay_counts(client, world):
    world["agency_a"].answer_delay_days = 30
    world["agency_a"].save(update_fields=["answer_delay_days"])
    _published(world, 20)
    response = login(client, world["agent_a"]).get(reverse("inbox:inbox"))
    assert response.context["counts"].overdue == 0


def test_filters(client, world):
    phone = _published(world, 3, channel="telephone", sentiment="positive")
    counter = _published(world, 2, channel="guichet", sentiment="negative")
    client = login(client, world["agent_a"])
    client.post(reverse("inbox:assign", args=[counter.pk]), {"assignee": world["agent_a"].pk})
    url = reverse("inbox:inbox")
    assert _rows(client.get(url, {"canal": "telephone"})) == [phone.pk]
    assert _rows(client.get(url, {"ressenti": "negative"})) == [counter.pk]
    assert _rows(client.get(url, {"attribution": "moi"})) == [counter.pk]
    assert _rows(client.get(url, {"attribution": "personne"})) == [phone.pk]
    assert _rows(client.get(url, {"etat": "en_cours"})) == [counter.pk]
    assert _rows(client.get(url, {"point": world["point_a"].pk})) == [phone.pk, counter.pk]
    # A contact point of another organisation is refused with a message, not a 500.
    refused = client.get(url, {"point": world["point_b"].pk})
    assert refused.status_code == 200
    assert "Point de contact inconnu" in refused.content.decode()


def test_an_agent_filters_on_a_colleague_only_as_a_manager(client, world):
    url = reverse("inbox:inbox")
    agent = {"agent": world["colleague_a"].pk}
    assert login(client, world["agent_a"]).get(url, agent).status_code == 403
    assert login(client, world["manager_a"]).get(url, agent).status_code == 200


def test_bad_filter_values_do_not_fail(client, world):
    client = login(client, world["agent_a"])
    for params in (
        {"etat": "nimporte"},
        {"point": "abc"},
        {"organisation": "x"},
        {"apres": "pas-un-curseur"},
        {"agent": "-3"},
    ):
        assert client.get(reverse("inbox:inbox"), params).status_code == 200, params


def test_keyset_pages(client, world):
    experiences = [_published(world, 40 - index) for index in range(23)]
    client = login(client, world["agent_a"])
    first = client.get(reverse("inbox:inbox"))
    assert _rows(first) == [e.pk for e in experiences[:20]]
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("inbox:inbox"), {"apres": cursor})
    assert _rows(second) == [e.pk for e in experiences[20:]]


def _queries(client, url: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url_name", ["inbox:inbox", "inbox:dashboard", "inbox:team"])
def test_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries, url_name
):
    client = login(client, world["manager_a"])
    _published(world, 5)
    with django_assert_max_num_queries(12):
        client.get(reverse(url_name))
    before = _queries(client, reverse(url_name))
    for index in range(25):
        experience = _published(world, 10 + index, sentiment="positive")
        if index % 3 == 0:
            client.post(
                reverse("inbox:assign", args=[experience.pk]),
                {"assignee": world["colleague_a"].pk},
            )
    assert _queries(client, reverse(url_name)) == before


def test_entries_follow_hide_and_withdraw(client, world, experience_a):
    from ecoute.experiences.actions import hide_experience, publish_experience

    assert InboxEntry.objects.filter(experience=experience_a).count() == 2  # A, direction
    hide_experience(actor=world["moderator"], experience=experience_a, reason="Hors charte")
    assert not InboxEntry.objects.filter(experience=experience_a).exists()
    publish_experience(actor=world["moderator"], experience=experience_a)
    assert InboxEntry.objects.filter(experience=experience_a).count() == 2
    experience_a.delete()
    assert not InboxEntry.objects.exists()


def test_open_rows_offer_to_answer(client, world):
    waiting = _published(world, 2)
    answered = _published(world, 3)
    AnswerFactory(experience=answered)
    client = login(client, world["agent_a"])
    content = client.get(reverse("inbox:inbox")).content.decode()
    # Straight to the writing page (templates and suggested drafts beside the form).
    compose = reverse("answering:compose", args=[waiting.pk])
    assert f'href="{compose}"' in content
    answered_page = client.get(reverse("inbox:inbox"), {"etat": "repondu"}).content.decode()
    assert f'data-testid="answer-link-{answered.pk}"' not in answered_page
    assert 'data-testid="experience-to-answer"' in client.get(compose).content.decode()
