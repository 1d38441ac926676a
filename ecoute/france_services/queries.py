"""Read helpers: which contact points are France services, the latest coverage figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from ecoute.catalogue.importers import FRANCE_SERVICES_NETWORK
from ecoute.catalogue.models import Channel, ContactPoint, Network
from ecoute.territories.models import Commune

from .models import CoverageFigure, CoverageRun


def france_services_network() -> Network | None:
    return Network.objects.filter(name=FRANCE_SERVICES_NETWORK).first()


def france_services_points(network_id: int | None) -> QuerySet[ContactPoint]:
    """The network's active counters that have a position: its points on the map."""
    if network_id is None:
        return ContactPoint.objects.none()
    return ContactPoint.objects.active().filter(
        organisation__network_id=network_id,
        channel=Channel.COUNTER,
        latitude__isnull=False,
        longitude__isnull=False,
    )


def population_by_departement() -> dict[str, int]:
    """Municipal population per département (communes with a known population)."""
    rows = (
        Commune.objects.filter(population__isnull=False)
        .values("departement_id")
        .annotate(total=Sum("population"))
        .values_list("departement_id", "total")
    )
    return {code: total for code, total in rows}


@dataclass(frozen=True)
class Coverage:
    run: CoverageRun
    national: dict[int, CoverageFigure]  # minutes -> figure
    departements: dict[str, dict[int, CoverageFigure]]  # code -> minutes -> figure
    names: dict[str, str]  # département code -> name


def latest_coverage() -> Coverage | None:
    """The most recent stored computation, its figures grouped (two queries), or None."""
    run = CoverageRun.objects.first()
    if run is None:
        return None
    national: dict[int, CoverageFigure] = {}
    departements: dict[str, dict[int, CoverageFigure]] = {}
    names: dict[str, str] = {}
    for figure in CoverageFigure.objects.filter(run=run).select_related("departement"):
        if figure.departement is None:
            national[figure.minutes] = figure
        else:
            departements.setdefault(figure.departement.code, {})[figure.minutes] = figure
            names[figure.departement.code] = figure.departement.name
    return Coverage(run, national, departements, names)
