"""Who may see a consultation and take part in it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.permissions import is_agent

from .models import Audience, Consultation, ConsultationQuerySet, PhaseKind


def can_manage_consultations(user: User | AnonymousUser) -> bool:
    """Organisers build consultations in the admin and publish their results."""
    return bool(user.is_authenticated and user.is_staff) and user.has_perm(
        "consultations.change_consultation"
    )


def visible_consultations(user: User | AnonymousUser) -> ConsultationQuerySet:
    qs = Consultation.objects.all()
    return qs if can_manage_consultations(user) else qs.published()


def participation_refusal(
    user: User | AnonymousUser, consultation: Consultation, today: dt.date | None = None
) -> str | None:
    """Why `user` may not contribute to `consultation` today (None: they may)."""
    today = today or timezone.localdate()
    if consultation.published_at is None or consultation.results_published_at is not None:
        return _("Cette consultation n'est pas ouverte.")
    phases = list(consultation.phases.all())
    if not any(p.kind == PhaseKind.PARTICIPATION and p.is_current(today) for p in phases):
        return _("La participation n'est pas ouverte en ce moment.")
    agents_only = consultation.audience == Audience.AGENTS
    if not user.is_authenticated:
        if agents_only:
            return _(
                "Cette consultation est réservée aux agents publics : connectez-vous avec "
                "votre compte agent pour participer."
            )
        return _("Connectez-vous pour participer.")
    if not isinstance(user, User) or not user.has_confirmed_email:
        return _("Confirmez votre adresse électronique pour participer.")
    if agents_only and not is_agent(user):
        return _(
            "Cette consultation est réservée aux agents publics. Vous êtes agent ? "
            "L'administrateur d'Écoute de votre organisation rattache votre compte à votre "
            "service ; vous pourrez alors participer."
        )
    return None


def can_participate(user: User | AnonymousUser, consultation: Consultation) -> bool:
    return participation_refusal(user, consultation) is None
