import pytest


# Content-Language and the translated texts are checked in test_i18n.py; here, the <html lang>.
@pytest.mark.django_db
def test_html_lang_follows_the_language(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "target"),
    [
        ("accessibilite", "/accessibilite/"),
        ("mentions-legales", "/mentions-legales/"),
        ("donnees-personnelles", "/donnees-personnelles/"),
        ("charte", "/conditions-utilisation/"),
    ],
)
def test_old_static_page_addresses_redirect_to_the_new_ones(client, slug, target):
    response = client.get(f"/pages/{slug}/")
    assert response.status_code == 301
    assert response["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.django_db
def test_unknown_page_is_a_french_404(client):
    response = client.get("/pages/inconnue/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_home_leads_to_every_way_in(client):
    """A first visit finds, from the home page alone, search, "près de chez moi", the stories,
    the simplified documents and the engagements (header)."""
    page = client.get("/").content.decode()
    for url in ["/services/", "/services/pres-de-chez-moi/", "/experiences/", "/documents/"]:
        assert f'href="{url}"' in page or f'action="{url}"' in page, url
    assert 'href="/engagements/"' in page
