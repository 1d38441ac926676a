"""Official answers to proposals: the author is e-mailed once the answer is stored, again when
it changes, never for a save that changes nothing, and never when there is nobody to tell."""

import pytest
from django.core import mail
from django.urls import reverse

from ecoute.debates import actions
from ecoute.debates.models import AnswerStatus
from tests.factories import UserFactory

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(organiser, django_capture_on_commit_callbacks):
    def give(contribution, status=AnswerStatus.STUDYING, text="Nous l'étudions avec la DGAFP."):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.answer_contribution(
                actor=organiser, contribution=contribution, status=status, answer=text
            )

    return give


def test_author_is_told_with_the_status_and_a_link(answer, contribution):
    answer(contribution)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contribution.author.email]
    assert message.subject == "Votre proposition a reçu une réponse officielle sur Écoute"
    assert f"« {contribution.title} »" in message.body
    assert contribution.section.consultation.title in message.body
    assert "Suite donnée : À l'étude" in message.body
    assert contribution.get_absolute_url() in message.body


def test_a_changed_answer_is_sent_again_an_unchanged_one_is_not(answer, contribution):
    answer(contribution)
    answer(contribution)  # the same status and text: nothing new to tell
    assert len(mail.outbox) == 1
    answer(contribution, status=AnswerStatus.ACCEPTED)
    assert len(mail.outbox) == 2
    assert "Suite donnée : Retenue" in mail.outbox[1].body


@pytest.mark.parametrize(
    "contribution_kwargs",
    [
        {"author": None},
        {"by_organiser": True},
        {"hidden": True},
        {"author__unconfirmed": True},
        {"author__is_active": False},
    ],
    ids=["imported", "organiser", "hidden", "unconfirmed", "inactive"],
)
def test_nobody_to_tell(answer, section, contribution_kwargs):
    contribution = ContributionFactory(section=section, **contribution_kwargs)
    answer(contribution)
    assert mail.outbox == []
    contribution.refresh_from_db()
    assert contribution.answer_status == AnswerStatus.STUDYING  # the answer itself is stored


def test_a_refused_answer_sends_nothing(client, answer, contribution):
    participant = UserFactory()
    with pytest.raises(Exception, match="organisateurs"):
        actions.answer_contribution(
            actor=participant, contribution=contribution, status="retenue", answer="Oui."
        )
    assert mail.outbox == []


def test_answering_in_the_admin_emails_the_author_once(
    client, organiser, contribution, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    url = reverse("admin:debates_contribution_change", args=[contribution.pk])
    data = {"answer_status": AnswerStatus.REJECTED, "answer": "Hors du champ du débat."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == 1
    assert "Suite donnée : Non retenue" in mail.outbox[0].body
