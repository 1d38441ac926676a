"""Public pages of the results: the eight indicators and their definitions, and the results of
a scope (France, a département, a network, an organisation). Every page reads roll-ups only,
in a bounded number of queries (tests/indicators/test_views.py)."""

import csv
import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoute.catalogue.models import Network, Organisation
from ecoute.common.charts import Chart, choropleth
from ecoute.territories.models import Departement

from .definitions import BY_SLUG, INDICATORS, Indicator
from .models import NATION_KEY, ScopeKind
from .queries import (
    IndicatorValue,
    latest_semester,
    parse_semester,
    scope_results,
    semester_label,
    values_by_departement,
)


def _breadcrumb(*crumbs: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Indicateurs"), reverse("indicators:list")), *crumbs]


@require_safe
def indicator_list(request: HttpRequest) -> HttpResponse:
    title = _("Les indicateurs des services publics")
    return render(
        request,
        "indicators/list.html",
        {"indicators": INDICATORS, "title": title, "breadcrumb": [(title, None)]},
    )


def _indicator_or_404(slug: str) -> Indicator:
    indicator = BY_SLUG.get(slug)
    if indicator is None:
        raise Http404(_("Indicateur inconnu."))
    return indicator


def _semester(request: HttpRequest, indicator: Indicator) -> dt.date | None:
    """The semester asked for (?semestre=2026-S1), or the newest with a national value."""
    asked = request.GET.get("semestre", "")
    if asked:
        semester = parse_semester(asked)
        if semester is None:
            raise Http404(_("Semestre invalide : écrivez-le AAAA-S1 ou AAAA-S2."))
        return semester
    return latest_semester(indicator)


def _departement_rows(
    indicator: Indicator, semester: dt.date | None
) -> list[tuple[Departement, IndicatorValue | None]]:
    values = values_by_departement(indicator, semester) if semester else {}
    return [
        (departement, values.get(departement.code))
        for departement in Departement.objects.order_by("code")
    ]


def _map(
    indicator: Indicator, semester: dt.date, rows: list[tuple[Departement, IndicatorValue | None]]
) -> Chart:
    """The published values per département as a choropleth (common.charts), with its table."""
    label = semester_label(semester)
    return choropleth(
        chart_id=f"carte-{indicator.slug}",
        title=_("%(name)s par département, semestre %(label)s")
        % {"name": indicator.name, "label": label},
        values={d.code: v.rate if v is not None and v.sufficient else None for d, v in rows},
        value_label=str(indicator.unit),
        decimals=0,
        unit=" %",
        links={d.code: reverse("indicators:departement", args=[d.code]) for d, _v in rows},
        csv_url=reverse("indicators:csv", args=[indicator.slug]) + f"?semestre={label}",
        notes=[_("Hachuré : pas de valeur publiée (aucune mesure ou échantillon insuffisant).")],
    )


@require_safe
def indicator_definition(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = _indicator_or_404(slug)
    semester = _semester(request, indicator)
    national = scope_results(ScopeKind.NATION, NATION_KEY, [indicator])
    departements = _departement_rows(indicator, semester)
    return render(
        request,
        "indicators/definition.html",
        {
            "indicator": indicator,
            "national": national,
            "semester": semester,
            "semester_label": semester_label(semester) if semester else "",
            # The table lists the départements with a measure; the map's table lists them all.
            "measured": [(d, v) for d, v in departements if v is not None and v.denominator],
            "unmeasured": sum(1 for _d, v in departements if v is None or not v.denominator),
            "map": _map(indicator, semester, departements) if semester else None,
            "title": indicator.name,
            "breadcrumb": _breadcrumb((str(indicator.name), None)),
        },
    )


@require_safe
def indicator_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The values per département of one semester, as CSV (UTF-8, comma)."""
    indicator = _indicator_or_404(slug)
    semester = _semester(request, indicator)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    label = semester_label(semester) if semester else "aucun"
    response["Content-Disposition"] = f'attachment; filename="{indicator.slug}-{label}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "indicateur",
            "semestre",
            "departement",
            "nom",
            "numerateur",
            "denominateur",
            "taux",
            "publie",
        ]
    )
    for departement, value in _departement_rows(indicator, semester):
        numerator, denominator = (value.numerator, value.denominator) if value else (0, 0)
        rate = f"{value.rate:.1f}" if value and value.rate is not None else ""
        published = "oui" if value and value.sufficient else "non"
        writer.writerow(
            [
                indicator.slug,
                label,
                departement.code,
                departement.name,
                numerator,
                denominator,
                rate,
                published,
            ]
        )
    return response


def _results(
    request: HttpRequest,
    *,
    scope_kind: str,
    scope_key: str,
    name: str,
    testid: str,
    departements: list[Departement] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    title = _("Résultats : %(name)s") % {"name": name}
    return render(
        request,
        "indicators/results.html",
        {
            "results": scope_results(scope_kind, scope_key),
            "scope_name": name,
            "scope_testid": testid,
            "departements": departements or [],
            "title": title,
            "breadcrumb": _breadcrumb((title, None)),
            **(extra or {}),
        },
    )


@require_safe
def national_results(request: HttpRequest) -> HttpResponse:
    """France's results, then a map of the départements for one indicator (`?indicateur=`,
    the first by default; `?semestre=` as on its definition page), its table collapsed under
    the map and the list of the départements' pages below."""
    asked = request.GET.get("indicateur", "")
    indicator = _indicator_or_404(asked) if asked else INDICATORS[0]
    semester = _semester(request, indicator)
    rows = _departement_rows(indicator, semester)
    return _results(
        request,
        scope_kind=ScopeKind.NATION,
        scope_key=NATION_KEY,
        departements=[departement for departement, _value in rows],
        name=_("France entière"),
        testid="nation",
        extra={
            "map": _map(indicator, semester, rows) if semester else None,
            "map_indicator": indicator,
            "indicators": INDICATORS,
        },
    )


@require_safe
def departement_results(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_object_or_404(Departement, code=code)
    return _results(
        request,
        scope_kind=ScopeKind.DEPARTEMENT,
        scope_key=departement.code,
        name=f"{departement.name} ({departement.code})",
        testid="departement",
    )


@require_safe
def network_results(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    return _results(
        request,
        scope_kind=ScopeKind.NETWORK,
        scope_key=str(network.pk),
        name=network.name,
        testid="network",
    )


@require_safe
def organisation_results(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    return _results(
        request,
        scope_kind=ScopeKind.ORGANISATION,
        scope_key=str(organisation.pk),
        name=organisation.display_name,
        testid="organisation",
    )
