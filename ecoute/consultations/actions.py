"""Every change to a consultation, its phases and its participants."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User

from .models import Consultation, Participation, PhaseKind
from .permissions import can_manage_consultations


def refresh_dates(*, consultation: Consultation) -> None:
    """Copy the first and last day of the participation phases onto the consultation."""
    dates = consultation.phases.filter(kind=PhaseKind.PARTICIPATION).aggregate(
        opens_on=Min("starts_on"), closes_on=Max("ends_on")
    )
    consultation.opens_on = dates["opens_on"]
    consultation.closes_on = dates["closes_on"]
    consultation.save(update_fields=["opens_on", "closes_on", "updated_at"])


@transaction.atomic
def publish_consultation(*, actor: User, consultation: Consultation) -> None:
    if not can_manage_consultations(actor):
        raise PermissionDenied(_("Réservé aux organisateurs."))
    if not consultation.phases.filter(kind=PhaseKind.PARTICIPATION).exists():
        raise ValidationError(
            _("Ajoutez au moins une phase de participation avant de publier."), code="no_phase"
        )
    if not consultation.is_national and not consultation.departements.exists():
        raise ValidationError(
            _("Une consultation territoriale doit indiquer ses départements."),
            code="no_territory",
        )
    refresh_dates(consultation=consultation)
    if consultation.published_at is None:
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["published_at", "updated_at"])


@transaction.atomic
def publish_results(*, actor: User, consultation: Consultation, synthesis: str) -> None:
    if not can_manage_consultations(actor):
        raise PermissionDenied(_("Réservé aux organisateurs."))
    if consultation.published_at is None:
        raise ValidationError(_("Publiez d'abord la consultation."), code="draft")
    if consultation.closes_on is None or consultation.closes_on >= timezone.localdate():
        raise ValidationError(
            _("Les résultats se publient une fois la participation terminée."), code="still_open"
        )
    consultation.synthesis = synthesis.strip()
    consultation.results_published_at = consultation.results_published_at or timezone.now()
    consultation.save(update_fields=["synthesis", "results_published_at", "updated_at"])


def record_participation(*, user: User, consultation: Consultation) -> Participation:
    """Called by the apps that take contributions: the account is now a participant."""
    participation, _created = Participation.objects.get_or_create(
        consultation=consultation, user=user
    )
    return participation


def set_listed(*, user: User, consultation: Consultation, listed: bool) -> None:
    """A participant shows or hides their pseudonym on the public list (still counted)."""
    Participation.objects.filter(consultation=consultation, user=user).update(is_listed=listed)
