"""A form sent with mistakes says so before the first field: in the page title (read first by a
screen reader) and in an alert counting what to correct (walk of the merged issue 7: 12 errors
were only shown under fields further down the page)."""

import pytest
from django.urls import reverse

from tests.factories import ContactPointFactory

pytestmark = pytest.mark.django_db


def test_tell_form_with_errors_announces_them_first(client):
    point = ContactPointFactory()
    url = reverse("experiences:tell", args=[point.pk])
    blank = client.get(url).content.decode()
    assert 'data-testid="form-error-summary"' not in blank
    assert "<title>Erreur" not in blank

    response = client.post(url, {"title": "Court"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Erreur : Raconter mon expérience" in page
    summary = page.index('data-testid="form-error-summary"')
    assert summary < page.index('name="occurred_on"')
    errors = len(response.context["form"].errors)
    assert errors > 1
    assert f"{errors} points sont à corriger" in page[summary : summary + 400]


def test_login_error_is_announced_in_the_title(client):
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert "<title>Erreur :" in response.content.decode()
