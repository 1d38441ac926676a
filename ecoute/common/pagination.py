"""Keyset ("seek") pagination: page N costs the same as page 1, whatever the table size."""

import binascii
import datetime as dt
import json
import zlib
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils import timezone

_SALT = "ecoute.keyset"


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    has_previous: bool


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


def keyset_paginate(
    queryset: QuerySet, *, ordering: list[str], cursor: str | None, size: int
) -> KeysetPage:
    """Order by `ordering` (e.g. ["-published_at", "-id"]; non-null keys, the last one unique).

    An unusable cursor (another list's, tampered, wrong number or types of keys) gives the
    first page rather than an error.
    """
    queryset = queryset.order_by(*ordering)
    fields = [name.lstrip("-") for name in ordering]
    salt = _salt(queryset.model, ordering)
    parsed = _parse(_decode(cursor, salt=salt), fields, queryset.model) if cursor else None
    if parsed is not None:
        condition = Q()
        for index, name in enumerate(ordering):
            field = fields[index]
            lookup = "lt" if name.startswith("-") else "gt"
            step = Q(**{f"{field}__{lookup}": parsed[index]})
            for previous in range(index):
                step &= Q(**{fields[previous]: parsed[previous]})
            condition |= step
        queryset = queryset.filter(condition)
    rows = list(queryset[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = _encode([getattr(last, f) for f in fields], salt=salt)
    return KeysetPage(items=items, next_cursor=next_cursor, has_previous=parsed is not None)
