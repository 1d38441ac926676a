"""The organiser builds a questionnaire in the admin: the questionnaire and its sections, then
its questions (a multiple choice « 3 réponses maximum »), then each question's choices; bad
input is a form error, never a 500; others are refused."""

import pytest
from django.urls import reverse

from ecoute.questionnaires.models import Choice, Question, QuestionKind, Questionnaire
from tests.factories import UserFactory, staff_with_permissions

from .factories import ConsultationFactory, QuestionFactory, QuestionnaireFactory, SectionFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:questionnaires_questionnaire_add")


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _questionnaire_data(consultation, **overrides) -> dict:
    data = {
        "consultation": consultation.pk,
        "title": "Le service public en 12 questions",
        "introduction": "Douze questions.",
        "order": "0",
        **_management("sections", 2),
        "sections-0-title": "Vous et le service public",
        "sections-0-order": "1",
        "sections-1-title": "Vos démarches",
        "sections-1-order": "2",
        **_management("questions", 0),
    }
    data.update(overrides)
    return data


def _question_form(section, **fields) -> dict:
    data = {
        "section": section.pk,
        "order": "3",
        "kind": QuestionKind.MULTIPLE,
        "text": "Quelles sont pour vous les valeurs les plus importantes du service public ?",
        "help_text": "",
        "required": "on",
        "max_choices": "3",
    }
    data.update(fields)
    return data


def _with_sections(questionnaire) -> dict:
    data = {
        "consultation": questionnaire.consultation_id,
        "title": questionnaire.title,
        "introduction": "",
        "order": "0",
    }
    sections = list(questionnaire.sections.all())
    data.update(_management("sections", len(sections), len(sections)))
    for index, section in enumerate(sections):
        data.update(
            {
                f"sections-{index}-id": section.pk,
                f"sections-{index}-questionnaire": questionnaire.pk,
                f"sections-{index}-title": section.title,
                f"sections-{index}-order": section.order,
            }
        )
    return data


def test_organiser_builds_a_questionnaire_with_sections_questions_and_choices(client, builder):
    consultation = ConsultationFactory(published_at=None)
    client.force_login(builder)

    response = client.post(ADD, _questionnaire_data(consultation))
    assert response.status_code == 302, response.content.decode()[:3000]
    questionnaire = Questionnaire.objects.get()
    assert [s.title for s in questionnaire.sections.all()] == [
        "Vous et le service public",
        "Vos démarches",
    ]

    change = reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk])
    section = questionnaire.sections.first()
    data = _with_sections(questionnaire)
    data.update(_management("questions", 1))
    data.update({f"questions-0-{k}": v for k, v in _question_form(section).items()})
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert question.kind == QuestionKind.MULTIPLE and question.max_choices == 3

    question_change = reverse("admin:questionnaires_question_change", args=[question.pk])
    assert client.get(question_change).status_code == 200
    data = {
        "questionnaire": questionnaire.pk,
        **_question_form(section),
        **_management("choices", 3),
        "choices-0-order": "1",
        "choices-0-label": "L'égalité d'accès",
        "choices-1-order": "2",
        "choices-1-label": "La continuité",
        "choices-2-order": "3",
        "choices-2-label": "Autre",
        "choices-2-is_other": "on",
    }
    response = client.post(question_change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [c.label for c in question.choices.all()] == [
        "L'égalité d'accès",
        "La continuité",
        "Autre",
    ]


def test_max_choices_on_a_single_choice_is_a_form_error(client, builder):
    section = SectionFactory()
    questionnaire = section.questionnaire
    client.force_login(builder)
    change = reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk])
    data = _with_sections(questionnaire)
    data.update(_management("questions", 1))
    fields = _question_form(section, kind=QuestionKind.SINGLE)
    data.update({f"questions-0-{k}": v for k, v in fields.items()})

    response = client.post(change, data)

    assert response.status_code == 200
    assert "Seulement pour une question à choix multiple." in response.content.decode()
    assert not Question.objects.exists()


def test_two_other_choices_are_a_form_error(client, builder):
    question = QuestionFactory(kind=QuestionKind.MULTIPLE)
    client.force_login(builder)
    change = reverse("admin:questionnaires_question_change", args=[question.pk])
    data = {
        "questionnaire": question.questionnaire_id,
        **_question_form(question.section, max_choices=""),
        **_management("choices", 2),
        "choices-0-order": "1",
        "choices-0-label": "Autre",
        "choices-0-is_other": "on",
        "choices-1-order": "2",
        "choices-1-label": "Autre encore",
        "choices-1-is_other": "on",
    }

    response = client.post(change, data)

    assert response.status_code == 200
    assert "Une seule réponse « Autre » par question." in response.content.decode()
    assert not Choice.objects.exists()


def test_a_template_in_a_consultation_is_a_form_error(client, builder):
    consultation = ConsultationFactory()
    client.force_login(builder)

    response = client.post(ADD, _questionnaire_data(consultation, is_template="on"))

    assert response.status_code == 200
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "usager", "moderator"])
def test_non_staff_are_sent_to_the_admin_login(client, role):
    user = {"anonymous": None, "usager": UserFactory(), "moderator": UserFactory(moderator=True)}
    if user[role] is not None:
        client.force_login(user[role])

    response = client.post(ADD, _questionnaire_data(ConsultationFactory()))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Questionnaire.objects.exists()


def test_staff_without_the_permissions_get_403(client):
    questionnaire = QuestionnaireFactory()
    client.force_login(staff_with_permissions("consultations"))

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _questionnaire_data(ConsultationFactory())).status_code == 403
    change = reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk])
    assert client.post(change, _with_sections(questionnaire)).status_code == 403
    assert Questionnaire.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"kind": "echelle", "max_choices": "", "scale_min": "5", "scale_max": "2"},
            "entre 0 et 10",
        ),
        ({"kind": "echelle", "max_choices": "", "scale_min": "", "scale_max": ""}, "entre 0 et 10"),
        ({"kind": "unique", "max_choices": "", "scale_min": "0"}, "Seulement pour une question à"),
        ({"kind": "multiple", "max_choices": "0"}, "Au moins 1."),
        ({"kind": "inconnue"}, "Sélectionnez un choix valide"),
    ],
)
def test_question_rules_are_form_errors(client, builder, fields, message):
    section = SectionFactory()
    questionnaire = section.questionnaire
    client.force_login(builder)
    change = reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk])
    data = _with_sections(questionnaire)
    data.update(_management("questions", 1))
    data.update({f"questions-0-{k}": v for k, v in _question_form(section, **fields).items()})

    response = client.post(change, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()
