"""Admin pages of the reference data stay usable on real volumes (bounded queries, search)."""

import pytest
from django.forms import BooleanField
from django.urls import reverse

from ecoute.catalogue.importers import load_catalogue
from ecoute.catalogue.models import ContactPoint, Organisation
from ecoute.catalogue.search import search_organisations
from ecoute.territories.importers import load_territories
from ecoute.territories.models import Commune, Departement, Region
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


def _change_form_data(client, url, **changes):
    """The change form's current values as POST data, with `changes` applied."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    return {**data, **changes}


def test_organisation_parent_is_read_only(admin_client):
    organisation = Organisation.objects.filter(parent__isnull=False).first()
    other = Organisation.objects.exclude(pk__in=[organisation.pk, organisation.parent_id]).first()
    before = (organisation.parent_id, organisation.path)
    url = reverse("admin:catalogue_organisation_change", args=[organisation.pk])

    response = admin_client.post(
        url, _change_form_data(admin_client, url, name="Renamed", parent=other.pk)
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Renamed"  # the form was saved…
    assert (organisation.parent_id, organisation.path) == before  # …but not the tree


def test_contact_point_edit_rebuilds_the_search_document(admin_client):
    point = ContactPoint.objects.get(source_key="sp:3Tn8gzTdcz:guichet")
    url = reverse("admin:catalogue_contactpoint_change", args=[point.pk])

    response = admin_client.post(
        url, _change_form_data(admin_client, url, name="Commissariat Zéphyr")
    )

    assert response.status_code == 302
    assert search_organisations("zephyr laval")[0] == point.organisation_id
    # The other parts stay: organisation, network, département, postcode.
    assert search_organisations("ddsp de la mayenne police nationale 53013")[0] == (
        point.organisation_id
    )


@pytest.mark.parametrize(
    ("model", "code"),
    [(Region, "52"), (Departement, "53"), (Commune, "53130")],
)
def test_territory_code_is_read_only_on_change(admin_client, model, code):
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[code])
    count = model.objects.count()

    response = admin_client.post(url, _change_form_data(admin_client, url, code="999", name="X"))

    assert response.status_code == 302
    assert model.objects.count() == count  # no second row under the new code
    assert model.objects.get(pk=code).name == "X"
    add_form = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert "code" in add_form.context["adminform"].form.fields  # a new row still needs one


def test_commune_rename_refreshes_its_folded_search_name(admin_client):
    url = reverse("admin:territories_commune_change", args=["53130"])

    admin_client.post(url, _change_form_data(admin_client, url, name="Laval-en-Été"))

    assert Commune.objects.get(code="53130").search_name == "laval en ete"
    response = admin_client.get(reverse("admin:territories_commune_changelist"), {"q": "en ete"})
    assert "Laval-en-Été" in response.content.decode()
