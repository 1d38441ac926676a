"""Reading the roll-ups for the pages: a bounded number of queries, whatever the data.

`IndicatorValue` is one indicator for one scope and period: its rate (numerator ÷
denominator), its mean out of 5 for felt ones, and whether its sample is large enough to be
published (settings.ECOUTE_INDICATOR_MIN_SAMPLE).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import ContactPoint
from ecoute.experiences.sections import Section

from .definitions import FELT, INDICATORS, Indicator
from .models import NATION_KEY, IndicatorRollup, PeriodKind, ScopeKind

# Semesters shown on a results page (the newest first), so a page reads a bounded number of rows.
SEMESTERS_SHOWN = 4


class RateOfCounts:
    """The rate and mean of an indicator's counts (`indicator`, `numerator`, `denominator`,
    `total`), published only when `sufficient`: a live value here, a frozen one in a barometer
    edition (barometre.queries.EditionValue)."""

    indicator: Indicator
    numerator: int
    denominator: int
    total: int

    @property
    def sufficient(self) -> bool:
        raise NotImplementedError

    @property
    def rate(self) -> float | None:
        """Percentage, None below the minimum sample."""
        return 100 * self.numerator / self.denominator if self.sufficient else None

    @property
    def mean(self) -> float | None:
        """Felt indicators: mean out of 5, None below the minimum sample."""
        if not self.indicator.is_felt or not self.sufficient:
            return None
        return self.total / self.denominator


@dataclass(frozen=True)
class IndicatorValue(RateOfCounts):
    indicator: Indicator
    numerator: int = 0
    denominator: int = 0
    total: int = 0

    @property
    def sufficient(self) -> bool:
        return self.denominator >= self.indicator.minimum_sample and self.denominator > 0


def semester_label(start: dt.date) -> str:
    return f"{start.year}-S{1 if start.month <= 6 else 2}"


def parse_semester(text: str) -> dt.date | None:
    """ "2026-S1" -> 2026-01-01; None when malformed."""
    year, _sep, half = text.partition("-S")
    if not (year.isdigit() and len(year) == 4 and half in {"1", "2"}):
        return None
    return dt.date(int(year), 1 if half == "1" else 7, 1)


@dataclass(frozen=True)
class ScopeResults:
    """Every indicator of one scope for its newest semesters: rows[indicator] = [values]."""

    semesters: list[dt.date]
    rows: list[tuple[Indicator, list[IndicatorValue]]]


def scope_results(
    scope_kind: str, scope_key: str, indicators: Iterable[Indicator] = INDICATORS
) -> ScopeResults:
    """Two queries on the unique index's prefix (scope, period kind): the newest semesters,
    then their rows."""
    indicators = list(indicators)
    scope = IndicatorRollup.objects.filter(
        scope_kind=scope_kind,
        scope_key=scope_key,
        period_kind=PeriodKind.SEMESTER,
        indicator__in=[i.slug for i in indicators],
    )
    semesters = list(
        scope.order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()[:SEMESTERS_SHOWN]
    )
    found = (
        list(
            scope.filter(period_start__in=semesters).values_list(
                "indicator", "period_start", "numerator", "denominator", "total"
            )
        )
        if semesters
        else []
    )
    by_key = {(row[0], row[1]): row[2:] for row in found}
    rows = [
        (
            indicator,
            [
                IndicatorValue(indicator, *by_key.get((indicator.slug, start), (0, 0, 0)))
                for start in semesters
            ],
        )
        for indicator in indicators
    ]
    return ScopeResults(semesters=semesters, rows=rows)


def national_results() -> ScopeResults:
    return scope_results(ScopeKind.NATION, NATION_KEY)


def latest_semester(indicator: Indicator) -> dt.date | None:
    """The newest semester with a national value (one index query)."""
    return (
        IndicatorRollup.objects.filter(
            indicator=indicator.slug,
            scope_kind=ScopeKind.NATION,
            period_kind=PeriodKind.SEMESTER,
        )
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )


def values_by_departement(indicator: Indicator, semester: dt.date) -> dict[str, IndicatorValue]:
    """{département code: value} for one semester (one query, at most 101 rows)."""
    rows = IndicatorRollup.objects.filter(
        indicator=indicator.slug,
        scope_kind=ScopeKind.DEPARTEMENT,
        period_kind=PeriodKind.SEMESTER,
        period_start=semester,
    ).values_list("scope_key", "numerator", "denominator", "total")
    return {key: IndicatorValue(indicator, *counts) for key, *counts in rows}


def all_time(
    scope_kind: str, scope_key: str, indicators: Iterable[Indicator]
) -> list[IndicatorValue]:
    """Every year added up, per indicator (one query over the scope's year rows)."""
    indicators = list(indicators)
    sums: dict[str, list[int]] = {i.slug: [0, 0, 0] for i in indicators}
    rows = IndicatorRollup.objects.filter(
        scope_kind=scope_kind,
        scope_key=scope_key,
        period_kind=PeriodKind.YEAR,
        indicator__in=list(sums),
    ).values_list("indicator", "numerator", "denominator", "total")
    for slug, *counts in rows:
        for index, value in enumerate(counts):
            sums[slug][index] += value
    return [IndicatorValue(i, *sums[i.slug]) for i in indicators]


def contact_point_section(contact_point: ContactPoint) -> Section:
    """The felt indicators of a contact point, every period added up (one query)."""
    return Section(
        template="indicators/_contact_point.html",
        context={
            "values": all_time(ScopeKind.CONTACT_POINT, str(contact_point.pk), FELT),
            "caption": _("Part des usagers satisfaits, note moyenne sur 5 et nombre d'avis"),
            # Loaded with the contact point by its page (select_related): no query.
            "organisation": contact_point.organisation,
            "departement": contact_point.departement,
        },
    )


def semester_rollups(
    semester: dt.date, scope_kinds: Iterable[str]
) -> list[tuple[str, str, str, int, int, int]]:
    """Every roll-up row of one semester for the given scope kinds, as
    (indicator, scope kind, scope key, numerator, denominator, total): what a barometer edition
    freezes (one query on the by-indicator index; at most 8 × (1 + networks + 101) rows)."""
    return list(
        IndicatorRollup.objects.filter(
            indicator__in=[i.slug for i in INDICATORS],
            scope_kind__in=list(scope_kinds),
            period_kind=PeriodKind.SEMESTER,
            period_start=semester,
        ).values_list("indicator", "scope_kind", "scope_key", "numerator", "denominator", "total")
    )


def national_semesters() -> list[dt.date]:
    """The semesters with at least one national value, the oldest first (one index query)."""
    return list(
        IndicatorRollup.objects.filter(
            scope_kind=ScopeKind.NATION,
            period_kind=PeriodKind.SEMESTER,
            denominator__gt=0,
        )
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .distinct()
    )
