"""The pages a public service must have, the plan du site, and the footer that links them."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from ecoute.ui.sitemap import (
    FLOW_STEPS,
    LABELS,
    NOT_PUBLIC,
    parameterless_url_names,
    public_pages,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/accessibilite/": "Déclaration d'accessibilité",
    "/conditions-utilisation/": "Conditions d'utilisation",
    "/aide/": "Aide",
    "/plan-du-site/": "Plan du site",
    "/engagements/": "Les engagements de service",
}
ENGLISH_TITLES = {
    "/mentions-legales/": "Legal notice",
    "/donnees-personnelles/": "Personal data",
    "/accessibilite/": "Accessibility statement",
    "/conditions-utilisation/": "Terms of use",
    "/aide/": "Help",
    "/plan-du-site/": "Site map",
    "/engagements/": "Our service commitments",
}


def _english(client) -> None:
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


@pytest.mark.parametrize(("url", "title"), PAGES.items())
def test_page_answers_get_and_head_in_french(client, url, title):
    response = client.get(url)
    assert response.status_code == 200
    assert f"<h1>{escape(title)}</h1>" in response.content.decode()
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.parametrize(("url", "title"), ENGLISH_TITLES.items())
def test_page_answers_in_english(client, url, title):
    _english(client)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert f"<h1>{escape(title)}</h1>" in response.content.decode()
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_pages_refuse_post(client, url):
    assert client.post(url).status_code == 405


def test_footer_links_every_mandatory_page(client):
    page = client.get("/").content.decode()
    footer = page[page.index('<footer class="fr-footer"') :]
    for url, label in [
        ("/plan-du-site/", "Plan du site"),
        ("/accessibilite/", "Accessibilité : partiellement conforme"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/conditions-utilisation/", "Conditions d'utilisation"),
        ("/aide/", "Aide"),
    ]:
        assert f'href="{url}"' in footer, url
        assert label in footer, label
    # No cookie beyond session, CSRF and language: no cookie-management link, and the
    # personal data page says why.
    assert "Gestion des cookies" not in footer
    privacy = client.get("/donnees-personnelles/").content.decode()
    assert "pas de bandeau ni de page de gestion des cookies" in privacy


@override_settings(
    ECOUTE_PUBLISHER="Préfecture de la Sarthe",
    ECOUTE_PUBLISHER_ADDRESS="Place Aristide Briand, 72041 Le Mans Cedex 9",
    ECOUTE_PUBLICATION_DIRECTOR="Le préfet de la Sarthe",
    ECOUTE_HOST_NAME="Hébergeur Exemple SAS",
    ECOUTE_HOST_ADDRESS="1 rue de l'Hébergement, 59000 Lille",
    ECOUTE_CONTACT_EMAIL="ecoute@sarthe.example",
    ECOUTE_DPO_EMAIL="dpd@sarthe.example",
)
def test_settings_appear_on_the_legal_pages(client):
    legal = client.get("/mentions-legales/").content.decode()
    assert '<strong data-testid="publisher">Préfecture de la Sarthe</strong>' in legal
    assert "Place Aristide Briand, 72041 Le Mans Cedex 9" in legal
    assert '<p data-testid="director">Le préfet de la Sarthe</p>' in legal
    assert "Hébergeur Exemple SAS<br>1 rue de l&#x27;Hébergement, 59000 Lille" in legal
    assert "mailto:ecoute@sarthe.example" in legal
    privacy = client.get("/donnees-personnelles/").content.decode()
    assert "Préfecture de la Sarthe, Place Aristide Briand" in privacy
    assert 'href="mailto:dpd@sarthe.example"' in privacy
    assert "CNIL" in privacy
    statement = client.get("/accessibilite/").content.decode()
    assert "Préfecture de la Sarthe s'engage" in statement
    assert 'href="mailto:ecoute@sarthe.example" data-testid="accessibility-contact"' in statement


def test_accessibility_statement_follows_the_rgaa_model(client):
    statement = client.get("/accessibilite/").content.decode()
    for heading in [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Contenus non soumis à l'obligation d'accessibilité",
        "Établissement de cette déclaration d'accessibilité",
        "Technologies utilisées pour la réalisation du site",
        "Environnement de test",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert heading in statement, heading
    assert "<strong>partiellement conforme</strong>" in statement
    assert "Défenseur des droits" in statement
    assert "24 novembre 2026" in statement  # ECOUTE_ACCESSIBILITY_AUDIT_DATE's default


@override_settings(ECOUTE_ACCESSIBILITY_AUDIT_DATE=__import__("datetime").date(2027, 3, 1))
def test_accessibility_statement_date_comes_from_settings(client):
    assert "1 mars 2027" in client.get("/accessibilite/").content.decode()


def test_signup_links_the_terms_beside_the_checkbox(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    label_start = page.index('<label for="id_accept_charter"')
    label = page[label_start : page.index("</label>", label_start)]
    assert 'href="/conditions-utilisation/"' in label
    assert 'target="_blank"' in label and "nouvelle fenêtre" in label


def test_sitemap_lists_every_public_page(client):
    """Every parameterless URL either is in the plan or refuses an anonymous visitor."""
    page = client.get("/plan-du-site/").content.decode()
    listed = {p.name: p for section in public_pages() for p in section.pages}
    names = parameterless_url_names()
    assert {"ui:home", "catalogue:search", "experiences:list", "engagements:list"} <= set(names)
    for name in names:
        url = reverse(name)
        if name in NOT_PUBLIC:
            assert name not in listed
            assert client.get(url).status_code != 200, f"{name} is public: list it"
            continue
        if name in FLOW_STEPS:
            assert name not in listed
            assert client.get(url).status_code < 500, name
            continue
        assert name in listed, name
        assert f'<a href="{url}">' in page, f"{name} ({url}) missing from the plan du site"
        assert client.get(url).status_code == 200, name
    missing_labels = [name for name, p in listed.items() if not p.has_label]
    assert not missing_labels, f"give these pages a label in ecoute/ui/sitemap.py: {missing_labels}"
    assert set(LABELS) <= set(names), "a label names a URL that no longer exists"
    assert set(NOT_PUBLIC) | set(FLOW_STEPS) <= set(names), "an exception names no URL"
    # A visitor never meets a raw address instead of a page name.
    assert ">/" not in page[page.index('data-testid="sitemap"') :]


def test_sitemap_is_the_same_for_a_signed_in_user(client):
    anonymous = client.get("/plan-du-site/").content.decode()
    client.force_login(UserFactory())
    signed_in = client.get("/plan-du-site/").content.decode()
    start = anonymous.index('data-testid="sitemap"')
    assert (
        anonymous[start : anonymous.index("</main>")]
        == signed_in[signed_in.index('data-testid="sitemap"') : signed_in.index("</main>")]
    )
