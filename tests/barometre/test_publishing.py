"""The publishers' pages through HTTP: every role on every write (anonymous, usager, agent,
staff without the permission, publisher), the forms' errors, CSRF, and what the preview
shows."""

import pytest
from django.test import Client
from django.urls import reverse

from ecoute.barometre import actions
from ecoute.barometre.models import Edition, EditionStatus

from .conftest import S1, S2, publisher_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(rated, publisher):
    return actions.prepare_edition(semester=S1, actor=publisher)


@pytest.fixture
def published(rated, publisher):
    edition = actions.prepare_edition(semester=S2, actor=publisher)
    return actions.publish_edition(edition=edition, actor=publisher)


def _writes(draft, published):
    return [
        ("get", reverse("barometre:manage"), {}),
        ("get", reverse("barometre:preview", args=[draft.pk]), {}),
        ("post", reverse("barometre:prepare"), {"semester": "2025-S1"}),
        ("post", reverse("barometre:reprepare", args=[draft.pk]), {}),
        ("post", reverse("barometre:publish", args=[draft.pk]), {"confirm": "on"}),
        ("post", reverse("barometre:correct", args=[published.pk]), {"reason": "Erreur"}),
    ]


def test_anonymous_visitors_are_sent_to_the_login(client, draft, published):
    for method, url, data in _writes(draft, published):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url
    assert Edition.objects.get(pk=draft.pk).status == EditionStatus.DRAFT


@pytest.mark.parametrize("role", ["usager", "agent", "staff"])
def test_accounts_without_the_permission_are_refused(client, roles, role, draft, published):
    client.force_login(roles[role])
    for method, url, data in _writes(draft, published):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Edition.objects.get(pk=draft.pk).status == EditionStatus.DRAFT
    assert Edition.objects.count() == 2
    assert 'data-testid="manage-link"' not in client.get("/barometre/").content.decode()


def test_a_publisher_prepares_previews_and_publishes(client, rated, publisher):
    client.force_login(publisher)
    assert 'data-testid="manage-link"' in client.get("/barometre/").content.decode()
    response = client.post(reverse("barometre:prepare"), {"semester": "2025-s1", "note": " Test "})
    edition = Edition.objects.get()
    assert response.url == reverse("barometre:preview", args=[edition.pk])
    assert edition.note == "Test"
    preview = client.get(response.url).content.decode()
    assert 'data-testid="publish-form"' in preview
    assert "50,0" in preview  # exactly the figures that will be published
    assert "Version 1, brouillon non publié." in preview
    # Without the confirmation box: nothing is published.
    refused = client.post(reverse("barometre:publish", args=[edition.pk]), {})
    assert refused.status_code == 400
    assert "Cochez la case" in refused.content.decode()
    response = client.post(reverse("barometre:reprepare", args=[edition.pk]))
    assert response.status_code == 302
    response = client.post(reverse("barometre:publish", args=[edition.pk]), {"confirm": "on"})
    assert response.url == "/barometre/2025-S1/v1/"
    edition.refresh_from_db()
    assert edition.is_published and edition.published_by == publisher
    # Publishing again, or recomputing it, is refused with a message, not a 5xx.
    again = client.post(reverse("barometre:publish", args=[edition.pk]), {"confirm": "on"})
    assert again.status_code == 400 and "déjà publiée" in again.content.decode()
    again = client.post(reverse("barometre:reprepare", args=[edition.pk]))
    assert again.status_code == 400 and "déjà publiée" in again.content.decode()
    listing = client.get(reverse("barometre:manage")).content.decode()
    assert "publiée, en vigueur" in listing


def test_a_publisher_prepares_a_correction(client, published, publisher):
    client.force_login(publisher)
    preview = client.get(reverse("barometre:preview", args=[published.pk])).content.decode()
    assert 'data-testid="correction-form"' in preview
    missing = client.post(reverse("barometre:correct", args=[published.pk]), {"reason": ""})
    assert missing.status_code == 400
    response = client.post(
        reverse("barometre:correct", args=[published.pk]), {"reason": "Avis en retard"}
    )
    correction = Edition.objects.get(version=2)
    assert response.url == reverse("barometre:preview", args=[correction.pk])
    twice = client.post(reverse("barometre:correct", args=[published.pk]), {"reason": "x"})
    assert twice.status_code == 400 and "déjà en préparation" in twice.content.decode()


def test_bad_semesters_are_form_errors(client, rated, publisher):
    client.force_login(publisher)
    for semester, message in [
        ("2025", "AAAA-S1 ou AAAA-S2"),
        ("2999-S1", "pas encore commencé"),
    ]:
        response = client.post(reverse("barometre:prepare"), {"semester": semester})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Edition.objects.exists()


def test_an_unfinished_semester_is_refused_at_publication(client, rated, publisher):
    from django.utils import timezone

    client.force_login(publisher)
    today = timezone.localdate()
    semester = f"{today.year}-S{1 if today.month <= 6 else 2}"
    response = client.post(reverse("barometre:prepare"), {"semester": semester})
    edition = Edition.objects.get()
    # The preview says so before any click, and offers no publish button.
    preview = client.get(reverse("barometre:preview", args=[edition.pk])).content.decode()
    assert 'data-testid="too-early"' in preview and "n&#x27;est pas terminé" in preview
    assert 'data-testid="publish-form"' not in preview
    response = client.post(reverse("barometre:publish", args=[edition.pk]), {"confirm": "on"})
    assert response.status_code == 400
    assert "n&#x27;est pas terminé" in response.content.decode()


def test_writes_need_the_csrf_token(rated):
    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher_account(username="autre-publieur"))
    response = client.post(reverse("barometre:prepare"), {"semester": "2025-S1"})
    assert response.status_code == 403
    assert not Edition.objects.exists()


def test_the_manage_page_lists_drafts_in_bounded_queries(
    client, draft, published, publisher, django_assert_max_num_queries
):
    client.force_login(publisher)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("barometre:manage"))
    page = response.content.decode()
    assert 'data-testid="manage-2025-S1-v1"' in page and "brouillon" in page
    assert reverse("barometre:preview", args=[99999]) not in page
    assert client.get(reverse("barometre:preview", args=[99999])).status_code == 404


def test_the_admin_lists_editions_read_only_and_links_the_publishers_pages(
    client, published, draft
):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/barometre/edition/")
    assert listing.status_code == 200
    assert reverse("barometre:manage") in listing.content.decode()
    assert client.get(f"/admin/barometre/edition/{published.pk}/change/").status_code == 200
    assert client.get("/admin/barometre/figure/").status_code == 200
    assert client.get("/admin/barometre/edition/add/").status_code == 403
    response = client.post(f"/admin/barometre/edition/{published.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Edition.objects.filter(pk=published.pk).exists()
