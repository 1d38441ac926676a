"""The actions: feedback (roll-up, masking, moderation), measurements, proposals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ecoute.demarches import actions
from ecoute.demarches.models import (
    Feedback,
    FeedbackComment,
    FeedbackDay,
    Help,
    Indicator,
    ProposalStatus,
    Satisfaction,
    Visibility,
)
from ecoute.moderation import actions as moderation
from ecoute.moderation.masking import EMAIL_MASK, NAME_MASK
from ecoute.moderation.models import MaskedText, ModerationItem, ModerationState
from tests.factories import UserFactory

from .factories import DemarcheFactory, ProposalFactory

pytestmark = pytest.mark.django_db

COMMENT = (
    "Je m'appelle Jeanne Dupont, écrivez-moi à jeanne.dupont@example.org : la page de "
    "paiement expire avant la validation."
)


def test_feedback_counts_at_once_in_the_daily_roll_up():
    demarche = DemarcheFactory()
    actions.submit_feedback(demarche=demarche, satisfaction=Satisfaction.GOOD, clarity=4)
    actions.submit_feedback(demarche=demarche, satisfaction=Satisfaction.MEDIUM, help=Help.REACHED)
    actions.submit_feedback(demarche=demarche, satisfaction=Satisfaction.BAD, help=Help.NOT_REACHED)
    day = FeedbackDay.objects.get(demarche=demarche)
    assert (day.count, day.satisfaction_points) == (3, 15)
    assert (day.clarity_count, day.clarity_sum) == (1, 4)
    assert (day.help_sought, day.help_obtained) == (2, 1)
    assert actions.rebuild_feedback_days() == 1
    rebuilt = FeedbackDay.objects.get(demarche=demarche)
    assert (rebuilt.count, rebuilt.satisfaction_points, rebuilt.help_obtained) == (3, 15, 1)


def test_comment_is_masked_before_storage_and_waits_for_moderation():
    demarche = DemarcheFactory()
    feedback = actions.submit_feedback(
        demarche=demarche, satisfaction=Satisfaction.BAD, comment=COMMENT
    )
    comment = FeedbackComment.objects.get(feedback=feedback)
    assert "jeanne.dupont@example.org" not in comment.text and EMAIL_MASK in comment.text
    assert "Dupont" not in comment.text and NAME_MASK in comment.text
    assert comment.masked_items >= 2
    assert comment.visibility == Visibility.PENDING
    item = ModerationItem.objects.get(kind="avis-demarche", object_id=comment.pk)
    assert item.state == ModerationState.PENDING and item.awaiting
    # The unmasked original is kept for moderators only.
    assert MaskedText.objects.filter(object_id=comment.pk).exists()
    # Nothing about the sender is stored on the feedback.
    assert {f.name for f in Feedback._meta.concrete_fields} == {
        "id",
        "demarche",
        "satisfaction",
        "clarity",
        "help",
        "created_at",
        "source_key",
    }


def test_feedback_without_comment_goes_to_no_queue():
    feedback = actions.submit_feedback(demarche=DemarcheFactory(), satisfaction="bien")
    assert not FeedbackComment.objects.filter(feedback=feedback).exists()
    assert not ModerationItem.objects.exists()


def test_moderator_publishes_then_hides_a_comment():
    moderator = UserFactory(moderator=True)
    feedback = actions.submit_feedback(
        demarche=DemarcheFactory(), satisfaction="moyen", comment="Trop de pièces demandées."
    )
    moderation.publish(actor=moderator, target=feedback.comment)
    feedback.comment.refresh_from_db()
    assert feedback.comment.visibility == Visibility.PUBLISHED
    moderation.hide(actor=moderator, target=feedback.comment, reason="Hors sujet")
    feedback.comment.refresh_from_db()
    assert feedback.comment.visibility == Visibility.HIDDEN


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"satisfaction": "super"}, "satisfaction"),
        ({"satisfaction": "bien", "clarity": 6}, "clarity"),
        ({"satisfaction": "bien", "help": "peut-etre"}, "help"),
        ({"satisfaction": "bien", "comment": "x" * 2001}, "length"),
    ],
)
def test_feedback_refuses_bad_answers(kwargs, code):
    with pytest.raises(ValidationError) as error:
        actions.submit_feedback(demarche=DemarcheFactory(), **kwargs)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("indicator", "raw", "expected"),
    [
        (Indicator.RGAA, "75,5 %", Decimal("75.5")),
        (Indicator.DLNUF, "3", Decimal("3")),
        (Indicator.AVAILABILITY, 99.95, Decimal("99.95")),
    ],
)
def test_measurement_values_are_read_in_french_and_checked(indicator, raw, expected):
    admin = UserFactory(is_staff=True)
    measurement = actions.record_measurement(
        actor=admin,
        demarche=DemarcheFactory(),
        indicator=indicator,
        value=raw,
        measured_on=timezone.localdate(),
        source="Déclaration d'accessibilité",
    )
    assert measurement.value == expected


@pytest.mark.parametrize(
    ("indicator", "raw", "message"),
    [
        ("inconnu", "1", "Indicateur inconnu"),
        (Indicator.RGAA, "101", "Un pourcentage ne dépasse pas 100."),
        (Indicator.DLNUF, "2,5", "nombre entier"),
        (Indicator.HELP, "-1", "nombre positif"),
        (Indicator.HELP, "beaucoup", "Valeur illisible"),
    ],
)
def test_bad_measurements_get_a_french_error(indicator, raw, message):
    with pytest.raises(ValidationError, match=message):
        actions.record_measurement(
            actor=UserFactory(is_staff=True),
            demarche=DemarcheFactory(),
            indicator=indicator,
            value=raw,
            measured_on=timezone.localdate(),
            source="Audit",
        )


def test_one_measurement_per_indicator_and_day_and_none_in_the_future():
    admin, demarche, today = UserFactory(is_staff=True), DemarcheFactory(), timezone.localdate()
    args = {"actor": admin, "demarche": demarche, "indicator": "rgaa", "source": "Audit"}
    actions.record_measurement(value=80, measured_on=today, **args)
    with pytest.raises(ValidationError, match="existe déjà"):
        actions.record_measurement(value=90, measured_on=today, **args)
    with pytest.raises(ValidationError, match="futur"):
        actions.record_measurement(value=90, measured_on=today + dt.timedelta(days=1), **args)


@pytest.mark.parametrize("role", ["usager", "agent", "moderator"])
def test_only_administrators_record_measurements(role):
    user = {
        "usager": UserFactory,
        "agent": lambda: UserFactory(),
        "moderator": lambda: UserFactory(moderator=True),
    }[role]()
    with pytest.raises(PermissionDenied):
        actions.record_measurement(
            actor=user,
            demarche=DemarcheFactory(),
            indicator="rgaa",
            value=80,
            measured_on=timezone.localdate(),
            source="Audit",
        )


def test_proposal_is_masked_moderated_then_accepted_into_a_demarche():
    author = UserFactory()
    proposal = actions.propose_demarche(
        author=author,
        name="Aide au logement",
        url="https://www.caf.fr/logement",
        reason="Mon assistante sociale, Mme Jeanne Dupont, dit que tout le monde s'y perd.",
    )
    assert "Dupont" not in proposal.reason
    assert ModerationItem.objects.get(kind="proposition-demarche").state == "pending"
    admin = UserFactory(is_staff=True)
    demarche = actions.accept_proposal(actor=admin, proposal=proposal, administration="Cnaf")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.demarche == demarche
    assert (demarche.name, demarche.url, demarche.slug) == (
        "Aide au logement",
        "https://www.caf.fr/logement",
        "aide-au-logement",
    )
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        actions.decline_proposal(actor=admin, proposal=proposal, note="Non")


def test_declining_needs_a_reason_and_an_administrator():
    proposal = ProposalFactory()
    with pytest.raises(PermissionDenied):
        actions.decline_proposal(actor=UserFactory(moderator=True), proposal=proposal, note="x")
    with pytest.raises(ValidationError):
        actions.decline_proposal(actor=UserFactory(is_staff=True), proposal=proposal, note=" ")
    actions.decline_proposal(
        actor=UserFactory(is_staff=True), proposal=proposal, note="Hors du périmètre"
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED


@pytest.mark.parametrize(
    ("user_kwargs", "url"),
    [({"unconfirmed": True}, "https://a.gouv.fr"), ({}, "javascript:alert(1)")],
)
def test_proposal_needs_a_confirmed_account_and_a_web_address(user_kwargs, url):
    with pytest.raises((PermissionDenied, ValidationError)):
        actions.propose_demarche(
            author=UserFactory(**user_kwargs), name="Démarche", url=url, reason="Parce que."
        )
