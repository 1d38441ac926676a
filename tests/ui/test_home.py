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
    "slug", ["accessibilite", "mentions-legales", "donnees-personnelles", "charte"]
)
def test_static_pages(client, slug):
    assert client.get(f"/pages/{slug}/").status_code == 200


@pytest.mark.django_db
def test_unknown_page_is_a_french_404(client):
    response = client.get("/pages/inconnue/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
