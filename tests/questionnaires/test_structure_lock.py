"""Once a questionnaire has responses, its structure keeps the answers' meaning: no section,
question or choice is deleted (in the admin or by a cascade), kinds, maximums, scales and
« Autre » are read only; texts stay editable and new questions are added on their own page;
the questionnaire itself is not deleted from the admin. Without responses, all is editable."""

import pytest
from django.db.models import RestrictedError
from django.urls import reverse

from ecoute.questionnaires import actions
from ecoute.questionnaires.models import Answer, Choice, Question, QuestionKind, Response
from ecoute.questionnaires.permissions import structure_is_locked
from ecoute.questionnaires.rules import AnswerInput
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(sample):
    actions.save_answers(
        actor=UserFactory(),
        questionnaire=sample.questionnaire,
        answers={
            sample.yes_no.pk: AnswerInput(choice_ids=[sample.no.pk]),
            sample.values.pk: AnswerInput(choice_ids=sample.choices(sample.values)[:2]),
        },
    )
    assert structure_is_locked(sample.questionnaire.pk)
    return sample


def _question_post(question: Question, **fields) -> dict:
    choices = list(question.choices.order_by("order"))
    data = {
        "questionnaire": question.questionnaire_id,
        "section": question.section_id,
        "order": question.order,
        "kind": question.kind,
        "text": question.text,
        "help_text": "",
        "required": "on" if question.required else "",
        "max_choices": question.max_choices or "",
        "scale_min": "",
        "scale_max": "",
        "scale_min_label": "",
        "scale_max_label": "",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, choice in enumerate(choices):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-order": choice.order,
                f"choices-{index}-label": choice.label,
                f"choices-{index}-is_other": "on" if choice.is_other else "",
            }
        )
    data.update(fields)
    return data


def test_answered_question_keeps_its_kind_maximum_and_choices(client, builder, answered):
    question = answered.values
    client.force_login(builder)
    url = reverse("admin:questionnaires_question_change", args=[question.pk])
    page = client.get(url).content.decode()
    assert "a déjà des réponses" in page
    assert 'name="kind"' not in page and 'name="max_choices"' not in page
    assert "choices-0-DELETE" not in page

    data = _question_post(question, kind=QuestionKind.SINGLE, max_choices="1", text="Vos valeurs ?")
    data["choices-0-DELETE"] = "on"
    data["choices-0-label"] = "L'égalité d'accès"
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.text == "Vos valeurs ?"  # texts stay editable
    assert (question.kind, question.max_choices) == (QuestionKind.MULTIPLE, 3)
    assert question.choices.count() == 6
    assert question.choices.order_by("order").first().label == "L'égalité d'accès"
    assert Answer.objects.filter(question=question).exists()


def test_answered_questionnaire_cannot_be_deleted_in_the_admin(client, builder, answered):
    client.force_login(builder)
    questionnaire = answered.questionnaire
    delete = reverse("admin:questionnaires_questionnaire_delete", args=[questionnaire.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    question_delete = reverse("admin:questionnaires_question_delete", args=[answered.values.pk])
    assert client.post(question_delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk])
    page = client.get(change).content.decode()
    assert "a déjà des réponses" in page
    assert "sections-0-DELETE" not in page and "questions-0-DELETE" not in page
    assert 'name="consultation"' not in page and 'name="is_template"' not in page
    assert Response.objects.filter(questionnaire=questionnaire).exists()


def test_a_cascade_cannot_delete_answered_choices_or_questions(answered):
    with pytest.raises(RestrictedError):
        Choice.objects.filter(pk=answered.no.pk).delete()
    with pytest.raises(RestrictedError):
        answered.values.section.delete()
    assert Answer.objects.filter(question=answered.values).exists()
    # the whole questionnaire goes with its responses: nothing is left pointing nowhere
    answered.questionnaire.delete()
    assert not Answer.objects.exists() and not Response.objects.exists()


def test_without_responses_everything_is_editable(client, builder, sample):
    question = sample.values
    client.force_login(builder)
    url = reverse("admin:questionnaires_question_change", args=[question.pk])
    page = client.get(url).content.decode()
    assert "a déjà des réponses" not in page
    assert 'name="kind"' in page and "choices-0-DELETE" in page
    data = _question_post(question, kind=QuestionKind.MULTIPLE, max_choices="2")
    data["choices-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.max_choices == 2 and question.choices.count() == 5


def test_the_lock_is_asked_once_per_admin_page(client, builder, answered):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(builder)
    for url in (
        reverse("admin:questionnaires_questionnaire_change", args=[answered.questionnaire.pk]),
        reverse("admin:questionnaires_question_change", args=[answered.values.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        asked = [q for q in queries.captured_queries if '"questionnaires_response"' in q["sql"]]
        assert len(asked) == 1, url
