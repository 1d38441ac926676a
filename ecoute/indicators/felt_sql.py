"""PostgreSQL: the felt roll-ups of a set of experiences computed and written by the database
in one statement (no row travels to Python), the same sums as rollups.felt_deltas + add.

1. The experiences are grouped by place × month: one row per contact point and month however
   many experiences, with the counts of the five ratings (`_grouped`).
2. Each group is repeated for its month, semester and year, then summed per scope in one pass
   by GROUPING SETS (nation, contact point, network, commune, département, région), and per
   organisation by unnesting the organisation's materialised path (it counts in every
   organisation above it) (`_scoped`). The sums are int4 per group (cheap to add up) and
   bigint per key.
3. Each scope × period row becomes one row per rated indicator (`_fanned`), without the months
   of the scopes that keep none (models.keeps), ordered like the unique index so that the
   writes walk the index and the table in order.

The keys are then upserted (sign +1) or subtracted from the existing rows (sign -1: an update,
since a CHECK refuses the negative counts of an inserted row); `rebuild` inserts into an
emptied table. tests/indicators/test_rollups.py compares it with the Python path on PostgreSQL.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet

from .definitions import BY_RATING, SATISFIED_FROM
from .models import NATION_KEY, SCOPES_WITHOUT_MONTHS, IndicatorRollup, PeriodKind, ScopeKind

_KEY = ("indicator", "scope_kind", "scope_key", "period_kind", "period_start")
_SUMS = ("numerator", "denominator", "total")
# A batch's keys (~76,000 for 10,000 experiences at 10 M) are sorted in memory: with the
# default 4 MB the sort spilled to disk (a quarter of the statement's time).
_WORK_MEM = "64MB"
# The unique index's order (models.IndicatorRollup: indicator_rollup_key): a batch's keys are
# probed in it. The rebuild writes the rows by period first: the rows of one period, which a
# batch adds to (the current month, semester, year), share few pages of the table, so a batch
# dirties few (its updates are HOT: each new version stays in the row's page). Both byte by
# byte, as the columns are (migration 0004: COLLATE "C").
_INDEX_ORDER = ("scope_kind", "scope_key", "period_kind", "period_start", "indicator")
_PERIOD_ORDER = ("period_kind", "period_start", "scope_kind", "scope_key", "indicator")
_SOURCE = {"indicator": "i.slug"} | {column: f"sc.{column}" for column in _INDEX_ORDER[:3]}


def _order(columns: tuple[str, ...]) -> str:
    return ", ".join(
        "sc.period_start" if column == "period_start" else f'{_SOURCE[column]} COLLATE "C"'
        for column in columns
    )


_COUNTS = [f"{key}_{part}" for key in BY_RATING for part in ("n", "d", "s")]


def _grouped(where: str) -> str:
    counts = ",\n".join(
        f"(COUNT(*) FILTER (WHERE e.rating_{key} >= {SATISFIED_FROM}))::int AS {key}_n, "
        f"COUNT(e.rating_{key})::int AS {key}_d, COALESCE(SUM(e.rating_{key}), 0)::int AS {key}_s"
        for key in BY_RATING
    )
    return f"""
        SELECT e.contact_point_id AS cp, e.organisation_id AS org, COALESCE(o.path, '') AS path,
               e.network_id AS net, e.commune_id AS com, e.departement_id AS dep,
               d.region_id AS reg, date_trunc('month', e.occurred_on)::date AS month,
               {counts}
        FROM experiences_experience e
        LEFT JOIN catalogue_organisation o ON o.id = e.organisation_id
        LEFT JOIN territories_departement d ON d.code = e.departement_id
        WHERE e.occurred_on IS NOT NULL AND {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    """  # noqa: S608 (constants and the ORM's compiled SQL, values as parameters)


def _scoped(where: str) -> str:
    """One row per scope × period with the 15 sums (scope_kind, scope_key, period_kind,
    period_start, sums)."""
    s = ScopeKind
    sums = ", ".join(f"SUM(gp.{name}) AS {name}" for name in _COUNTS)
    places = ("cp", "net", "com", "dep", "reg")
    # GROUPING(cp, net, com, dep, reg): a bit set (first argument highest) for each column
    # *not* in the grouping set; the nation's set groups by none of them.
    kind_by_mask = {
        0b01111: s.CONTACT_POINT.value,
        0b10111: s.NETWORK.value,
        0b11011: s.COMMUNE.value,
        0b11101: s.DEPARTEMENT.value,
        0b11110: s.REGION.value,
    }
    grouping = f"GROUPING({', '.join(places)})"
    kind = "CASE " + " ".join(
        f"WHEN {grouping} = {mask} THEN '{value}'" for mask, value in kind_by_mask.items()
    )
    kind += f" ELSE '{s.NATION.value}' END"
    key = f"COALESCE(gp.cp::text, gp.net::text, gp.com, gp.dep, gp.reg, '{NATION_KEY}')"
    sets = ", ".join(f"(gp.{place}, gp.kind, gp.start)" for place in places)
    return f"""
        WITH gp AS (
            SELECT g.*, p.kind, p.start
            FROM ({_grouped(where)}) g
            CROSS JOIN LATERAL (VALUES
                ('{PeriodKind.MONTH.value}', g.month),
                ('{PeriodKind.SEMESTER.value}',
                 make_date(extract(year FROM g.month)::int,
                           CASE WHEN extract(month FROM g.month) <= 6 THEN 1 ELSE 7 END, 1)),
                ('{PeriodKind.YEAR.value}', date_trunc('year', g.month)::date)
            ) AS p (kind, start)
        )
        SELECT {kind} AS scope_kind, {key} AS scope_key, gp.kind AS period_kind,
               gp.start AS period_start, {sums}
        FROM gp
        GROUP BY GROUPING SETS ((gp.kind, gp.start), {sets})
        -- a place's set also makes a group of the rows without that place: not a scope
        HAVING {grouping} = {0b11111} OR {key.replace(f", '{NATION_KEY}'", "")} IS NOT NULL
        UNION ALL
        SELECT '{s.ORGANISATION.value}', a.id, gp.kind, gp.start, {sums}
        FROM gp
        CROSS JOIN LATERAL (
            SELECT DISTINCT part AS id FROM unnest(
                string_to_array(trim(BOTH '/' FROM gp.path), '/') || ARRAY[gp.org::text]
            ) AS part WHERE part IS NOT NULL AND part <> ''
        ) AS a
        GROUP BY a.id, gp.kind, gp.start
    """  # noqa: S608 (constants only)


def _fanned(where: str, sign: int, order: tuple[str, ...] = _INDEX_ORDER) -> str:
    indicators = ", ".join(
        f"('{indicator.slug}', sc.{key}_n, sc.{key}_d, sc.{key}_s)"
        for key, indicator in BY_RATING.items()
    )
    monthless = ", ".join(f"'{kind}'" for kind in sorted(SCOPES_WITHOUT_MONTHS))
    return f"""
        SELECT i.slug AS indicator, sc.scope_kind, sc.scope_key, sc.period_kind,
               sc.period_start, {sign} * i.n AS numerator, {sign} * i.d AS denominator,
               {sign} * i.s AS total
        FROM ({_scoped(where)}) sc
        CROSS JOIN LATERAL (VALUES {indicators}) AS i (slug, n, d, s)
        WHERE i.d > 0
          AND NOT (sc.period_kind = '{PeriodKind.MONTH.value}' AND sc.scope_kind IN ({monthless}))
        ORDER BY {_order(order)}
    """  # noqa: S608 (constants only)


def apply(experiences: QuerySet[Any], sign: int, *, into_empty: bool = False) -> None:
    """Add (1) or remove (-1) the ratings of `experiences` (any queryset of them: the rebuild
    passes every published one, `into_empty` when it has emptied the table: plain inserts)."""
    try:
        ids_sql, params = experiences.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. filter(pk__in=[]): nothing to add
        return
    _execute(f"e.id IN ({ids_sql})", list(params), sign, into_empty=into_empty)


def apply_ids(experience_ids: Sequence[int], sign: int) -> None:
    """The same for experiences given by id (the actions, a batch): read through the primary
    key's index, whatever the size of the table."""
    if experience_ids:
        _execute("e.id = ANY(%s)", [list(experience_ids)], sign)


def _execute(where: str, params: list[Any], sign: int, *, into_empty: bool = False) -> None:
    table = IndicatorRollup._meta.db_table
    fanned = _fanned(where, 1 if sign > 0 else -1, _PERIOD_ORDER if into_empty else _INDEX_ORDER)
    columns = ", ".join((*_KEY, *_SUMS))
    if sign > 0:
        sql = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ({fanned}) d"  # noqa: S608
        if not into_empty:
            sql += f" ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET " + ", ".join(
                f"{name} = {table}.{name} + excluded.{name}" for name in _SUMS
            )
    else:
        match = " AND ".join(f"{table}.{column} = d.{column}" for column in _KEY)
        sums = ", ".join(f"{name} = {table}.{name} + d.{name}" for name in _SUMS)
        sql = f"UPDATE {table} SET {sums} FROM ({fanned}) d WHERE {match}"  # noqa: S608
    # savepoint=False: no statement of its own inside the caller's transaction (the actions');
    # a transaction of its own in autocommit, so that SET LOCAL reaches the statement. It lasts
    # until the caller's transaction ends.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{_WORK_MEM}'")
        cursor.execute(sql, params)
