"""How a change since the previous edition reads: "en hausse de 2,1 points"."""

from django import template
from django.utils.translation import gettext as _

from ecoute.common.charts import format_number

from ..queries import EditionValue

register = template.Library()


def _points(amount: float) -> str:
    # French: "1,5 point", "2 points" (plural from 2).
    text = format_number(amount, 1)
    return _("%(n)s points") % {"n": text} if amount >= 2 else _("%(n)s point") % {"n": text}


@register.simple_tag
def change_text(value: EditionValue) -> str:
    change = value.change
    if change is None:
        if value.previous is None:
            return _("pas d'édition précédente")
        if value.previous.denominator == 0:
            return _("pas de valeur dans l'édition précédente")
        return _("non comparable (échantillon insuffisant)")
    if change > 0:
        return _("en hausse de %(points)s") % {"points": _points(change)}
    if change < 0:
        return _("en baisse de %(points)s") % {"points": _points(-change)}
    return _("stable")


@register.simple_tag
def mean_change_text(value: EditionValue) -> str:
    change = value.mean_change
    if change is None:
        return ""
    if change == 0:
        return _("note stable")
    sign = "+" if change > 0 else "−"
    return _("note : %(sign)s%(n)s sur 5") % {"sign": sign, "n": format_number(abs(change), 2)}
