"""How a section's contributions are listed: every order reads an index range, never a sort of
all rows (README, "Orders").

"Ordonné puis aléatoire" (the default, as on the Forum de l'action publique): pinned
contributions first, then the others in an order random per visitor and stable for them.
Each contribution draws a `shuffle_key` once (uniform in [0, 2³¹)); each visitor has a seed
kept in their session, from which each section gets a rotation offset. The list is the index
`(section, shuffle_key, id)` read from the offset to the end, then from the start up to the
offset: two index ranges, so page 1000 costs what page 1 costs, at 100,000 contributions as at
100. Every visitor gets another starting point in one shared random permutation; that is
enough for fairness (no contribution is always on top) and keeps one index."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ecoute.common.pagination import KeysetPage, keyset_paginate

from .models import SHUFFLE_SPAN, Contribution, Section

SEED_KEY = "debats_graine"
_SALT = "ecoute.debates.shuffle"


@dataclass(frozen=True)
class Sort:
    key: str
    label: Any
    ordering: list[str]


SORTS = {
    sort.key: sort
    for sort in (
        Sort("aleatoire", _("Ordonné puis aléatoire"), []),
        Sort("votes", _("Les plus votées"), ["-votes_total", "-id"]),
        Sort("debattues", _("Les plus débattues"), ["-arguments_count", "-id"]),
        Sort("recentes", _("Les plus récentes"), ["-created_at", "-id"]),
        Sort("anciennes", _("Les plus anciennes"), ["created_at", "id"]),
    )
}
DEFAULT_SORT = "aleatoire"


def visitor_seed(session: SessionBase) -> int:
    seed = session.get(SEED_KEY)
    if not isinstance(seed, int):
        seed = secrets.randbelow(SHUFFLE_SPAN)
        session[SEED_KEY] = seed
    return seed


def rotation_offset(seed: int, section: Section) -> int:
    """Where this visitor starts reading `section`'s shuffled index (a mix of both)."""
    return (seed * 2_654_435_761 + (section.pk or 0) * 40_503) % SHUFFLE_SPAN


def _shuffled_page(
    queryset: QuerySet[Contribution], *, offset: int, cursor: str | None, size: int
) -> KeysetPage:
    position: tuple[int, int, int] | None = None
    if cursor:
        try:
            lap, key, pk = signing.loads(cursor, salt=_SALT)
            position = (int(lap), int(key), int(pk))
        except (signing.BadSignature, TypeError, ValueError):
            position = None
    rows: list[tuple[int, Contribution]] = []
    laps = [(1, Q(shuffle_key__gte=offset)), (2, Q(shuffle_key__lt=offset))]
    for lap, condition in laps:
        if position and lap < position[0]:
            continue
        qs = queryset.filter(condition)
        if position and lap == position[0]:
            key, pk = position[1], position[2]
            # A range on the index, then the tie (same key) resolved on id.
            qs = qs.filter(shuffle_key__gte=key).exclude(shuffle_key=key, id__lte=pk)
        wanted = size + 1 - len(rows)
        rows.extend((lap, row) for row in qs.order_by("shuffle_key", "id")[:wanted])
        if len(rows) > size:
            break
    items = [row for _lap, row in rows[:size]]
    next_cursor = None
    if len(rows) > size:
        lap, last = rows[size - 1]
        next_cursor = signing.dumps([lap, last.shuffle_key, last.pk], salt=_SALT)
    return KeysetPage(items=items, next_cursor=next_cursor, has_previous=position is not None)


def contributions_page(
    section: Section,
    *,
    sort: str,
    seed: int,
    cursor: str | None,
    before: str | None,
    size: int,
) -> KeysetPage:
    queryset = Contribution.objects.published().filter(section=section).select_related("author")
    if sort == DEFAULT_SORT:
        return _shuffled_page(
            queryset.filter(pinned=False),
            offset=rotation_offset(seed, section),
            cursor=cursor,
            size=size,
        )
    return keyset_paginate(
        queryset, ordering=SORTS[sort].ordering, cursor=cursor, before=before, size=size
    )
