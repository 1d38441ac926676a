"""Public pages of the results: the eight indicators and their definitions, and the results of
a scope (France, a département, a network, an organisation). Every page reads roll-ups only,
in a bounded number of queries (tests/indicators/test_views.py)."""

import csv
import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoute.catalogue.models import Network, Organisation
from ecoute.common.charts import (
    Cell,
    Chart,
    DataTable,
    choropleth,
    csv_download,
    csv_response,
    format_number,
)
from ecoute.policies.queries import DatedValue, transparency_by_departement, transparency_national
from ecoute.territories.models import Departement, Region

from . import transparency
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
    transparency_report: transparency.Transparency | None = None,
    state_rate: DatedValue | None = None,
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
            "transparency": transparency_report,
            "state_rate": state_rate,
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
    semester = transparency.latest_complete_semester(timezone.localdate())
    return _results(
        request,
        scope_kind=ScopeKind.DEPARTEMENT,
        scope_key=departement.code,
        name=f"{departement.name} ({departement.code})",
        testid="departement",
        transparency_report=transparency.cached(semester, departement=departement.code),
        state_rate=transparency_by_departement(departement.code).get(departement.code),
    )


@require_safe
def network_results(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    semester = transparency.latest_complete_semester(timezone.localdate())
    return _results(
        request,
        scope_kind=ScopeKind.NETWORK,
        scope_key=str(network.pk),
        name=network.name,
        testid="network",
        transparency_report=transparency.cached(semester, network_id=network.pk),
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


# --- The transparency rate (transparency.py, decision 0022) ----------------------------------

# The same classes on both maps, so that Écoute's and the State's can be compared at a glance.
TRANSPARENCY_THRESHOLDS = (20, 40, 60, 80)


def _transparency_semester(request: HttpRequest) -> dt.date:
    """The semester asked for (?semestre=2026-S1), or the newest complete one."""
    asked = request.GET.get("semestre", "")
    if asked:
        semester = parse_semester(asked)
        if semester is None:
            raise Http404(_("Semestre invalide : écrivez-le AAAA-S1 ou AAAA-S2."))
        return semester
    return transparency.latest_complete_semester(timezone.localdate())


def _percent(value: float | None) -> Cell:
    return Cell(format_number(value, 0, "%"), None if value is None else round(value, 1))


def _count(value: int) -> Cell:
    return Cell(format_number(value), value)


def _departement_table(
    report: transparency.Transparency,
    departements: list[Departement],
    state: dict[str, DatedValue],
    label: str,
) -> DataTable:
    rows = []
    for departement in departements:
        share = report.by_departement.get(departement.code, transparency.Share())
        mean = report.network_mean.get(departement.code)
        official = state.get(departement.code)
        gap = mean - official.value if mean is not None and official is not None else None
        rows.append(
            (
                Cell(departement.code, departement.code),
                Cell(
                    departement.name,
                    departement.name,
                    reverse("indicators:departement", args=[departement.code]),
                ),
                _count(share.published),
                _count(share.total),
                _percent(share.rate),
                _percent(mean),
                _percent(official.value if official else None),
                Cell(format_number(gap, 0), None if gap is None else round(gap, 1)),
            )
        )
    return DataTable(
        caption=_("Taux de transparence par département, semestre %(label)s, et taux de l'État")
        % {"label": label},
        columns=(
            _("Code"),
            _("Département"),
            _("Lieux d'accueil qui publient"),
            _("Lieux d'accueil"),
            _("Taux Écoute"),
            _("Taux Écoute, méthode de l'État (moyenne des réseaux)"),
            _("Taux de l'État (baromètre 2023)"),
            _("Écart, méthode de l'État (points)"),
        ),
        rows=tuple(rows),
        csv_columns=(
            "code",
            "departement",
            "lieux_publiant",
            "lieux",
            "taux_ecoute",
            "taux_ecoute_moyenne_reseaux",
            "taux_etat_2023",
            "ecart_points",
        ),
    )


def _network_table(
    report: transparency.Transparency, networks: list[Network], label: str
) -> DataTable:
    rows = []
    for network in networks:
        share = report.by_network.get(network.pk, transparency.Share())
        if not share.total:  # no counter (online services only): not a network of places
            continue
        transparent = report.is_transparent(share)
        rows.append(
            (
                Cell(
                    network.name,
                    network.slug,
                    reverse("indicators:network", args=[network.slug]),
                ),
                _count(share.published),
                _count(share.total),
                _percent(share.rate),
                Cell(_("oui") if transparent else _("non"), "oui" if transparent else "non"),
            )
        )
    return DataTable(
        caption=_("Taux de transparence par réseau, semestre %(label)s") % {"label": label},
        columns=(
            _("Réseau"),
            _("Lieux d'accueil qui publient"),
            _("Lieux d'accueil"),
            _("Taux Écoute"),
            _("Publie dans plus des deux tiers de ses lieux"),
        ),
        rows=tuple(rows),
        csv_columns=("reseau", "lieux_publiant", "lieux", "taux_ecoute", "plus_deux_tiers"),
    )


def _region_table(
    report: transparency.Transparency, regions: list[Region], label: str
) -> DataTable:
    rows = []
    for region in regions:
        share = report.by_region.get(region.code, transparency.Share())
        rows.append(
            (
                Cell(region.name, region.code),
                _count(share.published),
                _count(share.total),
                _percent(share.rate),
            )
        )
    return DataTable(
        caption=_("Taux de transparence par région, semestre %(label)s") % {"label": label},
        columns=(
            _("Région"),
            _("Lieux d'accueil qui publient"),
            _("Lieux d'accueil"),
            _("Taux Écoute"),
        ),
        rows=tuple(rows),
        csv_columns=("region", "lieux_publiant", "lieux", "taux_ecoute"),
    )


@require_safe
def transparency_rate(request: HttpRequest) -> HttpResponse:
    """The share of services publishing their results: France, départements (with the State's
    2023 rate beside), networks, régions; each table as CSV (?csv=<id>)."""
    semester = _transparency_semester(request)
    label = semester_label(semester)
    report = transparency.cached(semester)
    departements = list(Departement.objects.order_by("code"))
    state = transparency_by_departement()
    national_state = transparency_national()
    counts = {
        code: (_count(share.published), _count(share.total))
        for code, share in report.by_departement.items()
    }
    links = {d.code: reverse("indicators:departement", args=[d.code]) for d in departements}
    ecoute_map = choropleth(
        chart_id="carte-transparence-ecoute",
        title=_("Taux de transparence Écoute par département, semestre %(label)s")
        % {"label": label},
        values={code: share.rate for code, share in report.by_departement.items()},
        value_label=_("Part des lieux d'accueil qui publient"),
        decimals=0,
        unit=" %",
        thresholds=TRANSPARENCY_THRESHOLDS,
        links=links,
        extra_columns=[
            (_("Lieux d'accueil qui publient"), {c: n[0] for c, n in counts.items()}),
            (_("Lieux d'accueil"), {c: n[1] for c, n in counts.items()}),
        ],
        csv_url=f"?semestre={label}&csv=carte-transparence-ecoute",
        notes=[_("Hachuré : aucun lieu d'accueil de l'annuaire dans le département.")],
    )
    state_date = max((v.date for v in state.values()), default=None)
    state_map = choropleth(
        chart_id="carte-transparence-etat",
        title=_("Taux de transparence de l'État par département (baromètre des résultats 2023)"),
        values={code: value.value for code, value in state.items()},
        value_label=_("Taux de l'État"),
        decimals=0,
        unit=" %",
        thresholds=TRANSPARENCY_THRESHOLDS,
        links=links,
        csv_url="?csv=carte-transparence-etat",
        notes=[_("Hachuré : pas de valeur dans le baromètre.")],
    )
    tables = {
        "departements": _departement_table(report, departements, state, label),
        "reseaux": _network_table(report, list(Network.objects.order_by("name")), label),
        "regions": _region_table(report, list(Region.objects.order_by("name")), label),
    }
    if (response := csv_download(request, [ecoute_map, state_map])) is not None:
        return response
    wanted = request.GET.get("csv", "")
    if wanted in tables:
        return csv_response(tables[wanted], filename=f"transparence-{wanted}-{label}.csv")
    title = _("Taux de transparence des services publics")
    return render(
        request,
        "indicators/transparency.html",
        {
            "report": report,
            "semester": semester,
            "semester_label": label,
            "semesters": [
                (start, semester_label(start))
                for start in transparency.complete_semesters(timezone.localdate())
            ],
            "definition": transparency.definition(),
            "national_state": national_state,
            "state_date": state_date,
            "maps": [ecoute_map, state_map],
            "tables": tables,
            "title": title,
            "breadcrumb": _breadcrumb((title, None)),
        },
    )
