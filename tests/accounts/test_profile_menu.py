"""The "Mon compte" menu lists the sections other apps hold, registered by them (accounts.menu)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_account_menu_links_every_registered_section_in_order(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    expected = [
        (reverse("experiences:my_contributions"), "menu-contributions"),
        (reverse("documents:mine"), "menu-documents"),
        (reverse("follows:list"), "my-follows"),
        (reverse("consultations:mine"), "menu-participations"),
    ]
    positions = []
    for url, testid in expected:
        assert f'href="{url}" data-testid="{testid}"' in page
        positions.append(page.index(f'data-testid="{testid}"'))
    assert positions == sorted(positions)
    assert "Mes participations aux consultations" in page
