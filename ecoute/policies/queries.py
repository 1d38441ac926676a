"""Read side of the baromètre: what each page and CSV needs, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from ecoute.common.text import fold
from ecoute.territories.models import Departement

from .models import Edition, Indicator, Policy, Summary, Theme, Value, ValueKind, ZoneKind

TRANSPARENCY_EDITION = "2023"
TRANSPARENCY_INDICATOR = "tx-transparence-resultats"

# Sort keys of the per-département tables (?tri=…): the département code, or a summary column.
SORTS = {
    "departement": "departement",
    "valeur": "current_value",
    "cible": "target_value",
    "avancement": "progress_value",
    "initiale": "initial_value",
}


def latest_edition() -> Edition | None:
    return Edition.objects.first()


def editions() -> list[Edition]:
    return list(Edition.objects.all())


@dataclass
class ThemeGroup:
    theme: Theme | None
    policies: list[Policy]


def policy_groups(edition: Edition, *, theme: str = "", text: str = "") -> list[ThemeGroup]:
    """The edition's policies with their number of indicators, grouped by theme (one query);
    `theme` keeps one theme's code, `text` policies whose name or an indicator's name
    contains it (accents and case ignored)."""
    policies = (
        Policy.objects.filter(edition=edition)
        .select_related("theme", "edition")
        .annotate(indicator_count=Count("indicators", distinct=True))
        .order_by("theme__position", "theme__code", "name")
    )
    if theme:
        policies = policies.filter(theme__code=theme)
    groups: dict[int | None, ThemeGroup] = {}
    needle = fold(text)
    matching = None
    if needle:
        # Folding in Python keeps one behaviour on SQLite and PostgreSQL; an edition holds
        # at most a few hundred names.
        names = Indicator.objects.filter(policy__edition=edition).values_list("policy_id", "name")
        matching = {pk for pk, name in names if needle in fold(name)}
    for policy in policies:
        if matching is not None and policy.pk not in matching and needle not in fold(policy.name):
            continue
        group = groups.setdefault(policy.theme_id, ThemeGroup(policy.theme, []))
        group.policies.append(policy)
    return list(groups.values())


def themes(edition: Edition) -> QuerySet[Theme]:
    return Theme.objects.filter(edition=edition).filter(policies__isnull=False).distinct()


@dataclass
class IndicatorBlock:
    """One indicator of a policy page: its national summary, history and département rows."""

    indicator: Indicator
    national: Summary | None = None
    departements: list[Summary] = field(default_factory=list)
    history: list[Value] = field(default_factory=list)
    # Drawings (ecoute.common.charts.Chart), set by the page that shows them.
    chart_map: Any = None
    chart_line: Any = None


def policy_blocks(
    policy: Policy, *, sort: str = "departement", descending: bool = False
) -> list[IndicatorBlock]:
    """Three queries whatever the number of indicators: indicators, summaries, history."""
    blocks = {i.pk: IndicatorBlock(i) for i in policy.indicators.all()}
    summaries = Summary.objects.filter(indicator__policy=policy).filter(
        Q(zone_kind=ZoneKind.NATION) | Q(zone_kind=ZoneKind.DEPARTEMENT)
    )
    for summary in summaries.select_related("departement"):
        block = blocks[summary.indicator_id]
        if summary.zone_kind == ZoneKind.NATION:
            block.national = summary
        else:
            block.departements.append(summary)
    history = Value.objects.filter(
        indicator__policy=policy, zone_kind=ZoneKind.NATION, kind=ValueKind.CURRENT
    ).order_by("date")
    for value in history:
        blocks[value.indicator_id].history.append(value)
    for block in blocks.values():
        sort_summaries(block.departements, sort, descending)
    return list(blocks.values())


def sort_summaries(rows: list[Summary], sort: str, descending: bool) -> None:
    """Sort in place; missing values always last, ties by département code."""
    attribute = SORTS.get(sort, "departement")
    rows.sort(key=lambda s: s.departement_id or "")
    if attribute == "departement":
        rows.sort(key=lambda s: s.departement_id or "", reverse=descending)
        return
    present = [s for s in rows if getattr(s, attribute) is not None]
    missing = [s for s in rows if getattr(s, attribute) is None]
    present.sort(key=lambda s: getattr(s, attribute), reverse=descending)
    rows[:] = present + missing


@dataclass
class DepartementRow:
    indicator: Indicator
    local: Summary
    national: Summary | None


def departement_rows(edition: Edition, departement: Departement) -> list[DepartementRow]:
    """Every indicator of the edition measured in the département, beside its national
    summary: two queries."""
    local = list(
        Summary.objects.filter(
            indicator__policy__edition=edition,
            zone_kind=ZoneKind.DEPARTEMENT,
            departement=departement,
        )
        .select_related("indicator__policy__theme", "indicator__policy__edition")
        .order_by(
            "indicator__policy__theme__position", "indicator__policy__name", "indicator__code"
        )
    )
    national = {
        s.indicator_id: s
        for s in Summary.objects.filter(
            indicator__in=[s.indicator_id for s in local], zone_kind=ZoneKind.NATION
        )
    }
    return [DepartementRow(s.indicator, s, national.get(s.indicator_id)) for s in local]


@dataclass(frozen=True)
class DatedValue:
    value: float
    date: dt.date


def transparency_by_departement(departement: str | None = None) -> dict[str, DatedValue]:
    """Share of public reception sites publishing their results (%), per département code,
    from the 2023 baromètre (`tx-transparence-resultats`, latest value): one query. Empty when
    the baromètre is not loaded. `departement` (a code): that département only."""
    summaries = Summary.objects.all()
    if departement:
        summaries = summaries.filter(departement_id=departement)
    rows = summaries.filter(
        indicator__policy__edition__code=TRANSPARENCY_EDITION,
        indicator__code=TRANSPARENCY_INDICATOR,
        zone_kind=ZoneKind.DEPARTEMENT,
        current_value__isnull=False,
        current_date__isnull=False,
    ).values_list("departement_id", "current_value", "current_date")
    return {
        code: DatedValue(value, date)
        for code, value, date in rows
        if code is not None and value is not None and date is not None
    }


@dataclass(frozen=True)
class NationalTransparency:
    """The 2023 baromètre's national transparency rate (% of networks) and its edition."""

    value: float
    date: dt.date
    edition: Edition


def transparency_national() -> NationalTransparency | None:
    """The national value of `tx-transparence-resultats` (share of the networks publishing
    their results, %), with its edition for the source: one query. None when not loaded."""
    summary = (
        Summary.objects.filter(
            indicator__policy__edition__code=TRANSPARENCY_EDITION,
            indicator__code=TRANSPARENCY_INDICATOR,
            zone_kind=ZoneKind.NATION,
            current_value__isnull=False,
            current_date__isnull=False,
        )
        .select_related("indicator__policy__edition")
        .first()
    )
    if summary is None or summary.current_value is None or summary.current_date is None:
        return None
    return NationalTransparency(
        summary.current_value, summary.current_date, summary.indicator.policy.edition
    )


def departements_with_values(edition: Edition) -> QuerySet[Departement]:
    return Departement.objects.filter(
        pk__in=Summary.objects.filter(
            indicator__policy__edition=edition, zone_kind=ZoneKind.DEPARTEMENT
        ).values("departement_id")
    ).order_by("code")
