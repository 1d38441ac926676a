"""Every page and route of the remontées through the HTTP client: filters, sort, keyset pages,
counts, the detail page (supports, status history, summary), forms and their errors, the
steering view and the public summaries."""

import pytest
from django.urls import reverse

from ecoute.remontees.models import Remontee, Status, Support, Theme, Visibility
from tests.factories import (
    PublicSummaryFactory,
    RemonteeFactory,
    StatusChangeFactory,
    SupportFactory,
)

from .world import login, raise_form_data

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "support"}


def test_raise_form_page_and_its_errors(client, world):
    login(client, world.users["agent_a"])
    page = client.get(reverse("remontees:raise"))
    assert page.status_code == 200 and 'data-testid="raise-form"' in page.text
    assert "CAF de l&#x27;Ain" in page.text
    bad = client.post(
        reverse("remontees:raise"),
        raise_form_data(world.organisation, scope="demarche", title="", theme="inconnu"),
    )
    assert bad.status_code == 400
    assert "Indiquez le nom de la démarche en ligne." in bad.text
    assert 'data-testid="form-error-summary"' in bad.text
    assert not Remontee.objects.exists()


def test_raise_then_see_it_pending_with_masks(client, world):
    login(client, world.users["agent_a"])
    response = client.post(
        reverse("remontees:raise"),
        raise_form_data(world.organisation, scope="demarche", demarche_name="Demande de RSA"),
        follow=True,
    )
    assert response.status_code == 200
    assert 'data-testid="visibility-pending"' in response.text
    assert "06 12 34 56 78" not in response.text
    assert "masquée" in response.text  # the masked data warning
    remontee = Remontee.objects.get()
    assert remontee.demarche_name == "Demande de RSA" and "Demande de RSA" in response.text


def test_list_filters_sort_and_counts(client, world):
    popular = RemonteeFactory(
        published=True, organisation=world.organisation, theme=Theme.TRAINING, title="Formation"
    )
    SupportFactory.create_batch(2, remontee=popular)
    recent = RemonteeFactory(
        published=True,
        organisation=world.sibling,
        theme=Theme.REGULATION,
        status=Status.STUDYING,
        title="Règle floue",
    )
    login(client, world.users["agent_a"])
    page = client.get(reverse("remontees:list"))
    assert page.status_code == 200
    first, second = f'data-testid="remontee-{recent.pk}"', f'data-testid="remontee-{popular.pk}"'
    assert page.text.index(first) < page.text.index(second)  # newest first
    assert 'data-testid="count-recue">Reçue : 1' in page.text
    assert 'data-testid="count-a-l-etude">À l&#x27;étude : 1' in page.text
    supported = client.get(reverse("remontees:list"), {"tri": "soutenues"})
    assert supported.text.index(second) < supported.text.index(first)
    for params, shown, absent in [
        ({"theme": "formation"}, popular, recent),
        ({"statut": "a-l-etude"}, recent, popular),
        ({"organisation": world.sibling.pk}, recent, popular),
        ({"objet": "regle"}, None, popular),
        ({"reseau": "caf"}, popular, None),
    ]:
        filtered = client.get(reverse("remontees:list"), params)
        assert filtered.status_code == 200, params
        if shown:
            assert f'data-testid="remontee-{shown.pk}"' in filtered.text, params
        if absent:
            assert f'data-testid="remontee-{absent.pk}"' not in filtered.text, params
    mine = client.get(reverse("remontees:list"), {"mine": "on"})
    assert "Aucune remontée ne correspond." in mine.text
    assert client.get(reverse("remontees:list"), {"theme": "inconnu"}).status_code == 400


def test_list_pages_by_key(client, world):
    RemonteeFactory.create_batch(23, published=True, organisation=world.organisation)
    login(client, world.users["agent_same_network"])
    first = client.get(reverse("remontees:list"))
    assert first.text.count('data-testid="remontee-') == 20
    assert 'data-testid="next-page"' in first.text
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("remontees:list"), {"apres": cursor})
    assert second.text.count('data-testid="remontee-') == 3
    assert client.get(reverse("remontees:list"), {"apres": "n'importe quoi"}).status_code == 200


def test_detail_shows_supports_history_and_summary(client, world):
    remontee = RemonteeFactory(published=True, organisation=world.organisation, author=world.author)
    SupportFactory(remontee=remontee)
    change = StatusChangeFactory(remontee=remontee, comment="Transmis à l'éditeur")
    Remontee.objects.filter(pk=remontee.pk).update(status=Status.STUDYING)
    summary = PublicSummaryFactory(remontee=remontee)
    login(client, world.users["agent_same_network"])
    page = client.get(remontee.get_absolute_url())
    assert page.status_code == 200
    assert "1 agent rencontre la même difficulté" in page.text
    assert f'data-testid="change-{change.pk}"' in page.text and "Transmis à l" in page.text
    assert summary.title in page.text
    assert 'data-testid="status-form"' not in page.text
    assert world.author.username not in page.text  # agents never see who raised it
    login(client, world.users["manager"])
    page = client.get(remontee.get_absolute_url())
    assert 'data-testid="status-form"' in page.text and 'data-testid="summary-link"' in page.text


def test_support_without_javascript_and_with_htmx(client, world):
    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    login(client, world.users["agent_same_network"])
    url = reverse("remontees:support", args=[remontee.pk])
    response = client.post(url, {"actif": "1", "next": reverse("remontees:list")})
    assert response.status_code == 302 and response["Location"] == reverse("remontees:list")
    assert Support.objects.count() == 1
    response = client.post(url, {"actif": "0"}, headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert 'aria-pressed="false"' in response.text
    response = client.post(url, {"actif": "1"}, headers=HTMX)
    assert 'aria-pressed="true"' in response.text and "(dont vous)" in response.text
    response = client.post(url, {"actif": "1", "next": "https://ailleurs.example/"})
    assert response["Location"] == remontee.get_absolute_url()  # no open redirect
    assert client.post(reverse("remontees:support", args=[999999])).status_code == 404


def test_status_route_and_its_errors(client, world):
    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    login(client, world.users["manager"])
    url = reverse("remontees:status", args=[remontee.pk])
    response = client.post(url, {"status": "a-l-etude", "comment": "Nous regardons"}, follow=True)
    assert "Statut changé : À l&#x27;étude" in response.text
    assert "Nous regardons" in response.text
    response = client.post(url, {"status": "a-l-etude"}, follow=True)
    assert "La remontée a déjà ce statut." in response.text
    response = client.post(url, {"status": "perdue"}, follow=True)
    assert "Choisissez un statut dans la liste." in response.text
    assert client.get(url).status_code == 405


def test_summary_form_and_its_errors(client, world):
    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    login(client, world.users["manager"])
    url = reverse("remontees:summary", args=[remontee.pk])
    assert client.post(url, {"title": "", "body": "court"}).status_code == 400
    response = client.post(
        url,
        {"title": "Un correctif est prévu", "body": "Le blocage est connu, correctif en mars."},
        follow=True,
    )
    assert "Synthèse envoyée" in response.text
    page = client.get(url)
    assert "Un correctif est prévu" in page.text and "En attente de modération" in page.text


def test_steering_view_counts_by_theme_network_and_status(client, world):
    RemonteeFactory(published=True, organisation=world.organisation, theme=Theme.TRAINING)
    SupportFactory(
        remontee=RemonteeFactory(published=True, organisation=world.elsewhere, status=Status.CLOSED)
    )
    RemonteeFactory(organisation=world.organisation)  # pending: not counted
    login(client, world.users["manager"])
    page = client.get(reverse("remontees:steering"))
    assert page.status_code == 200
    assert "2 remontées" in page.text
    table = page.text[page.text.index('data-testid="network-table"') :]
    assert '<th scope="row">CAF</th><td>1</td><td>0</td>' in table
    assert '<th scope="row">Assurance maladie</th><td>1</td><td>1</td>' in table
    organisations = page.text[page.text.index('data-testid="organisation-table"') :]
    assert '<th scope="row">CAF de l&#x27;Ain</th><td>1</td><td>0</td>' in organisations
    filtered = client.get(
        reverse("remontees:steering"), {"reseau": "cpam", "statut": "close", "tri": "soutenues"}
    )
    assert filtered.status_code == 200 and "1 remontée" in filtered.text
    assert client.get(reverse("remontees:steering"), {"statut": "x"}).status_code == 400


def test_public_page_lists_published_summaries_without_the_author(client, world):
    shown = PublicSummaryFactory(
        remontee__organisation=world.organisation, remontee__author=world.author
    )
    pending = PublicSummaryFactory(
        remontee__organisation=world.organisation, visibility=Visibility.PENDING
    )
    other = PublicSummaryFactory(remontee__organisation=world.elsewhere)
    page = client.get(reverse("remontees:public"))
    assert page.status_code == 200
    assert shown.title in page.text and other.title in page.text
    assert pending.title not in page.text
    assert world.author.username not in page.text
    assert shown.remontee.title not in page.text  # the agent's own words stay internal
    by_network = client.get(reverse("remontees:public"), {"reseau": "cpam"})
    assert other.title in by_network.text and shown.title not in by_network.text
    by_theme = client.get(reverse("remontees:public"), {"theme": "formation"})
    assert "Aucune synthèse publiée" in by_theme.text
    assert client.get(reverse("remontees:public"), {"reseau": "inconnu"}).status_code == 400


def test_public_page_pages_by_key(client):
    PublicSummaryFactory.create_batch(21)
    first = client.get(reverse("remontees:public"))
    assert first.text.count('data-testid="summary-') == 20
    second = client.get(reverse("remontees:public"), {"apres": first.context["page"].next_cursor})
    assert second.text.count('data-testid="summary-') == 1


def test_header_links_the_remontees_for_agents_and_moderators(client, world):
    login(client, world.users["agent_a"])
    assert 'data-testid="nav-remontees"' in client.get(reverse("ui:home")).text
    login(client, world.users["citizen"])
    assert 'data-testid="nav-remontees"' not in client.get(reverse("ui:home")).text
    login(client, world.users["moderator"])
    assert 'data-testid="nav-remontees"' in client.get(reverse("ui:home")).text
