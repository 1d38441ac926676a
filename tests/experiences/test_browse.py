"""The public experience list: every filter alone and combined, French search, sorts, counts,
pages both ways, bad input."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecoute.catalogue.models import Channel
from ecoute.common.pagination import keyset_paginate
from ecoute.experiences import queries
from ecoute.experiences.models import Experience
from tests.factories import (
    AnswerFactory,
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("experiences:list")


def _shown(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-testid="experience-(\d+)"', response.text)}


def _get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.text[:2000]
    return response


@pytest.fixture
def two_places():
    """Two contact points that differ in every place filter (network, organisation,
    département, commune)."""
    here = ContactPointFactory(
        organisation=OrganisationFactory(network=NetworkFactory(name="CAF", slug="caf"))
    )
    ain_other = CommuneFactory(code="01004", name="Ambérieu-en-Bugey", population=14_000)
    other_dept = DepartementFactory(code="69", name="Rhône")
    lyon = CommuneFactory(code="69123", name="Lyon", departement=other_dept, population=520_000)
    there = ContactPointFactory(
        organisation=OrganisationFactory(network=NetworkFactory(name="CPAM", slug="cpam")),
        commune=lyon,
    )
    return here, there, ain_other


def test_list_without_filters_shows_only_published_with_count(client):
    published = ExperienceFactory.create_batch(3, published=True)
    ExperienceFactory()  # pending
    response = _get(client)
    assert _shown(response) == {e.pk for e in published}
    assert "3 expériences" in response.text


@pytest.mark.parametrize(
    ("param", "value_of"),
    [
        ("reseau", lambda here: here.organisation.network.slug),
        ("organisation", lambda here: here.organisation.pk),
        ("point", lambda here: here.pk),
        ("departement", lambda here: here.departement.code),
        ("commune", lambda here: here.commune.code),
        ("commune", lambda here: "bourg en bresse"),  # by name, accents and dashes folded
    ],
)
def test_each_place_filter_alone(client, two_places, param, value_of):
    here, there, _ = two_places
    match = ExperienceFactory(contact_point=here, published=True)
    ExperienceFactory(contact_point=there, published=True)
    ExperienceFactory(contact_point=here)  # pending: never listed
    response = _get(client, **{param: value_of(here)})
    assert _shown(response) == {match.pk}
    assert "1 expérience" in response.text
    assert 'data-testid="filter-tag"' in response.text


def test_channel_sentiment_and_answered_filters(client):
    phone_positive = ExperienceFactory(channel=Channel.PHONE, sentiment="positive", published=True)
    counter_negative = ExperienceFactory(published=True)
    answered = AnswerFactory(experience__channel=Channel.PHONE).experience
    assert _shown(_get(client, canal="telephone")) == {phone_positive.pk, answered.pk}
    assert _shown(_get(client, ressenti="positive")) == {phone_positive.pk}
    assert _shown(_get(client, ressenti="negative")) == {counter_negative.pk, answered.pk}
    assert _shown(_get(client, reponse="oui")) == {answered.pk}
    assert _shown(_get(client, reponse="non")) == {phone_positive.pk, counter_negative.pk}


def test_period_filter_on_publication_date(client):
    now = timezone.now()
    old = ExperienceFactory(published=True, published_at=now - dt.timedelta(days=40))
    recent = ExperienceFactory(published=True, published_at=now - dt.timedelta(days=2))
    today = timezone.localdate()
    since = (today - dt.timedelta(days=10)).isoformat()
    until = (today - dt.timedelta(days=20)).strftime("%d/%m/%Y")
    assert _shown(_get(client, du=since)) == {recent.pk}
    assert _shown(_get(client, au=until)) == {old.pk}
    window = {"du": (today - dt.timedelta(days=41)).isoformat(), "au": today.isoformat()}
    assert _shown(_get(client, **window)) == {old.pk, recent.pk}


def test_filters_combined(client, two_places):
    here, there, _ = two_places
    match = ExperienceFactory(
        contact_point=here,
        channel=Channel.PHONE,
        sentiment="positive",
        published=True,
        title="Retard de paiement réglé",
    )
    AnswerFactory(experience=match)
    # Each of these misses exactly one of the filters.
    ExperienceFactory(
        contact_point=there,
        channel=Channel.PHONE,
        sentiment="positive",
        title="Retard de paiement",
        published=True,
    )
    ExperienceFactory(
        contact_point=here, sentiment="positive", title="Retard de paiement", published=True
    )
    ExperienceFactory(
        contact_point=here, channel=Channel.PHONE, title="Retard de paiement", published=True
    )
    AnswerFactory(
        experience__contact_point=here,
        experience__channel=Channel.PHONE,
        experience__sentiment="positive",
        experience__title="Accueil parfait",
    )
    unanswered = ExperienceFactory(
        contact_point=here,
        channel=Channel.PHONE,
        sentiment="positive",
        title="Retard encore",
        published=True,
    )
    params = {
        "reseau": "caf",
        "departement": here.departement.code,
        "commune": here.commune.code,
        "organisation": here.organisation.pk,
        "point": here.pk,
        "canal": "telephone",
        "ressenti": "positive",
        "q": "retards",
        "du": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "au": timezone.localdate().isoformat(),
    }
    assert _shown(_get(client, **params)) == {match.pk, unanswered.pk}
    response = _get(client, **params, reponse="oui", tri="moi-aussi")
    assert _shown(response) == {match.pk}
    assert response.text.count('data-testid="filter-tag"') == 11


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("retards", True),  # plural finds singular
        ("RETARD", True),
        ("delai", True),  # no accent finds "délais"
        ("délais", True),
        ("prefecture", True),  # title words count too
        ("retard -prefecture", False),  # excluded word
        ("remboursement", False),
    ],
)
def test_french_search(client, query, finds):
    story = ExperienceFactory(
        title="Préfecture : dossier bloqué",
        body="Un retard de trois semaines, des délais jamais tenus.",
        published=True,
    )
    ExperienceFactory(title="Accueil rapide", body="Tout s'est bien passé.", published=True)
    assert _shown(_get(client, q=query)) == ({story.pk} if finds else set())


def test_search_of_punctuation_only_is_ignored(client):
    experience = ExperienceFactory(published=True)
    assert _shown(_get(client, q="-- !!")) == {experience.pk}


def _walk(client, params: dict, direction: str, start_url: str | None = None) -> list[list[int]]:
    """Follow next (or previous) links; the ids of each page in order."""
    pages = []
    response = client.get(start_url or URL, params if start_url is None else None)
    while True:
        assert response.status_code == 200
        pages.append(
            [int(pk) for pk in re.findall(r'data-testid="experience-(\d+)"', response.text)]
        )
        testid = "next-page" if direction == "next" else "previous-page"
        link = re.search(rf'data-testid="{testid}" href="([^"]+)"', response.text)
        if not link:
            return pages
        response = client.get(URL + link.group(1).replace("&amp;", "&"))


@pytest.mark.parametrize("sort", ["recent", "moi-aussi"])
def test_pages_both_ways_under_each_sort(client, sort):
    same_time = timezone.now() - dt.timedelta(hours=1)
    experiences = [
        # Ties on every key but id: the last key makes the order total.
        ExperienceFactory(published=True, published_at=same_time, metoo_count=index % 3)
        for index in range(45)
    ]
    key = (
        (lambda e: (e.published_at, e.pk))
        if sort == "recent"
        else (lambda e: (e.metoo_count, e.published_at, e.pk))
    )
    expected = [e.pk for e in sorted(experiences, key=key, reverse=True)]
    forward = _walk(client, {"tri": sort}, "next")
    assert [len(page) for page in forward] == [20, 20, 5]
    assert [pk for page in forward for pk in page] == expected
    # From the last page back to the first with "previous" links.
    last_url = None
    response = client.get(URL, {"tri": sort})
    for _ in range(2):
        link = re.search(r'data-testid="next-page" href="([^"]+)"', response.text).group(1)
        last_url = URL + link.replace("&amp;", "&")
        response = client.get(last_url)
    backward = _walk(client, {}, "previous", start_url=last_url)
    assert backward == forward[::-1]


def test_cursor_of_another_sort_or_list_gives_first_page(client):
    for _ in range(25):
        ExperienceFactory(published=True)
    first = _shown(_get(client))
    response = _get(client, tri="moi-aussi")
    moi_aussi_cursor = re.search(r"apres=([^\"&]+)", response.text).group(1)
    assert _shown(_get(client, apres=moi_aussi_cursor.replace("%3A", ":"))) == first
    for garbage in ["garbage", "W10:1abc:xyz", ""]:
        assert _shown(_get(client, apres=garbage, avant=garbage)) == first


def test_count_is_capped_beyond_the_limit(client, monkeypatch):
    ExperienceFactory.create_batch(23, published=True)
    monkeypatch.setattr(queries, "COUNT_CAP", 22)
    assert "Plus de 22 expériences" in _get(client).text
    monkeypatch.setattr(queries, "COUNT_CAP", 23)
    assert "23 expériences" in _get(client).text


def test_a_first_page_without_next_is_counted_without_a_count_query(client):
    ExperienceFactory.create_batch(3, published=True)
    with CaptureQueriesContext(connection) as queries_run:
        response = _get(client)
    assert "3 expériences" in response.text
    assert not [q for q in queries_run.captured_queries if "COUNT(" in q["sql"].upper()]
    ExperienceFactory.create_batch(20, published=True)
    with CaptureQueriesContext(connection) as queries_run:
        assert "23 expériences" in _get(client).text
    assert [q for q in queries_run.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the count's time budget is a PostgreSQL timeout"
)
def test_a_count_over_its_time_budget_says_at_least_and_restores_the_timeout(client, settings):
    ExperienceFactory.create_batch(25, published=True)
    settings.EXPERIENCE_COUNT_BUDGET_MS = 20
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (before,) = cursor.fetchone()
    # Each row costs 5 ms to check: 25 rows run over the 20 ms budget.
    slow = Experience.objects.published().extra(where=["pg_sleep(0.005) IS NOT NULL"])
    assert queries.count_results(slow) == queries.ResultCount(0, capped=False, over_budget=True)
    page = keyset_paginate(slow, ordering=["-published_at", "-id"], cursor=None, size=20)
    assert queries.count_results(slow, page) == queries.ResultCount(
        20, capped=False, over_budget=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == (before,)
    # A fast count within the budget is exact, and the connection is still usable.
    assert queries.count_results(Experience.objects.published()).value == 25
    settings.EXPERIENCE_COUNT_BUDGET_MS = 10_000
    assert queries.count_results(slow).value == 25


def test_the_list_says_at_least_when_the_count_is_over_budget(client, monkeypatch):
    ExperienceFactory.create_batch(21, published=True)
    monkeypatch.setattr(queries, "_bounded_count", lambda queryset: None)
    text = _get(client).text
    assert "Au moins 20 expériences (trop nombreuses pour être comptées rapidement)" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"commune": "Nullepart-sur-Mer"}, "Commune inconnue"),
        ({"du": "2026-05-10", "au": "2026-05-01"}, "La date de fin doit suivre"),
        ({"du": "pas une date"}, "Saisissez une date valide"),
        ({"reseau": "inconnu"}, "Sélectionnez un choix valide"),
        ({"point": "999999"}, "Point de contact inconnu"),
        ({"organisation": "abc"}, "Organisation inconnue"),
        ({"tri": "au-hasard"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_filters_give_400_with_message_and_keep_the_others(client, params, message):
    kept = ExperienceFactory(sentiment="positive", published=True)
    ExperienceFactory(published=True)
    response = client.get(URL, params | {"ressenti": "positive"})
    assert response.status_code == 400
    assert message in response.text
    assert _shown(response) == {kept.pk}


def test_removing_a_tag_drops_only_that_filter_and_the_position(client):
    ExperienceFactory(published=True, sentiment="positive", channel=Channel.PHONE)
    response = _get(client, ressenti="positive", canal="telephone", apres="x")
    links = re.findall(r'href="(\?[^"]*)"[^>]*data-testid="filter-tag"', response.text)
    assert len(links) == 2
    assert {link.replace("&amp;", "&") for link in links} == {
        "?canal=telephone",
        "?ressenti=positive",
    }


def test_head_and_htmx_partial(client):
    ExperienceFactory(published=True, sentiment="positive")
    assert client.head(URL).status_code == 200
    response = client.get(
        URL, {"ressenti": "positive"}, headers={"HX-Request": "true", "HX-Target": "browse"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="browse"' in response.text
    bad = client.get(URL, {"commune": "zzz"}, headers={"HX-Request": "true", "HX-Target": "browse"})
    assert bad.status_code == 422 and "Commune inconnue" in bad.text


def test_publication_copies_the_place_used_by_the_filters(client, two_places):
    from ecoute.experiences import actions
    from tests.factories import UserFactory

    here, _, _ = two_places
    experience = ExperienceFactory(contact_point=here)
    actions.publish_experience(actor=UserFactory(moderator=True), experience=experience)
    experience.refresh_from_db()
    assert (experience.organisation, experience.commune, experience.departement) == (
        here.organisation,
        here.commune,
        here.departement,
    )
    assert _shown(_get(client, commune=here.commune.code)) == {experience.pk}


def test_answering_marks_the_experience_answered():
    from ecoute.experiences import actions
    from tests.factories import AgentMembershipFactory

    experience = ExperienceFactory(published=True)
    agent = AgentMembershipFactory(organisation=experience.contact_point.organisation).user
    actions.answer_experience(author=agent, experience=experience, body="Merci, c'est corrigé.")
    assert Experience.objects.get(pk=experience.pk).is_answered


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)
def test_far_more_rows_expected_than_the_cap_are_not_counted(client, monkeypatch):
    ExperienceFactory.create_batch(25, published=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE experiences_experience")
    monkeypatch.setattr(queries, "ESTIMATE_TRUSTED_ABOVE", 10)
    monkeypatch.setattr(queries, "COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as queries_run:
        assert "Plus de 5 expériences" in _get(client).text
    assert not [q for q in queries_run.captured_queries if "COUNT(" in q["sql"].upper()]
    # One filter (a period is one) is a single condition; two are counted, their estimate is
    # not trusted.
    for params, counted in [
        ({"ressenti": "negative"}, False),
        ({"du": "2000-01-01", "au": "2100-01-01"}, False),
        ({"canal": Channel.COUNTER, "ressenti": "negative"}, True),
    ]:
        with CaptureQueriesContext(connection) as queries_run:
            assert "Plus de 5 expériences" in _get(client, **params).text
        count_queries = [q for q in queries_run.captured_queries if "COUNT(" in q["sql"].upper()]
        assert bool(count_queries) == counted, params
    # Expected below the threshold: counted exactly.
    monkeypatch.setattr(queries, "ESTIMATE_TRUSTED_ABOVE", 1_000)
    monkeypatch.setattr(queries, "COUNT_CAP", 100)
    assert "25 expériences" in _get(client).text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)
def test_a_common_word_with_other_filters_is_not_counted(client, monkeypatch):
    """Counting a search combined with a filter costs as much as the word has matches (its
    whole bitmap is built first): when the word alone is expected to match far more than the
    cap, the page says "at least" what it shows."""
    ExperienceFactory.create_batch(25, published=True, body="Mon dossier est perdu depuis mai.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE experiences_experience")
    params = {"q": "dossier", "ressenti": "negative"}
    monkeypatch.setattr(queries, "TEXT_COUNT_ABOVE", 10)
    with CaptureQueriesContext(connection) as queries_run:
        text = _get(client, **params).text
    assert "Au moins 20 expériences" in text
    assert not [q for q in queries_run.captured_queries if "COUNT(" in q["sql"].upper()]
    monkeypatch.setattr(queries, "TEXT_COUNT_ABOVE", 1_000)
    assert "25 expériences" in _get(client, **params).text
