"""Results (from the tallies), free texts, downloads with their Table Schemas, the parts
registry and the admin."""

import csv
import datetime as dt
import html
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from frictionless import Resource, Schema, validate

from ecoute.consultations.parts import parts_of
from ecoute.questionnaires import actions
from ecoute.questionnaires.models import Questionnaire
from ecoute.questionnaires.rules import AnswerInput
from tests.factories import AgentMembershipFactory, DepartementFactory, UserFactory

from .conftest import Sample, build_sample

pytestmark = pytest.mark.django_db


def body(response) -> str:  # noqa: ANN001
    return html.unescape(response.content.decode())


def answer(
    sample: Sample,
    user,
    *,
    yes: bool = True,
    note: int = 3,
    text: str = "",  # noqa: ANN001
    departement=None,
) -> None:  # noqa: ANN001
    actions.save_answers(
        actor=user,
        questionnaire=sample.questionnaire,
        answers={
            sample.yes_no.pk: AnswerInput(choice_ids=[(sample.yes if yes else sample.no).pk]),
            sample.why.pk: AnswerInput(text=text or ("Une raison" if yes else "")),
            sample.values.pk: AnswerInput(
                choice_ids=sample.choices(sample.values)[-2:], text="Mon autre valeur"
            ),
            sample.ranking.pk: AnswerInput(
                ranks=dict(zip(sample.choices(sample.ranking), [2, 1, 3], strict=True))
            ),
            sample.scale.pk: AnswerInput(number=note),
        },
        departement=departement,
        set_departement=True,
    )
    actions.submit_response(actor=user, questionnaire=sample.questionnaire)


def close(sample: Sample, *, publish: bool = False) -> None:
    consultation = sample.questionnaire.consultation
    past = timezone.localdate() - dt.timedelta(days=3)
    consultation.phases.update(starts_on=past - dt.timedelta(days=10), ends_on=past)
    actions_refresh(consultation)
    if publish:
        consultation.results_published_at = timezone.now()
        consultation.save()


def actions_refresh(consultation) -> None:  # noqa: ANN001
    from ecoute.consultations.actions import refresh_dates

    refresh_dates(consultation=consultation)


def organiser():  # noqa: ANN201
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_consultation"))
    return user


def results_url(sample: Sample) -> str:
    return sample.url + "resultats/"


def test_results_hidden_while_open_except_for_organisers(client, sample):
    answer(sample, UserFactory())
    assert client.get(results_url(sample)).status_code == 403
    client.force_login(UserFactory())
    refused = client.get(results_url(sample))
    assert refused.status_code == 403
    assert "Les résultats seront publiés à la fin de la participation." in body(refused)
    client.force_login(organiser())
    page = client.get(results_url(sample))
    assert page.status_code == 200
    assert "Résultats provisoires" in body(page)


def test_results_after_closing_then_published(client, sample):
    for n in range(3):
        answer(sample, UserFactory(), yes=n < 2, note=n + 1)
    AgentMembershipFactory(user=(agent := UserFactory()))
    answer(sample, agent, yes=False, note=5, departement=DepartementFactory(code="53"))
    close(sample)
    page = client.get(results_url(sample))
    assert page.status_code == 200
    text = body(page)
    assert "Résultats provisoires" in text
    assert "4 personnes ont répondu" in text
    assert "50,0\u00a0%" in text  # 2 "Oui" out of 4
    assert "Moyenne : 2,8" in text  # (1 + 2 + 3 + 5) / 4
    assert "Rang moyen" in text
    # Filters from the tallies.
    agents = body(client.get(results_url(sample) + "?public=agent"))
    assert "1 personne a répondu" in agents
    assert "100,0\u00a0%" in agents
    by_departement = body(client.get(results_url(sample) + "?departement=53"))
    assert "1 personne a répondu" in by_departement
    assert body(client.get(results_url(sample) + "?public=nope&departement=%3Cx%3E"))
    close(sample, publish=True)
    assert "Résultats provisoires" not in body(client.get(results_url(sample)))
    # A chart's data as CSV.
    chart_csv = client.get(results_url(sample) + "?csv=question-1")
    assert chart_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(chart_csv.content.decode())))
    assert rows[0] == ["reponse", "nombre", "part_pourcent"]
    assert rows[1][:2] == ["Oui", "2"]


@pytest.mark.parametrize("respondents", [1, 25])
def test_results_page_queries_do_not_grow(client, django_assert_max_num_queries, respondents):
    sample = build_sample()
    for n in range(respondents):
        answer(sample, UserFactory(), yes=n % 2 == 0, note=1 + n % 5)
    close(sample)
    with django_assert_max_num_queries(12):
        assert client.get(results_url(sample)).status_code == 200


@pytest.mark.parametrize("respondents", [1, 25])
def test_free_texts_list_queries_do_not_grow(client, django_assert_max_num_queries, respondents):
    sample = build_sample()
    for n in range(respondents):
        answer(sample, UserFactory(), text=f"Raison numéro {n}")
    close(sample)
    url = results_url(sample) + f"questions/{sample.why.pk}/"
    with django_assert_max_num_queries(9):
        page = client.get(url)
    assert page.status_code == 200
    assert body(page).count('data-testid="text"') == min(respondents, 20)


def test_free_texts_are_paginated_by_key_and_filtered_by_topic(client):
    sample = build_sample()
    words = ["horaires accueil guichet fermé", "site internet panne connexion"]
    for n in range(26):
        answer(sample, UserFactory(), text=f"{words[n % 2]} {n}")
    close(sample)
    assert actions.compute_question_topics(question=sample.why, n_topics=2) == 2
    url = results_url(sample) + f"questions/{sample.why.pk}/"
    first = client.get(url)
    assert 'data-testid="next-page"' in body(first)
    cursor = first.context["page"].next_cursor
    second = client.get(url, {"apres": cursor})
    assert body(second).count('data-testid="text"') == 6
    topic = sample.why.topics.first()
    filtered = client.get(url, {"theme": topic.number})
    assert filtered.status_code == 200
    assert all(a.topic_id == topic.pk for a in filtered.context["page"].items)
    assert client.get(url, {"apres": "garbage", "theme": "x"}).status_code == 200
    assert topic.label in body(client.get(results_url(sample)))


def test_downloads_are_valid_against_their_table_schemas(client, tmp_path):
    sample = build_sample()
    for n in range(3):
        answer(sample, UserFactory(username=f"pseudo-secret-{n}"), text="Mail: a.b@example.org")
    close(sample, publish=True)
    base = sample.url
    for name in ("resultats", "reponses"):
        schema_response = client.get(f"{base}{name}.schema.json")
        assert schema_response.status_code == 200
        schema = Schema.from_descriptor(json.loads(schema_response.content))
        csv_response = client.get(f"{base}{name}.csv")
        assert csv_response.status_code == 200
        content = (
            b"".join(csv_response.streaming_content)
            if csv_response.streaming
            else (csv_response.content)
        )
        path = tmp_path / f"{name}.csv"
        path.write_bytes(content)
        report = validate(Resource(path=path.name, basepath=str(tmp_path), schema=schema))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        text = content.decode()
        assert "pseudo-secret" not in text
        assert "a.b@example.org" not in text
    results_json = json.loads(client.get(f"{base}resultats.json").content)
    assert results_json["repondants"] == 3
    assert results_json["resultats"][0]["question_numero"] == 1
    responses = client.get(f"{base}reponses.json")
    data = json.loads(b"".join(responses.streaming_content))
    assert {row["reponse"] for row in data["reponses"]} == {1, 2, 3}
    # The JSON rows hold the same fields as the CSV: valid against the same schemas.
    for name, rows in (("resultats", results_json["resultats"]), ("reponses", data["reponses"])):
        schema = Schema.from_descriptor(json.loads(client.get(f"{base}{name}.schema.json").content))
        columns = [field.name for field in schema.fields]
        table = [columns] + [[row[c] for c in columns] for row in rows]
        report = validate(Resource(data=table, schema=schema))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert all("pseudo" not in json.dumps(row) for row in data["reponses"])
    assert client.get(f"{base}inconnu.csv").status_code == 404


def test_parts_registry_lists_the_questionnaire(sample):
    answer(sample, UserFactory())
    parts = parts_of(sample.questionnaire.consultation)
    assert [p.title for p in parts] == [sample.questionnaire.title]
    assert parts[0].contributions == 1
    assert parts[0].results_url == ""  # open: results not public
    close(sample)
    assert parts_of(sample.questionnaire.consultation)[0].results_url.endswith("/resultats/")


def test_admin_pages_and_template_copy(client, sample):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    answer(sample, UserFactory())
    template = Questionnaire.objects.create(title="Modèle", is_template=True)
    for url in (
        "/admin/questionnaires/questionnaire/",
        f"/admin/questionnaires/questionnaire/{sample.questionnaire.pk}/change/",
        f"/admin/questionnaires/question/{sample.values.pk}/change/",
        "/admin/questionnaires/response/",
    ):
        assert client.get(url).status_code == 200, url
    response_pk = sample.questionnaire.responses.get().pk
    assert client.get(f"/admin/questionnaires/response/{response_pk}/change/").status_code == 200
    # Copy a template (with its conditional question) into a consultation.
    sample.questionnaire.is_template = True
    sample.questionnaire.consultation = None
    Questionnaire.objects.filter(pk=sample.questionnaire.pk).update(
        is_template=True, consultation=None
    )
    target = build_sample().questionnaire.consultation
    page = client.post(
        "/admin/questionnaires/questionnaire/",
        {"action": "copy_template_action", "_selected_action": [sample.questionnaire.pk]},
    )
    assert page.status_code == 200
    assert "Créer un questionnaire depuis ce modèle" in body(page)
    client.post(
        "/admin/questionnaires/questionnaire/",
        {
            "action": "copy_template_action",
            "_selected_action": [sample.questionnaire.pk, template.pk],
            "consultation": target.pk,
            "apply": "1",
        },
    )
    copies = Questionnaire.objects.filter(consultation=target).exclude(
        pk__in=target.questionnaires.order_by("id").values("pk")[:1]
    )
    copy = copies.get(title=sample.questionnaire.title)
    assert copy.questions.count() == 6
    why = copy.questions.get(text="Pourquoi ?")
    assert why.condition_question.questionnaire == copy
    assert [c.label for c in why.condition_choices.all()] == ["Oui"]


def test_only_organisers_copy_templates(sample):
    from django.core.exceptions import PermissionDenied

    template = Questionnaire.objects.create(title="Modèle", is_template=True)
    with pytest.raises(PermissionDenied):
        actions.copy_template(
            actor=UserFactory(), template=template, consultation=sample.questionnaire.consultation
        )
    copy = actions.copy_template(
        actor=organiser(), template=template, consultation=sample.questionnaire.consultation
    )
    assert copy.consultation == sample.questionnaire.consultation


def test_question_checks_its_section_and_condition(sample):
    from django.core.exceptions import ValidationError

    other = build_sample()
    sample.why.section = other.yes_no.section
    sample.why.condition_question = other.yes_no
    with pytest.raises(ValidationError) as error:
        sample.why.full_clean()
    assert set(error.value.message_dict) >= {"section", "condition_question"}
    sample.yes_no.condition_question = sample.yes_no
    with pytest.raises(ValidationError):
        sample.yes_no.full_clean()
