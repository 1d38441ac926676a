"""Agenda entries as an iCalendar feed (RFC 5545), written with the `icalendar` library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from .agenda import AgendaEntry

PRODID = "-//Écoute//Agenda des consultations//FR"


def calendar_bytes(entries: Iterable[AgendaEntry], *, name: str, site_url: str) -> bytes:
    """One all-day VEVENT per entry: DTEND is the day after the last day (exclusive)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        # The time the entry last changed: the same feed twice gives the same bytes.
        event.add("dtstamp", (entry.updated_at or now).astimezone(dt.UTC))
        event.add("dtstart", entry.starts_on)
        event.add("dtend", entry.ends_on + dt.timedelta(days=1))
        event.add("summary", entry.title)
        event.add("url", site_url.rstrip("/") + entry.url)
        if entry.places:
            event.add("location", ", ".join(entry.places))
        calendar.add_component(event)
    return calendar.to_ical()
