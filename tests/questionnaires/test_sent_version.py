"""What is public is exactly the last SENT version of each response: the free-text list, the
anonymised CSV / JSON exports and the tallies (results) agree after submit, after edits saved
without sending (pending, never public) and after sending them again; drafts never show."""

import csv
import html
import io
import json
from dataclasses import dataclass

import pytest

from ecoute.questionnaires import actions
from ecoute.questionnaires.models import Response
from ecoute.questionnaires.rules import AnswerInput
from tests.factories import DepartementFactory, UserFactory

from .conftest import Sample, build_sample
from .factories import TextTopicFactory
from .test_answering import section_one, section_two
from .test_results import answer, close, organiser, results_url

pytestmark = pytest.mark.django_db


@dataclass
class Public:
    texts: list[str]  # the free-text list of « Pourquoi ? »
    csv_texts: list[str]  # « Pourquoi ? » texts in reponses.csv
    json_texts: list[str]  # … and in reponses.json
    csv_notes: list[int]  # scale values in reponses.csv
    json_notes: list[int]
    csv_departements: set[str]
    tally_notes: dict[int, int]  # scale value -> count, from resultats.json (the tallies)
    respondents: int


def public(client, sample: Sample) -> Public:  # noqa: ANN001
    """Everything the public reads (an organiser sees it while participation is open)."""
    client.force_login(organiser())
    page = client.get(results_url(sample) + f"questions/{sample.why.pk}/")
    assert page.status_code == 200
    texts = [a.text for a in page.context["page"].items]
    why = 2  # question numbers in the files
    scale = 5
    stream = client.get(sample.url + "reponses.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(stream.streaming_content).decode())))
    stream = client.get(sample.url + "reponses.json")
    items = json.loads(b"".join(stream.streaming_content))["reponses"]
    found = json.loads(client.get(sample.url + "resultats.json").content)
    tally_notes = {
        int(row["reponse"]): row["nombre"]
        for row in found["resultats"]
        if row["question_numero"] == scale and row["reponse"] is not None
    }
    return Public(
        texts=sorted(texts),
        csv_texts=sorted(r["texte"] for r in rows if r["question_numero"] == str(why)),
        json_texts=sorted(r["texte"] for r in items if r["question_numero"] == why),
        csv_notes=sorted(int(r["valeur"]) for r in rows if r["question_numero"] == str(scale)),
        json_notes=sorted(r["valeur"] for r in items if r["question_numero"] == scale),
        csv_departements={r["departement"] for r in rows},
        tally_notes={k: v for k, v in tally_notes.items() if v},
        respondents=found["repondants"],
    )


def assert_public_is(client, sample: Sample, *, texts: list[str], notes: list[int]) -> Public:  # noqa: ANN001
    seen = public(client, sample)
    assert seen.texts == seen.csv_texts == seen.json_texts == sorted(texts)
    assert seen.csv_notes == seen.json_notes == sorted(notes)
    tallied = {note: notes.count(note) for note in set(notes)}
    assert seen.tally_notes == tallied
    assert seen.respondents == len(notes)
    assert actions.tallies_match_responses(sample.questionnaire)
    return seen


def test_edits_are_public_only_once_sent(client, sample):
    DepartementFactory(code="53", name="Mayenne")
    user = UserFactory()
    client.force_login(user)
    client.post(sample.url, section_one(sample, why="Première raison"))
    client.post(sample.url, section_two(sample, note=4))
    assert_public_is(client, sample, texts=["Première raison"], notes=[4])

    # Edit without sending: saved for the participant, not public.
    client.force_login(user)
    saved = client.post(
        sample.url, section_one(sample, why="Raison jamais envoyée", action="brouillon")
    )
    assert saved.status_code == 302
    client.post(sample.url, section_two(sample, note=2, departement="53", action="brouillon"))
    response = Response.objects.get(account=user)
    assert response.has_unsent_changes
    page = html.unescape(client.get(sample.url).content.decode())
    assert "Raison jamais envoyée" in page
    assert "Vos modifications sont enregistrées mais pas envoyées" in page
    assert "Enregistrer sans envoyer" in page
    section = html.unescape(client.get(sample.url + "?section=2").content.decode())
    assert 'value="53" selected' in section
    seen = assert_public_is(client, sample, texts=["Première raison"], notes=[4])
    assert seen.csv_departements == {""}

    # Send them: the public version is replaced, everywhere at once.
    client.force_login(user)
    sent = client.post(sample.url, section_two(sample, note=2, departement="53"))
    assert sent.status_code == 302
    response.refresh_from_db()
    assert not response.has_unsent_changes
    assert response.departement_id == "53"
    seen = assert_public_is(client, sample, texts=["Raison jamais envoyée"], notes=[2])
    assert seen.csv_departements == {"53"}


def test_editing_back_to_the_sent_version_leaves_nothing_to_send(sample):
    user = UserFactory()
    answer(sample, user, text="Une raison", note=3)
    sent = actions.stored_answers(Response.objects.get(account=user))
    changed = {sample.why.pk: AnswerInput(text="Autre chose")}
    actions.save_answers(actor=user, questionnaire=sample.questionnaire, answers=changed)
    assert Response.objects.get(account=user).has_unsent_changes
    back = {sample.why.pk: sent[sample.why.pk]}
    actions.save_answers(actor=user, questionnaire=sample.questionnaire, answers=back)
    assert not Response.objects.get(account=user).has_unsent_changes


def test_an_incomplete_resend_keeps_the_sent_version_and_the_changes(client, sample):
    user = UserFactory()
    answer(sample, user, text="Une raison", note=3)
    incomplete = {sample.why.pk: AnswerInput(), sample.scale.pk: AnswerInput(number=5)}
    actions.save_answers(actor=user, questionnaire=sample.questionnaire, answers=incomplete)
    with pytest.raises(actions.IncompleteResponse):
        actions.submit_response(actor=user, questionnaire=sample.questionnaire)
    response = Response.objects.get(account=user)
    assert response.has_unsent_changes
    assert actions.editable_answers(response)[0][sample.scale.pk].number == 5
    assert_public_is(client, sample, texts=["Une raison"], notes=[3])
    # Answering « Non » hides the missing question: the resend goes through, its text dropped.
    actions.save_answers(
        actor=user,
        questionnaire=sample.questionnaire,
        answers={sample.yes_no.pk: AnswerInput(choice_ids=[sample.no.pk])},
    )
    actions.submit_response(actor=user, questionnaire=sample.questionnaire)
    assert_public_is(client, sample, texts=[], notes=[5])


def test_a_draft_never_appears_publicly(client, sample):
    answer(sample, UserFactory(), text="Envoyée", note=1)
    drafter = UserFactory()
    client.force_login(drafter)
    client.post(sample.url, section_one(sample, why="Brouillon secret", action="brouillon"))
    client.post(sample.url, section_two(sample, note=5, action="brouillon"))
    assert not Response.objects.get(account=drafter).is_submitted
    assert_public_is(client, sample, texts=["Envoyée"], notes=[1])


def test_resending_keeps_the_topics_of_unchanged_answers(sample):
    user = UserFactory()
    answer(sample, user, text="Une raison", note=3)
    topic = TextTopicFactory(question=sample.why)
    response = Response.objects.get(account=user)
    response.answers.filter(question=sample.why).update(topic=topic)
    changed = {sample.scale.pk: AnswerInput(number=1)}
    actions.save_answers(actor=user, questionnaire=sample.questionnaire, answers=changed)
    actions.submit_response(actor=user, questionnaire=sample.questionnaire)
    assert response.answers.get(question=sample.why).topic == topic
    assert response.answers.get(question=sample.scale).number == 1


@pytest.mark.parametrize("respondents", [1, 25])
def test_pending_changes_add_no_query_to_the_public_lists(
    client, django_assert_max_num_queries, respondents
):
    sample = build_sample()
    for n in range(respondents):
        user = UserFactory()
        answer(sample, user, text=f"Raison {n}")
        actions.save_answers(
            actor=user,
            questionnaire=sample.questionnaire,
            answers={sample.why.pk: AnswerInput(text=f"Modifiée {n}")},
        )
    close(sample)  # the same page and limits as test_results' (anonymous, participation over)
    with django_assert_max_num_queries(9):
        page = client.get(results_url(sample) + f"questions/{sample.why.pk}/")
    assert all(a.text.startswith("Raison") for a in page.context["page"].items)
    with django_assert_max_num_queries(12):
        assert client.get(results_url(sample)).status_code == 200
