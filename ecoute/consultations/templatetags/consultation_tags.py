"""`{% status_badge consultation %}` wherever a consultation is named, `|date_range`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from ..dates import date_range as _date_range
from ..models import Consultation, Status

register = template.Library()

# DSFR badge variant per status (colour is never the only signal: the label says it).
BADGE_CLASSES = {
    Status.DRAFT: "fr-badge--warning",
    Status.UPCOMING: "fr-badge--info",
    Status.OPEN: "fr-badge--success",
    Status.CLOSED: "",
    Status.RESULTS: "fr-badge--new",
}


@register.inclusion_tag("consultations/_status_badge.html")
def status_badge(consultation: Consultation, today: dt.date | None = None) -> dict[str, Any]:
    status = consultation.status(today)
    return {"status": status, "badge_class": BADGE_CLASSES[status]}


@register.simple_tag
def date_range(starts_on: dt.date | None, ends_on: dt.date | None) -> str:
    if starts_on is None or ends_on is None:
        return ""
    return _date_range(starts_on, ends_on)
