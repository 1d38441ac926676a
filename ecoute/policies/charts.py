"""The baromètre's drawings, from `ecoute.common.charts`: a map of the départements' current
values and the national evolution (with the target) of each indicator. Each chart links its
CSV to the policy page's own CSV of the same figures."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ecoute.common.charts import Chart, Series, choropleth, line_chart

from .models import Policy
from .queries import IndicatorBlock


def _decimals(values: list[float]) -> int:
    return 0 if all(float(v).is_integer() for v in values) else 1


def _short_unit(unit: str) -> str:
    """Only a short unit fits beside every number ("%"); longer ones stay in the labels."""
    return "%" if unit.startswith("%") else ""


def departement_map(policy: Policy, block: IndicatorBlock) -> Chart | None:
    values = {s.departement_id: s.current_value for s in block.departements if s.departement_id}
    known = [v for v in values.values() if v is not None]
    if not known:
        return None
    indicator, edition = block.indicator, policy.edition.code
    csv_url = reverse("policies:policy_csv", args=[edition, policy.code, "departements"])
    return choropleth(
        chart_id=f"carte-{indicator.code.lower()}",
        title=_("%(name)s : dernière valeur par département") % {"name": indicator.name},
        values=values,
        value_label=_("Valeur actuelle"),
        decimals=_decimals(known),
        unit=_short_unit(indicator.unit),
        links={code: reverse("policies:departement", args=[edition, code]) for code in values},
        csv_url=f"{csv_url}?indicateur={indicator.code}",
        notes=[_("Unité : %(unit)s.") % {"unit": indicator.unit}] if indicator.unit else [],
    )


def national_evolution(policy: Policy, block: IndicatorBlock) -> Chart | None:
    if len(block.history) < 2:
        return None
    indicator = block.indicator
    series = [Series(_("Valeur actuelle"), [(v.date, v.value) for v in block.history])]
    national = block.national
    if national and national.target_value is not None and national.target_date is not None:
        series.append(Series(_("Cible"), [(national.target_date, national.target_value)]))
    known = [v.value for v in block.history]
    csv_url = reverse("policies:policy_csv", args=[policy.edition.code, policy.code, "historique"])
    return line_chart(
        chart_id=f"evolution-{indicator.code.lower()}",
        title=_("%(name)s : évolution en France entière") % {"name": indicator.name},
        series=series,
        y_label=indicator.unit[:30] or _("Valeur"),
        decimals=_decimals(known),
        unit=_short_unit(indicator.unit),
        csv_url=f"{csv_url}?indicateur={indicator.code}",
    )
