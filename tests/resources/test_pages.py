"""Every resources page and route, for every role: anonymous, citizen, agents of A and B, staff."""

import pytest
from django.urls import reverse

from ecoute.resources.models import ModuleCompletion
from tests.factories import ModuleCompletionFactory

pytestmark = pytest.mark.django_db

READERS = ["agent_a", "manager_a", "agent_b", "staff"]


def _pages(world):  # noqa: ANN001, ANN202
    return {
        "index": reverse("resources:index"),
        "resource": reverse("resources:resource", args=[world.resource.slug]),
        "modules": reverse("resources:modules"),
        "module": reverse("resources:module", args=[world.module.slug]),
    }


@pytest.mark.parametrize("page", ["index", "resource", "modules", "module", "completion"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, page):
    url = {**_pages(world), "completion": reverse("resources:completion")}[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", ["index", "resource", "modules", "module"])
def test_citizens_are_refused_with_a_message(client, world, page):
    client.force_login(world.citizen)
    response = client.get(_pages(world)[page])
    assert response.status_code == 403


@pytest.mark.parametrize("role", READERS)
def test_agents_and_staff_read_every_page(client, world, role):
    client.force_login(getattr(world, role))
    index = client.get(reverse("resources:index"))
    assert index.status_code == 200
    assert world.resource.title in index.text
    assert world.resource.category.name in index.text
    resource = client.get(world.resource.get_absolute_url())
    assert resource.status_code == 200
    assert "<h2>Principe</h2>" in resource.text  # the Markdown body, rendered
    assert world.module.title in resource.text  # "dans les modules de formation"
    modules = client.get(reverse("resources:modules"))
    assert modules.status_code == 200
    assert "Modules terminés : 0 sur 1" in modules.text
    module = client.get(world.module.get_absolute_url())
    assert module.status_code == 200
    assert world.resource.title in module.text
    assert 'data-testid="module-complete"' in module.text


@pytest.mark.parametrize("role", ["agent_a", "agent_b"])
def test_drafts_are_hidden_from_agents(client, world, role):
    client.force_login(getattr(world, role))
    assert world.draft.title not in client.get(reverse("resources:index")).text
    assert client.get(world.draft.get_absolute_url()).status_code == 404
    assert world.draft_module.title not in client.get(reverse("resources:modules")).text
    assert client.get(world.draft_module.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("resources:complete", args=[world.draft_module.slug])).status_code
        == 404
    )


def test_staff_preview_drafts(client, world):
    client.force_login(world.staff)
    index = client.get(reverse("resources:index"))
    assert world.draft.title in index.text and "Brouillon" in index.text
    assert client.get(world.draft.get_absolute_url()).status_code == 200
    draft_module = client.get(world.draft_module.get_absolute_url())
    assert draft_module.status_code == 200
    assert 'data-testid="module-complete"' not in draft_module.text  # not until published


def test_unknown_slugs_are_404(client, world):
    client.force_login(world.agent_a)
    assert client.get(reverse("resources:resource", args=["inconnu"])).status_code == 404
    assert client.get(reverse("resources:module", args=["inconnu"])).status_code == 404
    assert client.post(reverse("resources:complete", args=["inconnu"])).status_code == 404


# Marking a module done, and undoing it --------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_agents_and_staff_mark_a_module_done_then_undo(client, world, role):
    user = getattr(world, role)
    client.force_login(user)
    complete = reverse("resources:complete", args=[world.module.slug])
    response = client.post(complete, follow=True)
    assert response.redirect_chain[-1][0] == world.module.get_absolute_url()
    assert "marqué comme terminé" in response.text
    assert 'data-testid="module-uncomplete"' in response.text
    client.post(complete)  # twice: still one completion
    assert ModuleCompletion.objects.filter(user=user, module=world.module).count() == 1
    assert "Modules terminés : 1 sur 1" in client.get(reverse("resources:modules")).text

    response = client.post(reverse("resources:uncomplete", args=[world.module.slug]), follow=True)
    assert "remis à faire" in response.text
    assert not ModuleCompletion.objects.filter(user=user).exists()


@pytest.mark.parametrize("route", ["complete", "uncomplete"])
def test_citizens_cannot_write(client, world, route):
    ModuleCompletionFactory(user=world.citizen, module=world.module)  # e.g. a former agent
    client.force_login(world.citizen)
    response = client.post(reverse(f"resources:{route}", args=[world.module.slug]))
    assert response.status_code == 403
    assert ModuleCompletion.objects.filter(user=world.citizen).count() == 1


@pytest.mark.parametrize("route", ["complete", "uncomplete"])
def test_anonymous_cannot_write(client, world, route):
    ModuleCompletionFactory(user=world.agent_a, module=world.module)
    response = client.post(reverse(f"resources:{route}", args=[world.module.slug]))
    assert response.status_code == 302
    assert ModuleCompletion.objects.count() == 1


@pytest.mark.parametrize("route", ["complete", "uncomplete"])
def test_writes_need_post(client, world, route):
    client.force_login(world.agent_a)
    assert client.get(reverse(f"resources:{route}", args=[world.module.slug])).status_code == 405


def test_undo_touches_only_ones_own_completion(client, world):
    ModuleCompletionFactory(user=world.agent_b, module=world.module)
    client.force_login(world.agent_a)
    client.post(reverse("resources:uncomplete", args=[world.module.slug]))
    assert ModuleCompletion.objects.filter(user=world.agent_b).count() == 1


# The managers' completion page ---------------------------------------------------------------


def test_manager_sees_the_share_of_the_organisation_and_below(client, world):
    ModuleCompletionFactory(user=world.agent_a, module=world.module)  # agency below A
    ModuleCompletionFactory(user=world.agent_b, module=world.module)  # B: not counted for A
    client.force_login(world.manager_a)
    response = client.get(reverse("resources:completion"))
    assert response.status_code == 200
    assert response.context["organisation"] == world.direction_a
    assert "2 agents dans" in response.text
    [row] = response.context["rows"]
    assert (row.module, row.completed, row.agents, row.percent) == (world.module, 1, 2, 50)


def test_a_plain_agent_sees_no_completion(client, world):
    """The completion is for managers ("responsable d'équipe"): an agent is refused, for
    their own organisation and above it, and is not offered the link."""
    ModuleCompletionFactory(user=world.agent_a, module=world.module)
    client.force_login(world.agent_a)
    assert client.get(reverse("resources:completion")).status_code == 403
    above = client.get(reverse("resources:completion"), {"organisation": world.direction_a.pk})
    assert above.status_code == 403
    assert 'data-testid="completion-link"' not in client.get(reverse("resources:modules")).text


@pytest.mark.parametrize("role", ["agent_b", "citizen"])
def test_others_cannot_see_a_completion(client, world, role):
    client.force_login(getattr(world, role))
    response = client.get(reverse("resources:completion"), {"organisation": world.direction_a.pk})
    assert response.status_code == 403


def test_citizen_without_organisation_is_refused(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("resources:completion")).status_code == 403


def test_staff_choose_any_organisation(client, world):
    client.force_login(world.staff)
    empty = client.get(reverse("resources:completion"))
    assert empty.status_code == 200
    assert 'name="organisation"' in empty.text and "<select" not in empty.text
    response = client.get(
        reverse("resources:completion"), {"organisation": world.organisation_b.pk}
    )
    assert response.status_code == 200
    assert response.context["organisation"] == world.organisation_b


@pytest.mark.parametrize(("value", "status"), [("abc", 400), ("999999", 404)])
def test_bad_organisation_parameter_is_a_4xx_with_a_message(client, world, value, status):
    client.force_login(world.staff)
    response = client.get(reverse("resources:completion"), {"organisation": value})
    assert response.status_code == status
    if status == 400:
        assert "Choisissez une organisation" in response.text


def test_header_links_to_resources_for_agents_and_staff_only(client, world):
    client.force_login(world.citizen)
    assert 'data-testid="nav-resources"' not in client.get(reverse("ui:home")).text
    for role in ("agent_a", "staff"):
        client.force_login(getattr(world, role))
        assert 'data-testid="nav-resources"' in client.get(reverse("ui:home")).text
