"""Admin pages of the reference data stay usable on real volumes (bounded queries, search)."""

import pytest
from django.urls import reverse

from ecoute.catalogue.importers import load_catalogue
from ecoute.catalogue.models import ContactPoint, Organisation
from ecoute.territories.importers import load_territories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, sample_data_dir):
    load_territories(sample_data_dir)
    load_catalogue(sample_data_dir)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("territories_region", "bretagne"),
        ("territories_departement", "mayenne"),
        ("territories_commune", "laval"),
        ("catalogue_network", "police"),
        ("catalogue_organisationtype", "agence"),
        ("catalogue_organisation", "ddsp"),
        ("catalogue_contactpoint", "laval"),
        ("catalogue_agentmembership", ""),
    ],
)
def test_changelists_search_in_few_queries(
    admin_client, django_assert_max_num_queries, model, query
):
    url = reverse(f"admin:{model}_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url, {"q": query})
    assert response.status_code == 200


def test_change_forms_open(admin_client):
    organisation = Organisation.objects.filter(parent__isnull=False).first()
    contact = ContactPoint.objects.first()
    for url in (
        reverse("admin:catalogue_organisation_change", args=[organisation.pk]),
        reverse("admin:catalogue_contactpoint_change", args=[contact.pk]),
        reverse("admin:territories_commune_change", args=["53130"]),
    ):
        assert admin_client.get(url).status_code == 200
