"""Answering a questionnaire through its pages: every role, drafts, resume, validation,
conditional questions, closed phases, resubmission and the tallies."""

import datetime as dt
import html
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoute.consultations.models import Audience, Participation
from ecoute.questionnaires import actions
from ecoute.questionnaires.models import (
    ANSWERED,
    Answer,
    RespondentAudience,
    RespondentTally,
    Response,
    ResponseState,
    Tally,
)
from ecoute.questionnaires.rules import AnswerInput
from tests.factories import AgentMembershipFactory, DepartementFactory, UserFactory

from .conftest import Sample, build_sample
from .factories import QuestionnaireFactory

pytestmark = pytest.mark.django_db


def body(response) -> str:  # noqa: ANN001
    return html.unescape(response.content.decode())


def section_one(
    sample: Sample,
    *,
    yes: bool = True,
    values: int = 2,
    why: str = "Parce que.",
    action: str = "suivant",
) -> dict:
    data = {
        "section": "1",
        "action": action,
        f"q{sample.yes_no.pk}": str((sample.yes if yes else sample.no).pk),
        f"q{sample.why.pk}": why,
    }
    data[f"q{sample.values.pk}"] = [str(pk) for pk in sample.choices(sample.values)[:values]]
    return data


def section_two(
    sample: Sample,
    *,
    note: int = 4,
    action: str = "envoyer",
    ranks=(1, 2, 3),
    departement: str = "",
) -> dict:
    data = {
        "section": "2",
        "action": action,
        f"q{sample.scale.pk}": str(note),
        f"q{sample.short.pk}": "Simplicité",
        "departement": departement,
    }
    for pk, rank in zip(sample.choices(sample.ranking), ranks, strict=False):
        data[f"q{sample.ranking.pk}-rang-{pk}"] = str(rank) if rank else ""
    return data


def tally(sample: Sample, question, choice=None, value=0) -> int:  # noqa: ANN001
    rows = Tally.objects.filter(question=question, value=value)
    rows = rows.filter(choice=choice) if choice else rows.filter(choice__isnull=True)
    return sum(rows.values_list("count", flat=True))


def test_anonymous_sees_the_questions_and_is_asked_to_log_in(client, sample):
    page = client.get(sample.url)
    assert page.status_code == 200
    text = body(page)
    assert "Connectez-vous pour participer." in text
    assert "Section 1 sur 2" in text
    assert "Si vous avez répondu « Oui » à la question 1" in text
    assert "3 réponses maximum" in text
    response = client.post(sample.url, section_one(sample))
    assert response.status_code == 403
    assert "Connectez-vous pour participer." in body(response)
    assert not Response.objects.exists()


def test_draft_is_saved_and_resumed(client, sample):
    user = UserFactory()
    client.force_login(user)
    page = client.post(
        sample.url, section_one(sample, action="brouillon", why="Mon idée"), follow=True
    )
    assert page.status_code == 200
    assert "Brouillon enregistré" in body(page)
    response = Response.objects.get(account=user)
    assert response.state == ResponseState.DRAFT
    assert not Tally.objects.exists()  # a draft counts nowhere
    # Resume later: the answers are there, checked.
    text = body(client.get(sample.url))
    assert f'value="{sample.yes.pk}" checked' in text
    assert "Mon idée" in text
    assert "Brouillon enregistré, non envoyé" in text


def test_full_journey_submits_counts_and_confirms(client, sample):
    user = UserFactory()
    client.force_login(user)
    step = client.post(sample.url, section_one(sample))
    assert step.status_code == 302 and step["Location"].endswith("?section=2")
    assert "Section 2 sur 2" in body(client.get(step["Location"]))
    done = client.post(sample.url, section_two(sample))
    assert done.status_code == 302
    assert done["Location"].endswith("/merci/")
    confirmation = client.get(done["Location"])
    assert confirmation.status_code == 200
    assert "Merci, vos réponses ont été envoyées" in body(confirmation)
    assert "Modifier mes réponses" in body(confirmation)
    response = Response.objects.get(account=user)
    assert response.state == ResponseState.SUBMITTED
    assert response.audience == RespondentAudience.USAGER
    assert Participation.objects.filter(user=user).exists()
    assert tally(sample, sample.yes_no, sample.yes) == 1
    assert tally(sample, sample.scale, value=4) == 1
    assert tally(sample, sample.ranking, sample.ranking.choices.first(), value=1) == 1
    assert tally(sample, sample.values, value=ANSWERED) == 1
    assert actions.tallies_match_responses(sample.questionnaire)


def test_too_many_choices_is_refused_with_a_message(client, sample):
    client.force_login(UserFactory())
    page = client.post(sample.url, section_one(sample, values=4, action="brouillon"))
    assert page.status_code == 400
    assert "3 réponses au maximum : vous en avez coché 4." in body(page)
    # the page title says so first, and which step it is (RGAA 8.6, 11.10)
    title = f"<title>Erreur : {sample.questionnaire.title}, section 1 sur 2 — Écoute</title>"
    assert title in body(page)
    assert not Answer.objects.exists()
    # The action refuses it too, whatever the form.
    user = UserFactory()
    with pytest.raises(ValidationError):
        actions.save_answers(
            actor=user,
            questionnaire=sample.questionnaire,
            answers={sample.values.pk: AnswerInput(choice_ids=sample.choices(sample.values)[:4])},
        )


def test_required_question_and_incomplete_ranking(client, sample):
    client.force_login(UserFactory())
    data = section_one(sample)
    del data[f"q{sample.yes_no.pk}"]
    page = client.post(sample.url, data)
    assert page.status_code == 400
    assert "Répondez à cette question." in body(page)
    client.post(sample.url, section_one(sample))
    page = client.post(sample.url, section_two(sample, ranks=(1, 2, None)))
    assert page.status_code == 400
    assert "Classez tous les choix : 1 reste sans rang." in body(page)
    page = client.post(sample.url, section_two(sample, ranks=(1, 1, 2)))
    assert "Donnez un rang différent à chaque choix." in body(page)


def test_conditional_question_required_only_when_shown_and_dropped_otherwise(client, sample):
    user = UserFactory()
    client.force_login(user)
    # "Oui" without saying why: refused.
    page = client.post(sample.url, section_one(sample, yes=True, why=""))
    assert page.status_code == 400
    # "Non" with a text typed anyway: accepted, and the hidden answer is dropped at submission.
    assert client.post(sample.url, section_one(sample, yes=False, why="ignoré")).status_code == 302
    assert client.post(sample.url, section_two(sample)).status_code == 302
    assert not Answer.objects.filter(question=sample.why).exists()
    assert tally(sample, sample.why, value=ANSWERED) == 0


def test_submit_reports_missing_answers_of_an_earlier_section(client, sample):
    client.force_login(UserFactory())
    page = client.post(sample.url, section_two(sample))  # section 1 never answered
    assert page.status_code == 400
    text = body(page)
    assert "la section 1 est à compléter" in text
    assert "Section 1 sur 2" in text


def test_personal_data_is_masked_before_storage(client, sample):
    client.force_login(UserFactory())
    client.post(
        sample.url,
        section_one(sample, why="Écrivez-moi à jean.dupont@example.org ou au 06 12 34 56 78."),
    )
    text = Answer.objects.get(question=sample.why).text
    assert "jean.dupont@example.org" not in text
    assert "06 12 34 56 78" not in text


def test_resubmission_moves_the_tallies_by_the_difference(client, sample):
    user = UserFactory()
    client.force_login(user)
    client.post(sample.url, section_one(sample, yes=True))
    client.post(sample.url, section_two(sample, note=4, departement=""))
    DepartementFactory(code="53", name="Mayenne")
    # Change the answers: saved, not counted until sent again.
    client.post(sample.url, section_one(sample, yes=False, values=1))
    assert Response.objects.get(account=user).has_unsent_changes
    assert tally(sample, sample.yes_no, sample.yes) == 1
    assert "Vos modifications sont enregistrées mais pas envoyées" in body(client.get(sample.url))
    client.post(sample.url, section_two(sample, note=2, departement="53"))
    assert tally(sample, sample.yes_no, sample.yes) == 0
    assert tally(sample, sample.yes_no, sample.no) == 1
    assert tally(sample, sample.scale, value=4) == 0
    assert tally(sample, sample.scale, value=2) == 1
    assert RespondentTally.objects.get(departement="53").count == 1
    assert RespondentTally.objects.get(departement="").count == 0
    assert actions.tallies_match_responses(sample.questionnaire)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rounds=st.lists(
        st.tuples(st.integers(0, 2), st.booleans(), st.integers(0, 3), st.integers(1, 5)),
        min_size=1,
        max_size=6,
    )
)
def test_tallies_equal_a_fresh_count_after_any_submissions(rounds):
    sample = build_sample()
    users = [UserFactory() for _ in range(3)]
    AgentMembershipFactory(user=users[2])
    for who, yes, values, note in rounds:
        answers = {
            sample.yes_no.pk: AnswerInput(choice_ids=[(sample.yes if yes else sample.no).pk]),
            sample.why.pk: AnswerInput(text="oui" if yes else ""),
            sample.values.pk: AnswerInput(choice_ids=sample.choices(sample.values)[:values]),
            sample.scale.pk: AnswerInput(number=note),
        }
        actions.save_answers(actor=users[who], questionnaire=sample.questionnaire, answers=answers)
        actions.submit_response(actor=users[who], questionnaire=sample.questionnaire)
    assert actions.tallies_match_responses(sample.questionnaire)
    mine = RespondentTally.objects.filter(questionnaire=sample.questionnaire)
    submitted = Response.objects.filter(questionnaire=sample.questionnaire)
    assert sum(mine.values_list("count", flat=True)) == submitted.count()
    for audience, count in Counter(r.audience for r in submitted).items():
        assert sum(mine.filter(audience=audience).values_list("count", flat=True)) == count
    assert tally(sample, sample.scale, value=ANSWERED) == submitted.count()


def test_closed_phase_refuses_with_a_message(client):
    past = timezone.localdate() - dt.timedelta(days=20)
    sample = build_sample(phase=(past, past + dt.timedelta(days=5)))
    user = UserFactory()
    client.force_login(user)
    page = client.get(sample.url)
    assert page.status_code == 200
    assert "La participation n'est pas ouverte en ce moment." in body(page)
    refused = client.post(sample.url, section_one(sample))
    assert refused.status_code == 403
    assert "La participation n'est pas ouverte en ce moment." in body(refused)
    with pytest.raises(PermissionDenied):
        actions.submit_response(actor=user, questionnaire=sample.questionnaire)


def test_agents_consultation_refuses_usagers_and_counts_agents(client):
    sample = build_sample(audience=Audience.AGENTS)
    client.force_login(UserFactory())
    refused = client.post(sample.url, section_one(sample))
    assert refused.status_code == 403
    assert "réservée aux agents publics" in body(refused)
    agent = AgentMembershipFactory().user
    client.force_login(agent)
    client.post(sample.url, section_one(sample))
    assert client.post(sample.url, section_two(sample)).status_code == 302
    assert Response.objects.get(account=agent).audience == RespondentAudience.AGENT
    assert RespondentTally.objects.get(audience=RespondentAudience.AGENT).count == 1


def test_unconfirmed_account_is_refused(client, sample):
    client.force_login(UserFactory(unconfirmed=True))
    assert client.post(sample.url, section_one(sample)).status_code == 403


def test_bad_input_gives_errors_not_500(client, sample):
    client.force_login(UserFactory())
    data = section_one(sample, action="brouillon")
    data[f"q{sample.yes_no.pk}"] = "not-a-number"
    assert client.post(sample.url, data).status_code == 400
    data = section_two(sample, action="brouillon", departement="999")
    assert client.post(sample.url, data).status_code == 400
    data = section_two(sample, action="brouillon")
    data[f"q{sample.scale.pk}"] = "9"
    assert client.post(sample.url, data).status_code == 400
    assert client.get(sample.url + "?section=abc").status_code == 200
    assert client.get(sample.url + "?section=99").status_code == 200


def test_unknown_or_draft_consultation_is_404(client, sample):
    assert client.get("/consultations/nope/questionnaires/1/").status_code == 404
    draft = build_sample(published_at=None)
    assert client.get(draft.url).status_code == 404


def test_confirmation_needs_a_submitted_response(client, sample):
    confirmation = sample.url + "merci/"
    assert client.get(confirmation).status_code == 302
    client.force_login(UserFactory())
    assert client.get(confirmation).status_code == 404


def test_breadcrumb_goes_through_the_consultations(client):
    questionnaire = QuestionnaireFactory()
    consultation = questionnaire.consultation

    html = client.get(
        f"/consultations/{consultation.slug}/questionnaires/{questionnaire.pk}/"
    ).content.decode()

    crumbs = html[html.index("fr-breadcrumb__list") : html.index("</ol>")]
    assert reverse("consultations:list") in crumbs
    assert crumbs.index(">Consultations<") < crumbs.index(consultation.title)
    assert crumbs.index(consultation.title) < crumbs.index(questionnaire.title)
