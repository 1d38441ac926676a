"""Who may answer a questionnaire and who may read its results."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ecoute.accounts.models import User
from ecoute.consultations.models import Consultation, Status
from ecoute.consultations.permissions import (
    can_manage_consultations,
    participation_refusal,
    visible_consultations,
)

from .models import Questionnaire


def get_questionnaire_for_user(
    user: User | AnonymousUser, slug: str, pk: int
) -> Questionnaire | None:
    """The questionnaire `pk` of the consultation `slug`, if `user` may see it (never a
    template; drafts of consultations for their organisers only)."""
    return (
        Questionnaire.objects.filter(
            pk=pk,
            is_template=False,
            consultation__slug=slug,
            consultation__in=visible_consultations(user),
        )
        .select_related("consultation")
        .first()
    )


def answer_refusal(user: User | AnonymousUser, questionnaire: Questionnaire) -> str | None:
    """Why `user` may not answer (or change their answers to) `questionnaire` today."""
    consultation = questionnaire.consultation
    assert consultation is not None  # noqa: S101 - templates are never answered
    return participation_refusal(user, consultation)


def results_are_public(consultation: Consultation) -> bool:
    """Decision: results are public once participation is over (marked « provisoires » until
    the organisers publish them); while it is open they would sway the answers."""
    return consultation.status(timezone.localdate()) in (Status.CLOSED, Status.RESULTS)


def can_see_results(user: User | AnonymousUser, consultation: Consultation) -> bool:
    return results_are_public(consultation) or can_manage_consultations(user)


# Fields that decide how answers are read and counted: once anyone has answered, changing
# them would leave stored answers and tallies meaning something else (texts stay editable).
LOCKED_QUESTION_FIELDS = ("kind", "max_choices", "scale_min", "scale_max")
LOCKED_CHOICE_FIELDS = ("is_other",)


def structure_is_locked(questionnaire_id: int | None) -> bool:
    """A questionnaire with responses (drafts included) keeps its questions, choices and
    sections: none may be deleted, nor change kind, maximum, scale or « Autre » (Decidim locks
    an answered form the same way). New questions and choices may still be added."""
    from .models import Response

    return (
        questionnaire_id is not None
        and Response.objects.filter(questionnaire_id=questionnaire_id).exists()
    )
