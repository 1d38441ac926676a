"""The answer-writing page: start from a template (fields filled) or from an answer already
given to a similar experience, then preview and publish through the experiences app; who may
open it; nothing is published from it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoute.experiences.models import Answer
from tests.answering.clients import client_for as _as
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    AnswerTemplateFactory,
    ContactPointFactory,
    ExperienceFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    parent = OrganisationFactory(name="CAF de l'Ain")
    agency = OrganisationFactory(name="Agence de Bourg", parent=parent, network=parent.network)
    point = ContactPointFactory(organisation=agency, name="Accueil de Bourg")
    experience = ExperienceFactory(
        contact_point=point,
        published=True,
        author__username="Camille01",
        occurred_on=dt.date(2026, 3, 5),
        title="Dossier de prime d'activité bloqué",
        body="Mon dossier de prime d'activité est bloqué depuis trois mois, aucun versement.",
    )
    similar = ExperienceFactory(
        contact_point=ContactPointFactory(organisation=agency),
        published=True,
        title="Prime d'activité en attente",
        body="Ma prime d'activité est bloquée, dossier en attente depuis deux mois.",
    )
    given = AnswerFactory(
        experience=similar,
        organisation=agency,
        body="Votre dossier de prime d'activité a été débloqué après vérification.",
    )
    return {
        "experience": experience,
        "agency": agency,
        "parent": parent,
        "given": given,
        "agent": AgentMembershipFactory(organisation=agency).user,
        "template": AnswerTemplateFactory(
            organisation=parent,
            title="Délai de traitement",
            body="Bonjour {pseudonyme}, votre démarche du {date} auprès de {service} "
            "est en cours ({organisation}).",
        ),
        "other_template": AnswerTemplateFactory(title="Modèle d'une autre organisation"),
        "archived": AnswerTemplateFactory(organisation=agency, title="Ancien", archived=True),
    }


def _url(experience, **query: object) -> str:
    url = reverse("answering:compose", args=[experience.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_experience_page_links_to_the_writing_page_for_agents_only(case):
    detail = case["experience"].get_absolute_url()
    assert _url(case["experience"]) in _as(case["agent"]).get(detail).text
    assert _url(case["experience"]) not in _as(UserFactory()).get(detail).text


def test_page_shows_templates_and_suggestions_side_by_side(case):
    page = _as(case["agent"]).get(_url(case["experience"]))
    assert page.status_code == 200
    assert "Délai de traitement" in page.text  # the parent organisation's template
    assert "Modèle d'une autre organisation" not in page.text
    assert "Ancien" not in page.text  # archived
    assert f'data-testid="suggestion-{case["given"].pk}"' in page.text
    assert "débloqué après vérification" in page.text
    assert "Prime d&#x27;activité en attente" in page.text  # the similar experience itself


def test_using_a_template_fills_its_fields(case):
    page = _as(case["agent"]).get(_url(case["experience"], modele=case["template"].pk))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["body"] == (
        "Bonjour Camille01, votre démarche du 5 mars 2026 auprès de Accueil de Bourg "
        "est en cours (Agence de Bourg)."
    )
    assert not Answer.objects.filter(experience=case["experience"]).exists()  # nothing published


def test_using_a_suggestion_starts_from_its_text(case):
    page = _as(case["agent"]).get(_url(case["experience"], suggestion=case["given"].pk))
    assert page.context["form"].initial["body"] == case["given"].body
    assert "Texte de départ" in page.text


def test_then_preview_and_publish_through_the_experiences_app(case):
    client = _as(case["agent"])
    page = client.get(_url(case["experience"], modele=case["template"].pk))
    data = {
        "body": page.context["form"].initial["body"] + " Nous vous recontactons.",
        "jeton": page.context["form"].initial["jeton"],
        "complement": "",
    }
    answer_url = reverse("experiences:answer", args=[case["experience"].pk])
    preview = client.post(answer_url, data | {"etape": "apercu"})
    assert preview.status_code == 200 and "Nous vous recontactons" in preview.text
    assert not Answer.objects.filter(experience=case["experience"]).exists()
    published = client.post(answer_url, data | {"etape": "publier"})
    assert published.status_code == 302
    answer = Answer.objects.get(experience=case["experience"])
    assert answer.body.startswith("Bonjour Camille01") and answer.organisation == case["agency"]


@pytest.mark.parametrize("query", [{"modele": "abc"}, {"suggestion": "-3"}])
def test_bad_choice_is_a_400_with_a_message(case, query):
    page = _as(case["agent"]).get(_url(case["experience"], **query))
    assert page.status_code == 400
    assert "pas valable" in page.text


def test_another_organisations_template_or_a_hidden_answer_is_not_found(case):
    client = _as(case["agent"])
    assert client.get(_url(case["experience"], modele=case["other_template"].pk)).status_code == 404
    assert client.get(_url(case["experience"], modele=case["archived"].pk)).status_code == 404
    Answer.objects.filter(pk=case["given"].pk).update(hidden_reason="x", hidden_at=timezone.now())
    assert client.get(_url(case["experience"], suggestion=case["given"].pk)).status_code == 404


def test_who_may_open_the_page(case):
    url = _url(case["experience"])
    assert _as(None).get(url).status_code == 302  # to the login page
    assert _as(UserFactory()).get(url).status_code == 403
    assert _as(UserFactory(moderator=True)).get(url).status_code == 403
    other = AgentMembershipFactory(organisation=OrganisationFactory()).user
    assert _as(other).get(url).status_code == 403
    parent_agent = AgentMembershipFactory(organisation=case["parent"]).user
    assert _as(parent_agent).get(url).status_code == 200  # answers for the agencies below
    assert _as(case["agent"]).post(url).status_code == 405
    missing = reverse("answering:compose", args=[999999])
    assert _as(case["agent"]).get(missing).status_code == 404


def test_unpublished_experience_cannot_be_answered(case):
    pending = ExperienceFactory(contact_point=case["experience"].contact_point)
    assert _as(case["agent"]).get(_url(pending)).status_code == 403


def test_page_query_count_does_not_grow_with_templates(case, django_assert_max_num_queries):
    client = _as(case["agent"])
    client.get(_url(case["experience"]))  # builds the bounded index once
    AnswerTemplateFactory.create_batch(20, organisation=case["agency"])
    with django_assert_max_num_queries(16):
        assert client.get(_url(case["experience"])).status_code == 200
