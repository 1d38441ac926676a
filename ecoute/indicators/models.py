"""Roll-ups of the eight indicators, and the measurements imported from the services.

`IndicatorRollup` holds, for one indicator × scope × period, the counts a rate is made of
(numerator, denominator) and, for felt indicators, the sum of the ratings: adding rows gives
the rows of any larger scope or period exactly. Pages read these rows only.
See docs/decisions/0017-indicators-and-rollups.md.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import ContactPoint, Organisation

from .definitions import PERFORMANCE, SLUG_CHOICES


class ScopeKind(models.TextChoices):
    CONTACT_POINT = "contact_point", _("point de contact")
    # An organisation's scope includes every organisation below it (its materialised path).
    ORGANISATION = "organisation", _("organisation")
    NETWORK = "network", _("réseau")
    COMMUNE = "commune", _("commune")
    DEPARTEMENT = "departement", _("département")
    REGION = "region", _("région")
    NATION = "nation", _("France entière")


NATION_KEY = "FR"


def semester_start(day: dt.date) -> dt.date:
    """The first day of the semester holding `day` (1 January or 1 July)."""
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


def next_semester(start: dt.date) -> dt.date:
    return dt.date(start.year, 7, 1) if start.month == 1 else dt.date(start.year + 1, 1, 1)


def previous_semester(start: dt.date) -> dt.date:
    return dt.date(start.year - 1, 7, 1) if start.month == 1 else dt.date(start.year, 1, 1)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("mois")
    SEMESTER = "semester", _("semestre")
    YEAR = "year", _("année")


# The finest scopes keep no month rows: no page reads them (a contact point's page adds its
# years, the results pages read semesters) and they were most of the keys a batch writes
# (bench/indicators_rollup.py: contact points and communes about half, then organisations —
# a contact point's organisation and every one above it — 56 % of what was left). Their months
# stay computable from the rows (experiences, measurements). Kept by rollups.expand and
# felt_sql alike.
SCOPES_WITHOUT_MONTHS = frozenset(
    {ScopeKind.CONTACT_POINT.value, ScopeKind.COMMUNE.value, ScopeKind.ORGANISATION.value}
)


def keeps(scope_kind: str, period_kind: str) -> bool:
    """Whether the roll-ups hold rows of this scope kind for this period kind."""
    return not (period_kind == PeriodKind.MONTH and scope_kind in SCOPES_WITHOUT_MONTHS)


class IndicatorRollup(models.Model):
    """Sums and counts of one indicator for one scope and one period (kept by rollups.py).

    `scope_key` is the contact point's, organisation's or network's id, the commune's,
    département's or région's INSEE code, or "FR" for the nation. `period_start` is the first
    day of the month, semester (1 January or 1 July) or year. Contact points and communes
    have no month rows (`keeps`).
    """

    indicator = models.CharField(_("indicateur"), max_length=40, choices=SLUG_CHOICES)
    scope_kind = models.CharField(_("périmètre"), max_length=20, choices=ScopeKind.choices)
    scope_key = models.CharField(_("clé du périmètre"), max_length=20)
    period_kind = models.CharField(_("période"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("début de la période"))
    numerator = models.BigIntegerField(_("numérateur"), default=0)
    denominator = models.BigIntegerField(_("dénominateur"), default=0)
    # Felt indicators: the sum of the ratings (mean = total ÷ denominator); 0 otherwise.
    total = models.BigIntegerField(_("somme des notes"), default=0)

    class Meta:
        verbose_name = _("agrégat d'indicateur")
        verbose_name_plural = _("agrégats d'indicateurs")
        constraints = [
            # Also the index of a scope's page: every indicator and period of one scope.
            models.UniqueConstraint(
                fields=["scope_kind", "scope_key", "period_kind", "period_start", "indicator"],
                name="indicator_rollup_key",
            ),
            models.CheckConstraint(
                condition=models.Q(indicator__in=[slug for slug, _label in SLUG_CHOICES]),
                name="indicator_rollup_indicator_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(scope_kind__in=ScopeKind.values),
                name="indicator_rollup_scope_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(period_kind__in=PeriodKind.values),
                name="indicator_rollup_period_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__gte=0, total__gte=0)
                & models.Q(numerator__lte=models.F("denominator")),
                name="indicator_rollup_counts_valid",
            ),
        ]
        indexes = [
            # An indicator's page: every département (or région…) for one period.
            models.Index(
                fields=["indicator", "scope_kind", "period_kind", "period_start"],
                name="indicator_rollup_by_indicator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.scope_kind}:{self.scope_key} {self.period_start}"


class Measurement(models.Model):
    """The current value of a performance indicator measured by a service for one month, at a
    contact point or an organisation (`manage.py import_indicators`). Every value it has had
    is a `MeasurementRevision`; the roll-ups add the current one."""

    indicator = models.CharField(
        _("indicateur"),
        max_length=40,
        choices=[(i.slug, i.name) for i in PERFORMANCE],
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(_("mois"))
    numerator = models.PositiveBigIntegerField(_("numérateur"))
    denominator = models.PositiveBigIntegerField(_("dénominateur"))
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("mesure importée")
        verbose_name_plural = _("mesures importées")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_point__isnull=True, organisation__isnull=False)
                | models.Q(contact_point__isnull=False, organisation__isnull=True),
                name="measurement_one_place",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__lte=models.F("denominator")),
                name="measurement_numerator_within_denominator",
            ),
            models.CheckConstraint(
                condition=models.Q(indicator__in=[i.slug for i in PERFORMANCE]),
                name="measurement_indicator_performance",
            ),
            models.UniqueConstraint(
                fields=["indicator", "contact_point", "period_start"],
                condition=models.Q(organisation__isnull=True),
                name="measurement_contact_point_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period_start"],
                condition=models.Q(contact_point__isnull=True),
                name="measurement_organisation_unique",
            ),
        ]

    def __str__(self) -> str:
        place = f"point {self.contact_point_id}" if self.contact_point_id else ""
        place = place or f"organisation {self.organisation_id}"
        return f"{self.indicator} {place} {self.period_start:%Y-%m}"


class MeasurementRevision(models.Model):
    """One value a measurement was given by an import (append-only history)."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="revisions")
    numerator = models.PositiveBigIntegerField(_("numérateur"))
    denominator = models.PositiveBigIntegerField(_("dénominateur"))
    source = models.CharField(_("fichier"), max_length=200)
    line = models.PositiveIntegerField(_("ligne"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("importée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version d'une mesure")
        verbose_name_plural = _("versions des mesures")
        ordering = ["measurement", "-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["measurement", "-recorded_at", "-id"], name="measurement_history")
        ]

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator} ({self.recorded_at:%Y-%m-%d})"
