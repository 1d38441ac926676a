"""Date ranges as people say them: « du 14 septembre au 15 décembre 2026 »."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _day(day: dt.date, *, with_year: bool) -> str:
    text = formats.date_format(day, "j F Y" if with_year else "j F")
    if day.day == 1 and (get_language() or "fr").startswith("fr"):
        text = "1er" + text[1:]  # « le 1er septembre »
    return text


def date_range(starts_on: dt.date, ends_on: dt.date) -> str:
    """« du 14 septembre au 15 décembre 2026 », « du 1er décembre 2026 au 15 janvier 2027 »,
    « le 3 mars 2026 » (one day)."""
    if starts_on == ends_on:
        return _("le %(day)s") % {"day": _day(starts_on, with_year=True)}
    same_year = starts_on.year == ends_on.year
    return _("du %(start)s au %(end)s") % {
        "start": _day(starts_on, with_year=not same_year),
        "end": _day(ends_on, with_year=True),
    }
