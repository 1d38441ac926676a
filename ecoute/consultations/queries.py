"""Reading consultations: the filters shared by the list, the agenda and the feeds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Audience, Consultation, Participation, Status

# "Ouvertes aux usagers" includes those open to everyone, and so for agents.
AUDIENCE_FILTERS = {
    Audience.USAGERS.value: [Audience.USAGERS, Audience.ALL],
    Audience.AGENTS.value: [Audience.AGENTS, Audience.ALL],
}


@dataclass(frozen=True)
class ConsultationFilters:
    """What a visitor asked for, as plain values (the agenda's sources read them too)."""

    theme: str | None = None  # Theme.slug
    departement: str | None = None  # Departement.code
    audience: str | None = None  # a key of AUDIENCE_FILTERS
    status: str | None = None  # a Status value

    def condition(self, prefix: str = "", today: dt.date | None = None) -> Q:
        """The filters on Consultation, or on a model reaching it through `prefix`
        ("consultation__")."""
        found = Q()
        if self.theme:
            found &= Q(**{f"{prefix}theme__slug": self.theme})
        if self.departement:
            # A national consultation concerns every département; a subquery keeps one row
            # per consultation (a join on departements would repeat national ones).
            in_departement = Consultation.departements.through.objects.filter(
                departement__code=self.departement
            ).values("consultation_id")
            found &= Q(**{f"{prefix}is_national": True}) | Q(**{f"{prefix}pk__in": in_departement})
        if self.audience in AUDIENCE_FILTERS:
            found &= Q(**{f"{prefix}audience__in": AUDIENCE_FILTERS[self.audience]})
        if self.status:
            found &= status_condition(self.status, prefix=prefix, today=today)
        return found


def status_condition(status: str, *, prefix: str = "", today: dt.date | None = None) -> Q:
    """Consultations in `status` as a column condition (see `Consultation.status`)."""
    today = today or timezone.localdate()

    def q(**lookups: object) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    if status == Status.DRAFT:
        return q(published_at__isnull=True)
    published = q(published_at__isnull=False)
    if status == Status.RESULTS:
        return published & q(results_published_at__isnull=False)
    waiting = published & q(results_published_at__isnull=True)
    if status == Status.UPCOMING:
        return waiting & (q(opens_on__gt=today) | q(opens_on__isnull=True))
    if status == Status.OPEN:
        return waiting & q(opens_on__lte=today, closes_on__gte=today)
    if status == Status.CLOSED:
        return waiting & q(closes_on__lt=today)
    return Q(pk__in=[])


def for_list(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """What a consultation's card shows, in a fixed number of queries."""
    return queryset.select_related("theme", "organiser").prefetch_related("departements")


def participant_count(consultation: Consultation) -> int:
    return Participation.objects.filter(consultation=consultation).count()
