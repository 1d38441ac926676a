"""Reading editions for the pages: a bounded number of queries, whatever the data.

`EditionValue` is one indicator of one scope in an edition: its frozen counts, the
sufficient-sample flag frozen with it, and its change since the previous edition.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from ecoute.common.charts import format_number
from ecoute.indicators.definitions import BY_SLUG, INDICATORS, Indicator
from ecoute.indicators.models import NATION_KEY
from ecoute.indicators.queries import RateOfCounts

from .models import Edition, EditionQuerySet, FigureScope

Counts = tuple[int, int, int, bool]  # numerator, denominator, total, sufficient


@dataclass(frozen=True)
class EditionValue(RateOfCounts):
    indicator: Indicator
    numerator: int = 0
    denominator: int = 0
    total: int = 0
    sufficient: bool = False  # frozen with the figure, with the minimum of that day
    minimum_sample: int = 0
    previous: "EditionValue | None" = None

    @property
    def text(self) -> str:
        """The value as a page shows it: the rate, or why there is none."""
        if self.rate is not None:
            return format_number(self.rate, 1, "%")
        return _("échantillon insuffisant (%(n)s %(unit)s, minimum %(minimum)s)") % {
            "n": format_number(self.denominator),
            "unit": self.indicator.sample_unit,
            "minimum": self.minimum_sample,
        }

    @property
    def change(self) -> float | None:
        """Points of percentage since the previous edition (both samples sufficient)."""
        if self.previous is None or self.rate is None or self.previous.rate is None:
            return None
        return round(self.rate - self.previous.rate, 1)

    @property
    def mean_change(self) -> float | None:
        if self.previous is None or self.mean is None or self.previous.mean is None:
            return None
        return round(self.mean - self.previous.mean, 2)


def published_editions() -> EditionQuerySet:
    """Every published edition, the newest first, with the one replacing it (one query)."""
    return (
        Edition.objects.published()
        .select_related("superseded_by")
        .order_by("-year", "-half", "-version")
    )


def latest_edition() -> Edition | None:
    return (
        Edition.objects.current().select_related("compared_to").order_by("-year", "-half").first()
    )


def previous_edition(edition: Edition) -> Edition | None:
    """The edition a change is measured from: for a published edition, the one it was
    compared to when published (frozen); for a draft, the edition in force of the newest
    earlier semester (what publishing it now would freeze)."""
    if edition.is_published:
        return edition.compared_to
    earlier = Q(year__lt=edition.year) | Q(year=edition.year, half__lt=edition.half)
    return Edition.objects.current().filter(earlier).order_by("-year", "-half").first()


def _counts(edition: Edition, scope_kind: str, scope_keys: list[str] | None = None):
    figures = edition.figures.filter(scope_kind=scope_kind)
    if scope_keys is not None:
        figures = figures.filter(scope_key__in=scope_keys)
    return figures.values_list(
        "scope_key", "scope_name", "indicator", "numerator", "denominator", "total", "sufficient"
    )


def _value(
    edition: Edition, indicator: Indicator, counts: Counts | None, previous: "EditionValue | None"
) -> EditionValue:
    numerator, denominator, total, sufficient = counts or (0, 0, 0, False)
    return EditionValue(
        indicator, numerator, denominator, total, sufficient, edition.minimum_sample, previous
    )


def scope_values(
    edition: Edition, scope_kind: str, scope_key: str, previous: Edition | None
) -> tuple[str, list[EditionValue]]:
    """(the scope's name when frozen, its 8 values with their change); two queries."""
    name = ""
    by_edition: list[dict[str, Counts]] = []
    for one in (edition, previous):
        found: dict[str, Counts] = {}
        if one is not None:
            for _key, scope_name, slug, *counts in _counts(one, scope_kind, [scope_key]):
                found[slug] = tuple(counts)  # type: ignore[assignment]
                if one is edition:
                    name = scope_name
        by_edition.append(found)
    current, before = by_edition
    values = []
    for indicator in INDICATORS:
        earlier = (
            _value(previous, indicator, before.get(indicator.slug), None)
            if previous is not None
            else None
        )
        values.append(_value(edition, indicator, current.get(indicator.slug), earlier))
    return name, values


def national_values(edition: Edition, previous: Edition | None) -> list[EditionValue]:
    return scope_values(edition, FigureScope.NATION, NATION_KEY, previous)[1]


@dataclass(frozen=True)
class ScopeRow:
    key: str
    name: str
    values: list[EditionValue]


def scope_rows(edition: Edition, scope_kind: str) -> list[ScopeRow]:
    """Every network (or département) of an edition with its 8 values, by name (one query)."""
    names: dict[str, str] = {}
    found: dict[tuple[str, str], Counts] = {}
    for key, name, slug, *counts in _counts(edition, scope_kind):
        names[key] = name
        found[(key, slug)] = tuple(counts)  # type: ignore[assignment]
    return [
        ScopeRow(
            key,
            name,
            [_value(edition, i, found.get((key, i.slug)), None) for i in INDICATORS],
        )
        for key, name in sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))
    ]


def departement_values(edition: Edition, indicator: Indicator) -> dict[str, EditionValue]:
    """{département code: value} of one indicator in an edition (one query)."""
    rows = edition.figures.filter(
        scope_kind=FigureScope.DEPARTEMENT, indicator=indicator.slug
    ).values_list("scope_key", "numerator", "denominator", "total", "sufficient")
    return {key: _value(edition, indicator, tuple(counts), None) for key, *counts in rows}  # type: ignore[arg-type]


def indicator_or_default(slug: str) -> Indicator | None:
    """The indicator asked for by `?indicateur=`, the first one when none is asked."""
    return BY_SLUG.get(slug) if slug else INDICATORS[0]
