"""The section's orders: pinned then random per visitor (stable for them), most voted, most
discussed, newest, oldest; each walks every contribution once through its pages."""

import pytest
from django.urls import reverse

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db


def walk(client, url, sort):
    """Titles of every page, following "Page suivante"."""
    titles, params = [], {"tri": sort}
    while True:
        response = client.get(url, params)
        assert response.status_code == 200
        titles += [c.title for c in response.context["pinned"]]
        titles += [c.title for c in response.context["page"].items]
        cursor = response.context["page"].next_cursor
        if not cursor:
            return titles
        params = {"tri": sort, "apres": cursor}


@pytest.fixture
def listed(section):
    rows = [
        ContributionFactory(
            section=section,
            title=f"C{i:02}",
            votes_for=i % 7,
            votes_total=i % 7,
            arguments_count=(i * 3) % 11,
        )
        for i in range(60)
    ]
    rows[10].pinned = True
    rows[10].save(update_fields=["pinned"])
    return section, rows


def test_random_order_pinned_first_every_row_once_and_stable_per_visitor(client, listed):
    section, rows = listed
    url = reverse("debates:section", args=[section.consultation.slug, section.slug])
    first = walk(client, url, "aleatoire")
    assert first[0] == "C10"  # pinned first
    assert sorted(first) == sorted(r.title for r in rows)  # each contribution exactly once
    assert walk(client, url, "aleatoire") == first  # stable for this visitor
    others = set()
    for _ in range(4):
        client.cookies.clear()  # another visitor, another seed
        others.add(tuple(walk(client, url, "aleatoire")))
    assert any(order != tuple(first) for order in others)
    assert all(order[0] == "C10" for order in others)


def test_sorted_orders(client, listed):
    section, rows = listed
    url = reverse("debates:section", args=[section.consultation.slug, section.slug])
    by_votes = walk(client, url, "votes")
    expected = [r.title for r in sorted(rows, key=lambda r: (-r.votes_total, -r.pk))]
    assert by_votes == expected
    by_arguments = walk(client, url, "debattues")
    assert by_arguments == [
        r.title for r in sorted(rows, key=lambda r: (-r.arguments_count, -r.pk))
    ]
    assert walk(client, url, "recentes") == [r.title for r in reversed(rows)]
    assert walk(client, url, "anciennes") == [r.title for r in rows]


def test_unknown_sort_and_bad_cursor_give_the_first_page(client, listed):
    section, _rows = listed
    url = reverse("debates:section", args=[section.consultation.slug, section.slug])
    assert client.get(url, {"tri": "nimporte"}).context["sort"] == "aleatoire"
    response = client.get(url, {"tri": "aleatoire", "apres": "forged"})
    assert response.status_code == 200
    assert len(response.context["page"].items) == 25
