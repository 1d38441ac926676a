import pytest


@pytest.mark.django_db
def test_home_page_is_french(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_french_is_the_default_whatever_the_browser_says(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "fr"
    assert "Trouver un service" in response.content.decode()


@pytest.mark.django_db
def test_english_is_available_on_request(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert "Find a service" in response.content.decode()
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
