"""The resources lists cost the same number of queries with 1 row or 25."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AgentMembershipFactory,
    CategoryFactory,
    ModuleCompletionFactory,
    ModuleStepFactory,
    ResourceFactory,
    TrainingModuleFactory,
)

pytestmark = pytest.mark.django_db


def _count(client, url: str, params: dict | None = None) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)


def _add_rows(world, n: int) -> None:  # noqa: ANN001
    for _ in range(n):
        category = CategoryFactory()
        resource = ResourceFactory(category=category, published=True)
        module = TrainingModuleFactory(published=True)
        ModuleStepFactory(module=module, resource=resource)
        ModuleStepFactory(module=module, resource=world.resource, position=1)
        agent = AgentMembershipFactory(organisation=world.agency_a).user
        ModuleCompletionFactory(user=agent, module=module)
        ModuleCompletionFactory(user=world.manager_a, module=module)


@pytest.mark.parametrize("url", ["resources:index", "resources:modules", "resources:completion"])
def test_lists_do_not_grow_with_rows(client, world, url, django_assert_max_num_queries):
    client.force_login(world.manager_a)
    with_one = _count(client, reverse(url))
    _add_rows(world, 24)
    assert _count(client, reverse(url)) == with_one
    with django_assert_max_num_queries(12):
        client.get(reverse(url))


def test_resource_and_module_pages_are_bounded(client, world, django_assert_max_num_queries):
    client.force_login(world.agent_a)
    _add_rows(world, 10)  # the resource is in 11 modules, the module has its steps
    with django_assert_max_num_queries(10):
        assert client.get(world.resource.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(world.module.get_absolute_url()).status_code == 200
