"""Reading roll-ups in tests."""

from ecoute.indicators.definitions import BY_RATING
from ecoute.indicators.models import IndicatorRollup, PeriodKind, ScopeKind


def felt_counts(contact_point, rating_key: str = "satisfaction") -> tuple[int, int, int]:
    """(numerator, denominator, total) of a contact point's felt indicator, every year added."""
    rows = IndicatorRollup.objects.filter(
        indicator=BY_RATING[rating_key].slug,
        scope_kind=ScopeKind.CONTACT_POINT,
        scope_key=str(contact_point.pk),
        period_kind=PeriodKind.YEAR,
    ).values_list("numerator", "denominator", "total")
    return tuple(sum(column) for column in zip(*rows, strict=True)) if rows else (0, 0, 0)  # type: ignore[return-value]


def nonzero_rollups() -> set[tuple]:
    """Every roll-up row that holds something, as comparable tuples."""
    return {
        row[:5] + row[5:]
        for row in IndicatorRollup.objects.exclude(denominator=0, numerator=0, total=0).values_list(
            "indicator",
            "scope_kind",
            "scope_key",
            "period_kind",
            "period_start",
            "numerator",
            "denominator",
            "total",
        )
    }
