"""Keeping the roll-ups: contributions expanded to every scope and period, added in one
statement.

A *contribution* is what some rows add to one place (a contact point or an organisation,
with its organisation's ancestors, network, commune, département, région) for one month.
`expand` turns it into the keys of every scope × period it counts in; `add` upserts the
summed deltas in one statement per 2,000 keys (PostgreSQL: one statement, `unnest` arrays).

Felt indicators: `apply_experiences(queryset, sign)` reads the experiences' ratings grouped by
place and month (one GROUP BY query) — for one experience published or hidden, or for 10,000
imported at once. Performance indicators: `apply_measurement` adds the change of one imported
measurement. `rebuild` recomputes everything from the rows; it equals the incremental result
(tests/indicators/test_rollups.py).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from ecoute.experiences.models import Experience

from . import felt_sql
from .definitions import BY_RATING, FELT, PERFORMANCE, SATISFIED_FROM
from .models import (
    NATION_KEY,
    IndicatorRollup,
    Measurement,
    PeriodKind,
    ScopeKind,
    keeps,
    semester_start,
)

Key = tuple[str, str, str, str, dt.date]  # indicator, scope kind, scope key, period kind, start
Deltas = dict[Key, list[int]]  # [numerator, denominator, total]
Row = tuple[str, str, str, str, dt.date, int, int, int]  # a key and its deltas


@dataclass(frozen=True)
class Place:
    contact_point_id: int | None
    organisation_path: str  # "/1/7/42/": the organisation and every one above it
    organisation_id: int | None
    network_id: int | None
    commune: str | None
    departement: str | None
    region: str | None

    def scopes(self) -> list[tuple[str, str]]:
        scopes = [(ScopeKind.NATION.value, NATION_KEY)]
        if self.contact_point_id is not None:
            scopes.append((ScopeKind.CONTACT_POINT.value, str(self.contact_point_id)))
        ancestors = {part for part in self.organisation_path.strip("/").split("/") if part}
        if self.organisation_id is not None:
            ancestors.add(str(self.organisation_id))
        scopes += [(ScopeKind.ORGANISATION.value, key) for key in sorted(ancestors)]
        for kind, key in (
            (ScopeKind.NETWORK, self.network_id),
            (ScopeKind.COMMUNE, self.commune),
            (ScopeKind.DEPARTEMENT, self.departement),
            (ScopeKind.REGION, self.region),
        ):
            if key is not None:
                scopes.append((kind.value, str(key)))
        return scopes


def periods(month: dt.date) -> list[tuple[str, dt.date]]:
    """The month, its semester and its year, each by its first day."""
    return [
        (PeriodKind.MONTH.value, month.replace(day=1)),
        (PeriodKind.SEMESTER.value, semester_start(month)),
        (PeriodKind.YEAR.value, dt.date(month.year, 1, 1)),
    ]


def expand(
    deltas: Deltas, indicator: str, place: Place, month: dt.date, values: Sequence[int]
) -> None:
    """Add `values` (numerator, denominator, total) to every key the place × month counts in
    (not the month rows of the scopes that keep none: models.keeps)."""
    for scope_kind, scope_key in place.scopes():
        for period_kind, start in periods(month):
            if not keeps(scope_kind, period_kind):
                continue
            row = deltas[(indicator, scope_kind, scope_key, period_kind, start)]
            for index, value in enumerate(values):
                row[index] += value


def new_deltas() -> Deltas:
    return defaultdict(lambda: [0, 0, 0])


_PLACE_FIELDS = {
    "contact_point_id": "contact_point_id",
    "organisation_path": "organisation__path",
    "organisation_id": "organisation_id",
    "network_id": "network_id",
    "commune": "commune_id",
    "departement": "departement_id",
    "region": "departement__region_id",
}


def felt_deltas(experiences: QuerySet[Experience], sign: int = 1) -> Deltas:
    """What these experiences' ratings add (sign=1) or remove (-1), by one GROUP BY query over
    place × month. Experiences without a date count in no period (every rated experience has
    one: the form requires it)."""
    aggregates: dict[str, Aggregate] = {}
    for rating_key in BY_RATING:
        field = f"rating_{rating_key}"
        aggregates[f"{rating_key}_n"] = Count("pk", filter=Q(**{f"{field}__gte": SATISFIED_FROM}))
        aggregates[f"{rating_key}_d"] = Count(field)
        aggregates[f"{rating_key}_s"] = Sum(field)
    rows = (
        experiences.filter(occurred_on__isnull=False)
        .order_by()
        .values(*_PLACE_FIELDS.values(), month=TruncMonth("occurred_on"))
        .annotate(**aggregates)
    )
    deltas = new_deltas()
    for row in rows:
        place = Place(
            **{name: row[column] for name, column in _PLACE_FIELDS.items()}
            | {"organisation_path": row["organisation__path"] or ""}
        )
        for rating_key, indicator in BY_RATING.items():
            if row[f"{rating_key}_d"]:
                values = (row[f"{rating_key}_n"], row[f"{rating_key}_d"], row[f"{rating_key}_s"])
                expand(deltas, indicator.slug, place, row["month"], [sign * v for v in values])
    return deltas


def measurement_place(measurement: Measurement) -> Place:
    """Where a measurement counts (its contact point or organisation loaded with their places)."""
    if measurement.contact_point_id is not None:
        point = measurement.contact_point
        if point is None:  # pragma: no cover - the CHECK constraint forbids it
            raise ValueError("measurement without its contact point")
        organisation = point.organisation
        commune, departement = point.commune_id, point.departement_id
        region = point.departement.region_id if point.departement else None
    else:
        if measurement.organisation is None:  # pragma: no cover - the CHECK forbids it
            raise ValueError("measurement without a place")
        organisation = measurement.organisation
        commune, departement = organisation.commune_id, organisation.departement_id
        region = organisation.region_id or (
            organisation.departement.region_id if organisation.departement else None
        )
    return Place(
        contact_point_id=measurement.contact_point_id,
        organisation_path=organisation.path,
        organisation_id=organisation.pk,
        network_id=organisation.network_id,
        commune=commune,
        departement=departement,
        region=region,
    )


MEASUREMENT_RELATED = [
    "contact_point__organisation",
    "contact_point__departement",
    "organisation__departement",
]


def measurement_deltas(
    deltas: Deltas, measurement: Measurement, numerator: int, denominator: int
) -> None:
    expand(
        deltas,
        measurement.indicator,
        measurement_place(measurement),
        measurement.period_start,
        (numerator, denominator, 0),
    )


_COLUMNS = ("indicator", "scope_kind", "scope_key", "period_kind", "period_start")
_BATCH = 2000


def add(deltas: Deltas) -> None:
    """Add the deltas to the roll-ups, in the caller's transaction. Positive keys are upserted
    (a missing row is created); keys with a negative delta are rows counted before, updated."""
    growing: list[Row] = []
    shrinking: list[Row] = []
    for key, values in deltas.items():
        if any(values):
            numerator, denominator, total = values
            (shrinking if min(values) < 0 else growing).append(
                (*key, numerator, denominator, total)
            )
    table = IndicatorRollup._meta.db_table
    for start in range(0, len(growing), _BATCH):
        _upsert(table, growing[start : start + _BATCH])
    for start in range(0, len(shrinking), _BATCH):
        _subtract(table, shrinking[start : start + _BATCH])


_ALL = (*_COLUMNS, "numerator", "denominator", "total")
_PG_TYPES = ("text", "text", "text", "text", "date", "bigint", "bigint", "bigint")


def _set_sums(table: str, source: str) -> str:
    return ", ".join(f"{name} = {table}.{name} + {source}.{name}" for name in _ALL[5:])


def _source(rows: list[Row]) -> tuple[str, list[Any]]:
    """The rows as a derived table `d` with the columns of _ALL, and its parameters:
    PostgreSQL unnests one array per column (one parameter each, however many rows); SQLite
    reads a VALUES list (it names the columns column1, column2…: renamed)."""
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in _PG_TYPES)
        columns = [list(column) for column in zip(*rows, strict=True)]
        return f"unnest({arrays}) AS d ({', '.join(_ALL)})", list(columns)
    select = ", ".join(f"column{i + 1} AS {name}" for i, name in enumerate(_ALL))
    values = ", ".join([f"({', '.join(['%s'] * len(_ALL))})"] * len(rows))
    flat = [_adapt(value) for row in rows for value in row]
    return f"(SELECT {select} FROM (VALUES {values})) AS d", flat  # noqa: S608


def _upsert(table: str, rows: list[Row]) -> None:
    source, params = _source(rows)
    sql = (
        f"INSERT INTO {table} ({', '.join(_ALL)}) SELECT {', '.join(_ALL)} FROM {source} "  # noqa: S608
        # "WHERE true" lets SQLite parse the ON CONFLICT clause after a SELECT.
        f"WHERE true ON CONFLICT ({', '.join(_COLUMNS)}) DO UPDATE SET "
        f"{_set_sums(table, 'excluded')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _subtract(table: str, rows: list[Row]) -> None:
    """Update only: a CHECK refuses the negative counts of a row an upsert would insert."""
    source, params = _source(rows)
    match = " AND ".join(f"{table}.{column} = d.{column}" for column in _COLUMNS)
    sql = f"UPDATE {table} SET {_set_sums(table, 'd')} FROM {source} WHERE {match}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _adapt(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def apply_experiences(experiences: QuerySet[Experience], sign: int) -> None:
    """Add (1) or remove (-1) these experiences' ratings: on PostgreSQL one statement
    (felt_sql), elsewhere one GROUP BY and the upsert of its keys."""
    if connection.vendor == "postgresql":
        felt_sql.apply(experiences, sign)
    else:
        add(felt_deltas(experiences, sign))


def apply_experience_ids(experience_ids: Sequence[int], sign: int) -> None:
    """The listener registered with experiences.ratings (called inside the actions); a batch of
    new experiences too (bench/indicators_rollup.py)."""
    if connection.vendor == "postgresql":
        felt_sql.apply_ids(experience_ids, sign)
    else:
        apply_experiences(Experience.objects.filter(pk__in=list(experience_ids)), sign)


def apply_measurement(measurement: Measurement, numerator: int, denominator: int) -> None:
    """Add the change of one measurement (new minus old counts; negative when corrected down)."""
    deltas = new_deltas()
    measurement_deltas(deltas, measurement, numerator, denominator)
    add(deltas)


@transaction.atomic
def rebuild(indicators: Iterable[str] | None = None) -> int:
    """Recompute every roll-up (of `indicators`, default all) from the published experiences
    and the current measurements; returns the number of rows written. Repair tool and
    reference for the incremental path. On PostgreSQL the felt keys are inserted without ON
    CONFLICT into the rows just deleted: an action adding a new key meanwhile makes it fail
    whole (nothing changed), to be run again."""
    slugs = set(indicators) if indicators is not None else {i.slug for i in (*FELT, *PERFORMANCE)}
    IndicatorRollup.objects.filter(indicator__in=slugs).delete()
    deltas: Deltas = new_deltas()
    if slugs >= {i.slug for i in FELT} and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Until the end of the transaction: the grouping of every published experience by
            # place × month is hashed in memory rather than spilled (default 4 MB).
            cursor.execute("SET LOCAL work_mem = '256MB'")
        # The felt keys were just deleted: plain inserts, in the unique index's order.
        felt_sql.apply(Experience.objects.published(), 1, into_empty=True)
    elif slugs & {i.slug for i in FELT}:
        felt = felt_deltas(Experience.objects.published())
        deltas.update({key: value for key, value in felt.items() if key[0] in slugs})
    measurements = Measurement.objects.filter(indicator__in=slugs).select_related(
        *MEASUREMENT_RELATED
    )
    for measurement in measurements.iterator(chunk_size=2000):
        measurement_deltas(deltas, measurement, measurement.numerator, measurement.denominator)
    add(deltas)
    return IndicatorRollup.objects.filter(indicator__in=slugs).count()
