"""Reads of the observatory: the rolling 12-month feedback figures (from the daily roll-up),
the latest measurement of each indicator, and the rows of the observatory table.

Each function costs a fixed number of queries whatever the number of démarches it is given."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import indicators
from .indicators import FRANCECONNECT, LEVEL_BADGES, SATISFACTION, Level
from .models import Demarche, FeedbackDay, Indicator, Measurement


def min_reviews() -> int:
    return int(settings.ECOUTE_DEMARCHE_MIN_REVIEWS)


def window_start(today: dt.date | None = None) -> dt.date:
    """First day of the rolling window (ECOUTE_DEMARCHE_REVIEW_WINDOW_DAYS, 365 by default):
    today and the days before it."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=int(settings.ECOUTE_DEMARCHE_REVIEW_WINDOW_DAYS) - 1)


@dataclass(frozen=True)
class FeedbackStats:
    count: int = 0
    satisfaction_points: int = 0
    clarity_count: int = 0
    clarity_sum: int = 0
    help_sought: int = 0
    help_obtained: int = 0

    @property
    def enough(self) -> bool:
        return self.count >= min_reviews()

    @property
    def score(self) -> Decimal | None:
        """Satisfaction /10, only from enough reviews over the window."""
        if not self.count or not self.enough:
            return None
        return (Decimal(self.satisfaction_points) / self.count).quantize(Decimal("0.1"))

    @property
    def clarity(self) -> Decimal | None:
        if not self.clarity_count:
            return None
        return (Decimal(self.clarity_sum) / self.clarity_count).quantize(Decimal("0.1"))

    @property
    def help_rate(self) -> int | None:
        if not self.help_sought:
            return None
        return round(100 * self.help_obtained / self.help_sought)


def feedback_stats(
    demarche_ids: list[int], today: dt.date | None = None
) -> dict[int, FeedbackStats]:
    """The rolling-window figures of each démarche (one grouped query on the roll-up)."""
    rows = (
        FeedbackDay.objects.filter(demarche_id__in=demarche_ids, day__gte=window_start(today))
        .values("demarche_id")
        .annotate(
            n=Sum("count"),
            points=Sum("satisfaction_points"),
            c_count=Sum("clarity_count"),
            c_sum=Sum("clarity_sum"),
            sought=Sum("help_sought"),
            obtained=Sum("help_obtained"),
        )
        .order_by()
    )
    return {
        row["demarche_id"]: FeedbackStats(
            count=row["n"] or 0,
            satisfaction_points=row["points"] or 0,
            clarity_count=row["c_count"] or 0,
            clarity_sum=row["c_sum"] or 0,
            help_sought=row["sought"] or 0,
            help_obtained=row["obtained"] or 0,
        )
        for row in rows
    }


def latest_measurements(demarche_ids: list[int]) -> dict[tuple[int, str], Measurement]:
    """The latest measurement per démarche and indicator (one query; the history is a few rows
    a quarter per démarche)."""
    latest: dict[tuple[int, str], Measurement] = {}
    for measurement in Measurement.objects.filter(demarche_id__in=demarche_ids).order_by(
        "demarche_id", "indicator", "-measured_on", "-id"
    ):
        latest.setdefault((measurement.demarche_id, measurement.indicator), measurement)
    return latest


@dataclass(frozen=True)
class Cell:
    code: str
    label: str
    value: Decimal | bool | None
    display: str
    level: Level
    measured_on: dt.date | None = None
    source: str = ""
    generated: bool = False

    @property
    def badge(self) -> str:
        return LEVEL_BADGES[self.level]

    @property
    def level_label(self) -> str:
        return str(self.level.label)


@dataclass
class Row:
    demarche: Demarche
    stats: FeedbackStats
    cells: list[Cell] = field(default_factory=list)

    @property
    def generated(self) -> bool:
        return any(cell.generated for cell in self.cells)

    def cell(self, code: str) -> Cell:
        return next(cell for cell in self.cells if cell.code == code)


def _number(value: Decimal) -> str:
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        normalized = normalized.quantize(Decimal(1))
    return formats.number_format(normalized, use_l10n=True)


def _satisfaction_cell(stats: FeedbackStats) -> Cell:
    definition = indicators.DEFINITIONS[SATISFACTION]
    score = stats.score
    if score is None:
        display = _("pas encore assez d'avis (%(n)d / %(min)d)") % {
            "n": stats.count,
            "min": min_reviews(),
        }
    else:
        display = f"{_number(score)} / 10"
    return Cell(
        code=SATISFACTION,
        label=str(definition.label),
        value=score,
        display=display,
        level=indicators.level(SATISFACTION, score),
    )


def _measured_cell(code: str, measurement: Measurement | None) -> Cell:
    definition = indicators.DEFINITIONS[code]
    if measurement is None:
        return Cell(
            code=code,
            label=str(definition.label),
            value=None,
            display=str(Level.NOT_MEASURED.label),
            level=Level.NOT_MEASURED,
        )
    value = measurement.value
    display = _number(value) if code == Indicator.DLNUF else f"{_number(value)} %"
    return Cell(
        code=code,
        label=str(definition.label),
        value=value,
        display=display,
        level=indicators.level(code, value),
        measured_on=measurement.measured_on,
        source=measurement.source,
        generated=measurement.generated,
    )


def _help_from_feedback(stats: FeedbackStats) -> Cell:
    """Without a measurement, "aide joignable" comes from the reviews, as the State's
    observatory computes it from "Je donne mon avis": the share of those who sought the
    administration's help and reached it, once the reviews are enough for a score."""
    if not stats.enough or stats.help_rate is None:
        return _measured_cell(Indicator.HELP, None)
    value = Decimal(stats.help_rate)
    return Cell(
        code=Indicator.HELP,
        label=str(indicators.DEFINITIONS[Indicator.HELP].label),
        value=value,
        display=f"{_number(value)} %",
        level=indicators.level(Indicator.HELP, value),
        source=_("avis « Je donne mon avis » des 12 derniers mois"),
    )


def _franceconnect_cell(value: bool | None) -> Cell:
    definition = indicators.DEFINITIONS[FRANCECONNECT]
    if value is None:
        display = str(Level.NOT_MEASURED.label)
    else:
        display = _("Oui") if value else _("Non")
    return Cell(
        code=FRANCECONNECT,
        label=str(definition.label),
        value=value,
        display=display,
        level=indicators.level(FRANCECONNECT, value),
    )


def observatory_rows(demarches: list[Demarche], today: dt.date | None = None) -> list[Row]:
    """Every indicator of each démarche with its value and level: two queries."""
    ids = [demarche.pk for demarche in demarches]
    stats = feedback_stats(ids, today)
    latest = latest_measurements(ids)
    rows = []
    for demarche in demarches:
        demarche_stats = stats.get(demarche.pk, FeedbackStats())
        cells = [_satisfaction_cell(demarche_stats)]
        cells += [
            _measured_cell(code, latest.get((demarche.pk, code)))
            for code in indicators.ORDER
            if code in Indicator.values
        ]
        if (demarche.pk, Indicator.HELP) not in latest:
            cells = [
                _help_from_feedback(demarche_stats) if c.code == Indicator.HELP else c
                for c in cells
            ]
        cells.append(_franceconnect_cell(demarche.franceconnect))
        rows.append(Row(demarche=demarche, stats=demarche_stats, cells=cells))
    return rows


@dataclass(frozen=True)
class LevelCounts:
    label: str
    counts: list[int]  # in LEVEL_ORDER

    @property
    def total(self) -> int:
        return sum(self.counts)


LEVEL_ORDER = [Level.GOOD, Level.MEDIUM, Level.POOR, Level.NOT_MEASURED]


def level_counts(rows: list[Row]) -> list[LevelCounts]:
    """For each indicator, how many of these démarches are at each level (no query)."""
    summary = []
    for code in indicators.ORDER:
        levels = [row.cell(code).level for row in rows]
        summary.append(
            LevelCounts(
                label=str(indicators.DEFINITIONS[code].label),
                counts=[levels.count(level) for level in LEVEL_ORDER],
            )
        )
    return summary
