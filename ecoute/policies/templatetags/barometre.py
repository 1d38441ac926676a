"""`{% dated_value value date %}`: a number in the reader's format with its date under it, or
"—" when there is none."""

import datetime as dt

from django import template
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def dated_value(value: float | None, date: dt.date | None = None, unit: str = "") -> SafeString:
    if value is None:
        return format_html(
            '<span aria-hidden="true">—</span><span class="fr-sr-only">{}</span>',
            _("non renseigné"),
        )
    number = floatformat(value, "-2g")
    if date is None:
        return format_html("{}{}", number, f" {unit}" if unit else "")
    return format_html(
        '{}{}<br><span class="fr-text--xs">{}</span>',
        number,
        f" {unit}" if unit else "",
        format_date(date, "j F Y"),
    )
