"""Answer templates through HTTP: list, create, edit, archive and restore; who may do what
(anonymous, usager, agent of the organisation, of a sub-organisation, of another one,
moderator); bad input is a form error; the list's query count does not grow with its rows."""

import pytest
from django.urls import reverse

from ecoute.answering.models import AnswerTemplate, TemplateFamily
from tests.answering.clients import client_for as _as
from tests.factories import (
    AgentMembershipFactory,
    AnswerTemplateFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("answering:template_list")
CREATE = reverse("answering:template_create")


@pytest.fixture
def world():
    """Organisation A with a sub-organisation, organisation B, an agent of each, a moderator."""
    org_a = OrganisationFactory(name="CAF de l'Ain")
    child = OrganisationFactory(name="Agence de Bourg", parent=org_a, network=org_a.network)
    org_b = OrganisationFactory(name="CPAM du Rhône")
    return {
        "org_a": org_a,
        "child": child,
        "org_b": org_b,
        "agent_a": AgentMembershipFactory(organisation=org_a).user,
        "agent_child": AgentMembershipFactory(organisation=child).user,
        "agent_b": AgentMembershipFactory(organisation=org_b).user,
        "moderator": UserFactory(moderator=True),
        "usager": UserFactory(),
        "template_a": AnswerTemplateFactory(organisation=org_a, title="Délai A"),
        "template_b": AnswerTemplateFactory(organisation=org_b, title="Délai B"),
    }


def _data(**overrides: object) -> dict[str, object]:
    return {
        "family": TemplateFamily.RECEPTION,
        "title": "Accueil difficile",
        "body": "Bonjour {pseudonyme}, merci de nous avoir signalé l'accueil reçu le {date}.",
    } | overrides


def test_agent_lists_own_and_parent_templates_never_another_organisation(world):
    page = _as(world["agent_child"]).get(LIST)
    assert page.status_code == 200
    assert "Délai A" in page.text  # the parent's template, usable by its agencies
    assert "Délai B" not in page.text
    assert "Géré par l'organisation" in page.text  # the parent's is not editable from below
    page = _as(world["agent_b"]).get(LIST)
    assert "Délai B" in page.text and "Délai A" not in page.text


@pytest.mark.parametrize("role", ["usager", "moderator"])
def test_non_agents_have_no_template_pages(world, role):
    client = _as(world[role])
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data(organisation=world["org_a"].pk)).status_code == 403
    template = world["template_a"]
    assert client.get(reverse("answering:template_edit", args=[template.pk])).status_code == 404
    assert client.post(reverse("answering:template_archive", args=[template.pk])).status_code == 404


def test_anonymous_is_sent_to_login(world):
    client = _as(None)
    for url in (
        LIST,
        CREATE,
        reverse("answering:template_edit", args=[world["template_a"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/" in response["Location"]
    response = client.post(reverse("answering:template_archive", args=[world["template_a"].pk]))
    assert response.status_code == 302
    assert not AnswerTemplate.objects.filter(is_archived=True).exists()


def test_agent_creates_a_template_for_their_organisation(world):
    response = _as(world["agent_a"]).post(CREATE, _data(organisation=world["org_a"].pk))
    assert response.status_code == 302
    template = AnswerTemplate.objects.get(title="Accueil difficile")
    assert template.organisation == world["org_a"]
    assert template.created_by == world["agent_a"]
    assert _as(world["agent_a"]).get(CREATE).status_code == 200


def test_agent_cannot_create_for_another_organisation(world):
    response = _as(world["agent_a"]).post(CREATE, _data(organisation=world["org_b"].pk))
    assert response.status_code == 400  # not among the form's choices
    assert not AnswerTemplate.objects.filter(title="Accueil difficile").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": "Bonjour {prenom}, merci pour votre retour."}, "Champ inconnu : {prenom}"),
        ({"title": "Délai A"}, "déjà un modèle portant ce titre"),
        ({"family": "inconnue"}, "Sélectionnez un choix valide"),
        ({"body": "court"}, "au moins 10 caractères"),
    ],
)
def test_bad_input_is_a_form_error(world, overrides, message):
    response = _as(world["agent_a"]).post(
        CREATE, _data(organisation=world["org_a"].pk, **overrides)
    )
    assert response.status_code == 400
    assert message in response.text


def test_agent_edits_their_template(world):
    template = world["template_a"]
    url = reverse("answering:template_edit", args=[template.pk])
    assert _as(world["agent_a"]).get(url).status_code == 200
    response = _as(world["agent_a"]).post(url, _data(title="Délai A modifié"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.title == "Délai A modifié"
    assert template.family == TemplateFamily.RECEPTION


@pytest.mark.parametrize(("role", "status"), [("agent_b", 404), ("agent_child", 403)])
def test_other_agents_cannot_edit_or_archive(world, role, status):
    template = world["template_a"]
    client = _as(world[role])
    edit = reverse("answering:template_edit", args=[template.pk])
    assert client.get(edit).status_code == status
    assert client.post(edit, _data(title="Piraté")).status_code == status
    archive = reverse("answering:template_archive", args=[template.pk])
    assert client.post(archive, {"archive": "1"}).status_code == status
    template.refresh_from_db()
    assert template.title == "Délai A" and not template.is_archived


def test_archive_then_restore(world):
    template = world["template_a"]
    client = _as(world["agent_a"])
    url = reverse("answering:template_archive", args=[template.pk])
    assert client.post(url, {"archive": "1"}).status_code == 302
    template.refresh_from_db()
    assert template.is_archived
    assert "Délai A" not in client.get(LIST).text
    assert "Délai A" in client.get(LIST + "?archives=1").text
    assert client.post(url, {"archive": "1"}).status_code == 302  # idempotent
    assert client.post(url, {"archive": "0"}).status_code == 302
    template.refresh_from_db()
    assert not template.is_archived


def test_archive_needs_post(world):
    url = reverse("answering:template_archive", args=[world["template_a"].pk])
    assert _as(world["agent_a"]).get(url).status_code == 405


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_does_not_grow(world, rows, django_assert_max_num_queries):
    AnswerTemplateFactory.create_batch(rows, organisation=world["org_a"])
    client = _as(world["agent_a"])
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.status_code == 200


def test_anonymous_posts_change_nothing(world):
    client = _as(None)
    assert client.post(CREATE, _data(organisation=world["org_a"].pk)).status_code == 302
    edit = reverse("answering:template_edit", args=[world["template_a"].pk])
    assert client.post(edit, _data(title="Anonyme")).status_code == 302
    assert not AnswerTemplate.objects.filter(title__in=["Accueil difficile", "Anonyme"]).exists()


@pytest.mark.parametrize("role", ["agent_b", "agent_child", "moderator", "usager"])
def test_actions_refuse_who_does_not_manage_the_organisation(world, role):
    from django.core.exceptions import PermissionDenied

    from ecoute.answering import actions

    actor = world[role]
    with pytest.raises(PermissionDenied):
        actions.create_answer_template(
            actor=actor, organisation=world["org_a"], **_data(title="Refusé")
        )
    with pytest.raises(PermissionDenied):
        actions.update_answer_template(actor=actor, template=world["template_a"], **_data())
    with pytest.raises(PermissionDenied):
        actions.archive_answer_template(actor=actor, template=world["template_a"])
