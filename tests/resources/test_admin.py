"""Administrators write resources and modules in the admin; publishing calls the actions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ecoute.resources import actions
from ecoute.resources.models import PublicationStatus, Resource, TrainingModule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):  # noqa: ANN001, ANN201
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("model", "name"),
    [(Resource, "resource"), (TrainingModule, "trainingmodule")],
)
def test_admin_actions_publish_and_unpublish(admin_client, world, model, name):
    draft = world.draft if model is Resource else world.draft_module
    url = reverse(f"admin:resources_{name}_changelist")
    response = admin_client.post(
        url, {"action": "publish_selected", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED and draft.published_at is not None
    admin_client.post(url, {"action": "unpublish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT


def test_status_is_not_editable_in_the_form(admin_client, world):
    url = reverse("admin:resources_resource_change", args=[world.draft.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.text


@pytest.mark.parametrize("name", ["category", "resource", "trainingmodule", "modulecompletion"])
def test_admin_lists_open(admin_client, world, name):
    assert admin_client.get(reverse(f"admin:resources_{name}_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["citizen", "agent_a", "agent_b"])
def test_only_staff_may_publish(world, role):
    with pytest.raises(PermissionDenied):
        actions.publish_content(actor=getattr(world, role), content=world.draft)
    with pytest.raises(PermissionDenied):
        actions.unpublish_content(actor=getattr(world, role), content=world.module)
    world.draft.refresh_from_db()
    assert world.draft.status == PublicationStatus.DRAFT


def test_publishing_twice_is_harmless(world):
    assert actions.publish_content(actor=world.staff, content=world.draft) is True
    first = Resource.objects.get(pk=world.draft.pk).published_at
    assert actions.publish_content(actor=world.staff, content=world.draft) is False
    assert Resource.objects.get(pk=world.draft.pk).published_at == first


def test_non_staff_get_no_admin(client, world):
    client.force_login(world.agent_a)
    response = client.get(reverse("admin:resources_resource_changelist"))
    assert response.status_code == 302
