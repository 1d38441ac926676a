"""France services: the network on a map, the nearest points, the coverage of the population."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ecoute.catalogue.forms import PlaceForm
from ecoute.catalogue.importers import OpeningHours, read_opening_hours
from ecoute.catalogue.search import NearbyPoint, nearest_counters
from ecoute.common.charts import (
    Cell,
    Chart,
    MapPoint,
    bar_chart,
    choropleth,
    csv_download,
    format_number,
)
from ecoute.territories.models import Commune

from .models import TARGET_MINUTES, TARGET_SHARE, THRESHOLDS, meets_target
from .queries import (
    Coverage,
    france_services_network,
    france_services_points,
    latest_coverage,
    population_by_departement,
)

NEAREST = 5  # points listed for a commune
# The importer writes the days in French (the data's language); shown in the reader's.
DAY_NAMES = {
    "Lundi": gettext_lazy("Lundi"),
    "Mardi": gettext_lazy("Mardi"),
    "Mercredi": gettext_lazy("Mercredi"),
    "Jeudi": gettext_lazy("Jeudi"),
    "Vendredi": gettext_lazy("Vendredi"),
    "Samedi": gettext_lazy("Samedi"),
}
COVERAGE_CLASSES = (80, 90, 95, 99)  # per cent: the target (95) is a class bound


@dataclass(frozen=True)
class NearestPoint:
    nearby: NearbyPoint
    hours: OpeningHours

    @property
    def days(self) -> list[tuple[str, str]]:
        return [(str(DAY_NAMES.get(day, day)), hours) for day, hours in self.hours.days]


def _points_map(network_id: int | None) -> Chart:
    """Every point as a dot, départements coloured by their number of points."""
    rows = list(
        france_services_points(network_id).values_list("longitude", "latitude", "departement_id")
    )
    counts = Counter(dep for _lon, _lat, dep in rows if dep)
    population = population_by_departement()
    rates = {
        code: 100_000 * counts[code] / inhabitants
        for code, inhabitants in population.items()
        if inhabitants
    }
    per_100k = {code: Cell(format_number(rate, 1), rate) for code, rate in rates.items()}
    return choropleth(
        chart_id="france-services-par-departement",
        title=_("Points France services par département"),
        description=_(
            "Carte des départements colorés selon leur nombre de points France services ; "
            "chaque point rouge est un lieu d'accueil."
        ),
        values={**dict.fromkeys(population, 0), **counts},
        value_label=_("Points France services"),
        points=[MapPoint(lon or 0.0, lat or 0.0, dep or "") for lon, lat, dep in rows],
        extra_columns=[(_("Points pour 100 000 habitants"), per_100k)],
        notes=[
            _(
                "%(points)s points. Population municipale INSEE ; Mayotte n'en a pas dans le "
                "fichier, d'où l'absence de taux pour 100 000 habitants."
            )
            % {"points": format_number(len(rows))}
        ],
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    network = france_services_network()
    network_id = network.pk if network else None
    chart = _points_map(network_id)
    if (response := csv_download(request, [chart])) is not None:
        return response
    form = PlaceForm(request.GET or None)
    commune: Commune | None = None
    others: list[Commune] = []
    nearest: list[NearestPoint] = []
    searched = False
    if form.is_valid():
        commune, others = form.locate()
        if commune is not None and form.is_valid():  # located: no error added
            searched = True
            found = (
                nearest_counters(
                    commune.latitude or 0.0,
                    commune.longitude or 0.0,
                    network=network_id,
                    limit=NEAREST,
                )
                if network_id is not None  # without the network, not every network's counters
                else []
            )
            nearest = [
                NearestPoint(point, read_opening_hours(point.contact_point.description))
                for point in found
            ]
    context = {
        "form": form,
        "commune": commune,
        "others": others,
        "nearest": nearest,
        "searched": searched,
        "chart": chart,
        "title": _("France services"),
        "breadcrumb": [(_("France services"), None)],
    }
    return render(request, "france_services/index.html", context)


def _coverage_map(coverage: Coverage) -> Chart:
    def share(code: str, minutes: int) -> float | None:
        figure = coverage.departements.get(code, {}).get(minutes)
        return figure.share if figure else None

    def column(minutes: int) -> dict[str, Cell]:
        return {
            code: Cell(format_number(share(code, minutes), 1, "%"), share(code, minutes))
            for code in coverage.departements
        }

    population = {
        code: Cell(format_number(figure.population), figure.population)
        for code, figure in ((c, f[TARGET_MINUTES]) for c, f in coverage.departements.items())
    }
    others = [m for m in THRESHOLDS if m != TARGET_MINUTES]
    return choropleth(
        chart_id="couverture-france-services",
        title=_("Part de la population à moins de %(minutes)s minutes d'un point France services")
        % {"minutes": TARGET_MINUTES},
        description=_(
            "Carte des départements colorés selon la part de leur population à moins de "
            "%(minutes)s minutes d'un point France services (objectif : %(target)s %%)."
        )
        % {"minutes": TARGET_MINUTES, "target": TARGET_SHARE},
        values={code: share(code, TARGET_MINUTES) for code in coverage.departements},
        value_label=_("À moins de %(minutes)s min") % {"minutes": TARGET_MINUTES},
        decimals=1,
        unit="%",
        thresholds=COVERAGE_CLASSES,
        extra_columns=[
            *((_("À moins de %(minutes)s min") % {"minutes": m}, column(m)) for m in others),
            (_("Population comptée"), population),
        ],
    )


def _time_distribution(coverage: Coverage) -> Chart:
    """The population by band of travel time, from the stored national thresholds."""
    national = [coverage.national[m] for m in THRESHOLDS if m in coverage.national]
    total = coverage.run.population
    bars, previous_minutes, previous_within = [], 0, 0
    for figure in national:
        label = (
            _("moins de %(high)s min") % {"high": figure.minutes}
            if not previous_minutes
            else _("de %(low)s à %(high)s min") % {"low": previous_minutes, "high": figure.minutes}
        )
        bars.append((label, 100 * (figure.population_within - previous_within) / (total or 1)))
        previous_minutes, previous_within = figure.minutes, figure.population_within
    bars.append(
        (
            _("%(low)s min ou plus") % {"low": previous_minutes},
            100 * (total - previous_within) / (total or 1),
        )
    )
    return bar_chart(
        chart_id="temps-de-trajet",
        title=_("Répartition de la population par temps de trajet estimé, France entière"),
        description=_("Barres horizontales : part de la population dans chaque tranche de temps."),
        bars=bars,
        value_label=_("Part de la population"),
        category_label=_("Temps de trajet estimé"),
        decimals=1,
        unit="%",
    )


@require_safe
def coverage(request: HttpRequest) -> HttpResponse:
    current = latest_coverage()
    charts = [_coverage_map(current), _time_distribution(current)] if current else []
    if (response := csv_download(request, charts)) is not None:
        return response
    national = []
    if current:
        national = [(m, current.national[m]) for m in THRESHOLDS if m in current.national]
    target = current.national.get(TARGET_MINUTES) if current else None
    below_target = []
    if current:
        below_target = sorted(
            (figures[TARGET_MINUTES].share or 0, code, current.names[code])
            for code, figures in current.departements.items()
            if not meets_target(figures[TARGET_MINUTES].share)
        )
    context = {
        "coverage": current,
        "chart": charts[0] if charts else None,
        "distribution": charts[1] if charts else None,
        "national": national,
        "target": target,
        "target_minutes": TARGET_MINUTES,
        "target_share": TARGET_SHARE,
        "target_met": bool(target and meets_target(target.share)),
        "below_target": below_target,
        "settings_detour": settings.ECOUTE_FS_DETOUR_FACTOR,
        "settings_speed": settings.ECOUTE_FS_SPEED_KMH,
        "title": _("Couverture du territoire par France services"),
        "breadcrumb": [
            (_("France services"), reverse("france_services:index")),
            (_("Couverture"), None),
        ],
    }
    return render(request, "france_services/coverage.html", context)
