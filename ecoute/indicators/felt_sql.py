"""PostgreSQL: the felt roll-ups of a set of experiences computed and written by the database
in one statement (no row travels to Python), the same sums as rollups.felt_deltas + add.

The experiences are first grouped by place × month (one row per contact point and month
however many experiences), then each group is fanned out to its indicators × scopes × periods
by lateral joins, summed again by key, and upserted (sign +1) or subtracted from the existing
rows (sign -1: an update, since a CHECK refuses the negative counts of an inserted row).
tests/indicators/test_rollups.py compares it with the Python path on PostgreSQL.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .definitions import BY_RATING, SATISFIED_FROM
from .models import NATION_KEY, IndicatorRollup, PeriodKind, ScopeKind

_KEY = ("indicator", "scope_kind", "scope_key", "period_kind", "period_start")
_SUMS = ("numerator", "denominator", "total")


def _grouped(where: str) -> str:
    counts = ",\n".join(
        f"COUNT(*) FILTER (WHERE e.rating_{key} >= {SATISFIED_FROM}) AS {key}_n, "
        f"COUNT(e.rating_{key}) AS {key}_d, COALESCE(SUM(e.rating_{key}), 0) AS {key}_s"
        for key in BY_RATING
    )
    return f"""
        SELECT e.contact_point_id, e.organisation_id, COALESCE(o.path, '') AS path,
               e.network_id, e.commune_id, e.departement_id, d.region_id,
               date_trunc('month', e.occurred_on)::date AS month,
               {counts}
        FROM experiences_experience e
        LEFT JOIN catalogue_organisation o ON o.id = e.organisation_id
        LEFT JOIN territories_departement d ON d.code = e.departement_id
        WHERE e.occurred_on IS NOT NULL AND {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    """  # noqa: S608 (constants and the ORM's compiled SQL, values as parameters)


def _fanned(where: str, sign: int) -> str:
    indicators = ", ".join(
        f"('{indicator.slug}', g.{key}_n, g.{key}_d, g.{key}_s)"
        for key, indicator in BY_RATING.items()
    )
    s = ScopeKind
    return f"""
        SELECT i.slug AS indicator, sc.kind AS scope_kind, sc.key AS scope_key,
               p.kind AS period_kind, p.start AS period_start,
               {sign} * SUM(i.n) AS numerator, {sign} * SUM(i.d) AS denominator,
               {sign} * SUM(i.s) AS total
        FROM ({_grouped(where)}) g
        CROSS JOIN LATERAL (VALUES {indicators}) AS i (slug, n, d, s)
        CROSS JOIN LATERAL (
            SELECT '{s.NATION.value}', '{NATION_KEY}'
            UNION ALL SELECT '{s.CONTACT_POINT.value}', g.contact_point_id::text
                WHERE g.contact_point_id IS NOT NULL
            UNION ALL SELECT '{s.ORGANISATION.value}', a.id FROM (
                SELECT DISTINCT part AS id FROM unnest(
                    string_to_array(trim(BOTH '/' FROM g.path), '/')
                    || ARRAY[g.organisation_id::text]
                ) AS part WHERE part IS NOT NULL AND part <> ''
            ) a
            UNION ALL SELECT '{s.NETWORK.value}', g.network_id::text
                WHERE g.network_id IS NOT NULL
            UNION ALL SELECT '{s.COMMUNE.value}', g.commune_id WHERE g.commune_id IS NOT NULL
            UNION ALL SELECT '{s.DEPARTEMENT.value}', g.departement_id
                WHERE g.departement_id IS NOT NULL
            UNION ALL SELECT '{s.REGION.value}', g.region_id WHERE g.region_id IS NOT NULL
        ) AS sc (kind, key)
        CROSS JOIN LATERAL (VALUES
            ('{PeriodKind.MONTH.value}', g.month),
            ('{PeriodKind.SEMESTER.value}',
             make_date(extract(year FROM g.month)::int,
                       CASE WHEN extract(month FROM g.month) <= 6 THEN 1 ELSE 7 END, 1)),
            ('{PeriodKind.YEAR.value}', date_trunc('year', g.month)::date)
        ) AS p (kind, start)
        WHERE i.d > 0
        GROUP BY 1, 2, 3, 4, 5
    """  # noqa: S608 (constants only)


def apply(experiences: QuerySet[Any], sign: int) -> None:
    """Add (1) or remove (-1) the ratings of `experiences` (any queryset of them: the rebuild
    passes every published one)."""
    try:
        ids_sql, params = experiences.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. filter(pk__in=[]): nothing to add
        return
    _execute(f"e.id IN ({ids_sql})", list(params), sign)


def apply_ids(experience_ids: Sequence[int], sign: int) -> None:
    """The same for experiences given by id (the actions, a batch): read through the primary
    key's index, whatever the size of the table."""
    if experience_ids:
        _execute("e.id = ANY(%s)", [list(experience_ids)], sign)


def _execute(where: str, params: list[Any], sign: int) -> None:
    table = IndicatorRollup._meta.db_table
    fanned = _fanned(where, 1 if sign > 0 else -1)
    if sign > 0:
        columns = ", ".join((*_KEY, *_SUMS))
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ({fanned}) d "  # noqa: S608
            f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET "
            + ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in _SUMS)
        )
    else:
        match = " AND ".join(f"{table}.{column} = d.{column}" for column in _KEY)
        sums = ", ".join(f"{name} = {table}.{name} + d.{name}" for name in _SUMS)
        sql = f"UPDATE {table} SET {sums} FROM ({fanned}) d WHERE {match}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
