"""Keyset ("seek") pagination: page N costs the same as page 1, whatever the table size.

The position is a signed cursor holding the sort key of a row. When every key of the ordering
goes the same way the condition is one row comparison, `(published_at, id) < (X, Y)`, which
PostgreSQL and SQLite use as an index range condition (the expanded
`a < X OR (a = X AND id < Y)` is only a filter). Pages go both ways: `after` (next page, from
the last row shown) and `before` (previous page, from the first row shown).

A cursor is signed for the model and ordering it was made for, and its keys are checked against
the fields' types: a cursor from another list or another sort, tampered with, unreadable or
with keys of the wrong type, gives the first page rather than an error.
"""

import binascii
import datetime as dt
import json
import zlib
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import BooleanField, F, Field, Func, Model, Q, QuerySet, Value
from django.utils import timezone

_SALT = "ecoute.keyset"


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    has_previous: bool
    previous_cursor: str | None = None


def _salt(model: type[Model], ordering: list[str]) -> str:
    # A cursor is signed for one model and one ordering: a cursor from another list (other
    # keys, other types) fails the signature instead of reaching the query.
    return f"{_SALT}:{model._meta.label_lower}:{','.join(ordering)}"


def _encode(values: list[Any], *, salt: str) -> str:
    plain = [v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in values]
    return signing.dumps(plain, salt=salt, compress=True)


def _decode(cursor: str, *, salt: str) -> Any:
    try:
        return signing.loads(cursor, salt=salt)
    except (
        signing.BadSignature,
        ValueError,
        json.JSONDecodeError,
        binascii.Error,
        zlib.error,
        UnicodeDecodeError,
    ):
        return None


def _parse_value(value: Any, name: str, model: type[Model]) -> Any:
    """The Python value of one cursor key, or None if it cannot be one of `name`."""
    if value is None or isinstance(value, bool | list | dict):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # an annotation: plain JSON scalars only
        return value if isinstance(value, int | float | str) else None
    if not isinstance(field, Field):  # a reverse relation cannot be a key
        return None
    try:
        parsed = field.to_python(value)
        field.run_validators(parsed)  # e.g. the integer range of the database
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None
    if isinstance(parsed, dt.datetime) and timezone.is_naive(parsed):
        return None
    return parsed


def _parse(values: Any, fields: list[str], model: type[Model]) -> list[Any] | None:
    """The cursor's keys as Python values, or None when the cursor is unusable here."""
    if not isinstance(values, list) or len(values) != len(fields):
        return None
    parsed = [_parse_value(value, name, model) for value, name in zip(values, fields, strict=True)]
    return None if any(value is None for value in parsed) else parsed


class _Row(Func):
    """`(a, b, c)`: a row value."""

    function = ""
    template = "(%(expressions)s)"


def _row_comparison(fields: list[str], values: list[Any], operator: str, queryset: QuerySet) -> Q:
    model_fields = [queryset.model._meta.get_field(name) for name in fields]
    comparison = Func(
        _Row(*(F(name) for name in fields)),
        _Row(
            *(
                Value(value, output_field=field)
                for value, field in zip(values, model_fields, strict=True)
            )
        ),
        function="",
        template="%(expressions)s",
        arg_joiner=f" {operator} ",
        output_field=BooleanField(),
    )
    return Q(comparison)


def _seek(queryset: QuerySet, ordering: list[str], values: list[Any], forward: bool) -> Q:
    """Rows strictly after (forward) or before the row whose keys are `values`."""
    fields = [name.lstrip("-") for name in ordering]
    descending = [name.startswith("-") for name in ordering]
    if all(descending) or not any(descending):
        goes_down = descending[0] == forward
        return _row_comparison(fields, values, "<" if goes_down else ">", queryset)
    condition = Q()  # mixed directions: no single row comparison exists
    for index, field in enumerate(fields):
        goes_down = descending[index] == forward
        step = Q(**{f"{field}__{'lt' if goes_down else 'gt'}": values[index]})
        for previous in range(index):
            step &= Q(**{fields[previous]: values[previous]})
        condition |= step
    return condition


def _reversed(ordering: list[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


def keyset_paginate(
    queryset: QuerySet,
    *,
    ordering: list[str],
    cursor: str | None,
    size: int,
    before: str | None = None,
) -> KeysetPage:
    """Order by `ordering` (e.g. ["-published_at", "-id"]; the last key must be unique and no
    key may be null). `cursor` asks for the page after that row, `before` for the page before.
    """
    fields = [name.lstrip("-") for name in ordering]
    salt = _salt(queryset.model, ordering)
    position, forward = (before, False) if before else (cursor, True)
    values = _parse(_decode(position, salt=salt), fields, queryset.model) if position else None
    if values is None:
        forward = True
    if not forward and values is not None:
        rows = list(
            queryset.filter(_seek(queryset, ordering, values, forward=False)).order_by(
                *_reversed(ordering)
            )[: size + 1]
        )
        if len(rows) > size:
            items = rows[:size][::-1]
            return KeysetPage(
                items=items,
                next_cursor=_encode([getattr(items[-1], f) for f in fields], salt=salt),
                has_previous=True,
                previous_cursor=_encode([getattr(items[0], f) for f in fields], salt=salt),
            )
        values = None  # back at the start: the first page, full
    ordered = queryset.order_by(*ordering)
    if values is not None:
        ordered = ordered.filter(_seek(queryset, ordering, values, forward=True))
    rows = list(ordered[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        next_cursor = _encode([getattr(items[-1], f) for f in fields], salt=salt)
    has_previous = values is not None
    previous_cursor = (
        _encode([getattr(items[0], f) for f in fields], salt=salt)
        if has_previous and items
        else None
    )
    return KeysetPage(
        items=items,
        next_cursor=next_cursor,
        has_previous=has_previous,
        previous_cursor=previous_cursor,
    )
