"""The public agenda: dated entries from several apps, merged on one page and in iCalendar.

Consultations register their phases here (`phase_entries`); an `events` app will register its
forums and workshops the same way, from its AppConfig.ready(), without this app importing it.
A source returns at most `limit` entries of each half of the agenda (current and upcoming:
ending today or later, soonest first; past: latest first), filtered by the visitor's filters;
the page shows each half `PER_PAGE` entries at a time (`agenda_pages`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .queries import ConsultationFilters

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import Consultation, Phase

# The iCalendar feeds carry at most this many entries of each half (the filters narrow it).
LIMIT = 100
# The page shows each half this many entries at a time, up to MAX_PAGE pages (each source is
# read up to page × PER_PAGE rows: the filters are the way further).
PER_PAGE = 50
MAX_PAGE = 40


@dataclass(frozen=True)
class AgendaEntry:
    uid: str  # stable across renders and hosts: the iCalendar UID
    title: str  # what it is: "Consultation Services publics + — Consultation"
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    url: str  # path on this site
    kind: StrOrPromise  # "Consultation", "Atelier"…
    label: str = ""  # the phase or event name
    parent_title: str = ""  # the consultation it belongs to
    places: tuple[str, ...] = ()  # département names; empty: national
    theme: str = ""
    consultation: Consultation | None = field(default=None, compare=False)
    updated_at: dt.datetime | None = None

    def is_current(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


@dataclass(frozen=True)
class AgendaSource:
    key: str
    # (filters, today, upcoming, limit): upcoming=True → ends_on >= today, soonest first;
    # upcoming=False → ends_on < today, latest first.
    entries: Callable[[ConsultationFilters, dt.date, bool, int], list[AgendaEntry]]


_SOURCES: dict[str, AgendaSource] = {}


def register_agenda_source(source: AgendaSource) -> None:
    """Register (or replace) a source of agenda entries."""
    _SOURCES[source.key] = source


def agenda(
    filters: ConsultationFilters, *, today: dt.date | None = None, limit: int | None = None
) -> tuple[list[AgendaEntry], list[AgendaEntry]]:
    """(current and upcoming, past), each merged from every source and cut at `limit`."""
    today = today or timezone.localdate()
    limit = limit or LIMIT
    return _merged(filters, today, True, limit)[:limit], _merged(filters, today, False, limit)[
        :limit
    ]


def _merged(
    filters: ConsultationFilters, today: dt.date, upcoming: bool, limit: int
) -> list[AgendaEntry]:
    """Up to `limit` entries of every source for one half, in the half's order."""
    merged = [e for s in _SOURCES.values() for e in s.entries(filters, today, upcoming, limit)]
    if upcoming:
        merged.sort(key=lambda e: (e.starts_on, e.ends_on, e.uid))
    else:
        merged.sort(key=lambda e: (e.ends_on, e.starts_on, e.uid), reverse=True)
    return merged


@dataclass(frozen=True)
class AgendaHalf:
    entries: list[AgendaEntry]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _half(filters: ConsultationFilters, today: dt.date, upcoming: bool, page: int) -> AgendaHalf:
    page = min(max(page, 1), MAX_PAGE)
    # one more than the page needs tells whether a next page exists
    merged = _merged(filters, today, upcoming, page * PER_PAGE + 1)
    start = (page - 1) * PER_PAGE
    return AgendaHalf(
        entries=merged[start : start + PER_PAGE],
        page=page,
        has_next=len(merged) > start + PER_PAGE and page < MAX_PAGE,
    )


def agenda_pages(
    filters: ConsultationFilters,
    *,
    upcoming_page: int = 1,
    past_page: int = 1,
    today: dt.date | None = None,
) -> tuple[AgendaHalf, AgendaHalf]:
    """The page's two halves (current and upcoming, past), each at its own page."""
    today = today or timezone.localdate()
    return _half(filters, today, True, upcoming_page), _half(filters, today, False, past_page)


def phase_entry(phase: Phase) -> AgendaEntry:
    consultation = phase.consultation
    return AgendaEntry(
        uid=f"consultation-phase-{phase.pk}@ecoute",
        title=f"{consultation.title} — {phase.title}",
        starts_on=phase.starts_on,
        ends_on=phase.ends_on,
        url=consultation.get_absolute_url(),
        kind=_("Consultation"),
        label=phase.title,
        parent_title=consultation.title,
        places=tuple(d.name for d in consultation.departements.all())
        if not consultation.is_national
        else (),
        theme=consultation.theme.name if consultation.theme else "",
        consultation=consultation,
        updated_at=consultation.updated_at,
    )


def phase_entries(
    filters: ConsultationFilters, today: dt.date, upcoming: bool, limit: int
) -> list[AgendaEntry]:
    """The phases of published consultations."""
    from .models import Phase

    phases = Phase.objects.filter(
        filters.condition(prefix="consultation__", today=today),
        consultation__published_at__isnull=False,
    )
    if upcoming:
        phases = phases.filter(ends_on__gte=today).order_by("starts_on", "ends_on", "id")
    else:
        phases = phases.filter(ends_on__lt=today).order_by("-ends_on", "-starts_on", "-id")
    phases = phases.select_related("consultation__theme").prefetch_related(
        "consultation__departements"
    )
    return [phase_entry(phase) for phase in phases[:limit]]


CONSULTATION_PHASES = AgendaSource(key="consultations", entries=phase_entries)
