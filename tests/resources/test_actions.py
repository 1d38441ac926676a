"""Completions: one per account and module (a database constraint), undo allowed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from ecoute.resources import actions
from ecoute.resources.models import ModuleCompletion
from tests.factories import ModuleCompletionFactory

pytestmark = pytest.mark.django_db


def test_complete_is_idempotent_and_undo_removes_it(world):
    first = actions.complete_module(user=world.agent_a, module=world.module)
    again = actions.complete_module(user=world.agent_a, module=world.module)
    assert first.pk == again.pk
    assert actions.uncomplete_module(user=world.agent_a, module=world.module) is True
    assert actions.uncomplete_module(user=world.agent_a, module=world.module) is False
    assert not ModuleCompletion.objects.exists()


def test_the_database_refuses_a_second_completion(world):
    ModuleCompletionFactory(user=world.agent_a, module=world.module)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModuleCompletionFactory(user=world.agent_a, module=world.module)


def test_draft_module_cannot_be_completed(world):
    with pytest.raises(PermissionDenied):
        actions.complete_module(user=world.staff, module=world.draft_module)


def test_completions_go_with_the_account_and_are_exported(client, world):
    ModuleCompletionFactory(user=world.agent_a, module=world.module)
    client.force_login(world.agent_a)
    data = client.get(reverse("accounts:export_data")).json()
    assert data["training"][0]["module"] == world.module.title
    world.agent_a.delete()
    assert not ModuleCompletion.objects.exists()
