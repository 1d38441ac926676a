"""Keyset ("seek") pagination: page N costs the same as page 1, whatever the table size."""

import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

_SALT = "ecoute.keyset"


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    has_previous: bool


def _encode(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in values]
    return signing.dumps(plain, salt=_SALT, compress=True)


def _decode(cursor: str) -> list[Any] | None:
    try:
        return signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, json.JSONDecodeError, binascii.Error):
        return None


def _parse(value: Any, sample_field: str, queryset: QuerySet) -> Any:
    field = queryset.model._meta.get_field(sample_field)
    internal = field.get_internal_type()
    if value is None:
        return None
    if internal == "DateTimeField":
        return dt.datetime.fromisoformat(value)
    if internal == "DateField":
        return dt.date.fromisoformat(value)
    return value


def keyset_paginate(
    queryset: QuerySet, *, ordering: list[str], cursor: str | None, size: int
) -> KeysetPage:
    """Order by `ordering` (e.g. ["-published_at", "-id"]; the last key must be unique).

    An invalid or tampered cursor falls back to the first page rather than erroring.
    """
    queryset = queryset.order_by(*ordering)
    fields = [name.lstrip("-") for name in ordering]
    values = _decode(cursor) if cursor else None
    if values is not None and len(values) == len(fields):
        parsed = [_parse(v, f, queryset) for v, f in zip(values, fields, strict=True)]
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
        next_cursor = _encode([getattr(last, f) for f in fields])
    return KeysetPage(items=items, next_cursor=next_cursor, has_previous=values is not None)
