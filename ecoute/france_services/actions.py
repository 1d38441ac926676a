"""State changes of France services: storing a coverage computation."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ecoute.territories.models import Commune, Departement

from .coverage import CommuneInput, compute
from .models import THRESHOLDS, CoverageFigure, CoverageRun
from .queries import france_services_network, france_services_points


def compute_coverage(
    *, detour_factor: float | None = None, speed_kmh: float | None = None
) -> CoverageRun:
    """Compute the coverage of the population by France services and store it (one run).

    Assumptions default to the settings (ECOUTE_FS_DETOUR_FACTOR, ECOUTE_FS_SPEED_KMH). Each
    call stores a new run with its date; pages show the latest.
    """
    detour = settings.ECOUTE_FS_DETOUR_FACTOR if detour_factor is None else detour_factor
    speed = settings.ECOUTE_FS_SPEED_KMH if speed_kmh is None else speed_kmh
    if detour < 1 or speed <= 0:
        raise ValueError("the detour factor must be at least 1 and the speed positive")
    network = france_services_network()
    points = list(
        france_services_points(network.pk if network else None).values_list(
            "latitude", "longitude", "departement_id"
        )
    )
    communes = [
        CommuneInput(*row)
        for row in Commune.objects.values_list(
            "code", "departement_id", "population", "latitude", "longitude"
        ).order_by("code")
    ]
    result = compute(
        communes,
        [(lat or 0.0, lon or 0.0) for lat, lon, _dep in points],  # never null: filtered
        detour_factor=detour,
        speed_kmh=speed,
        thresholds=THRESHOLDS,
    )
    known_departements = set(Departement.objects.values_list("code", flat=True))
    with transaction.atomic():
        run = CoverageRun.objects.create(
            computed_at=timezone.now(),
            detour_factor=detour,
            speed_kmh=speed,
            points=len(points),
            communes=result.communes,
            population=result.national.population,
            communes_without_population=result.communes_without_population,
            communes_without_position=result.communes_without_position,
            population_without_position=result.population_without_position,
            points_without_departement=sum(
                1 for *_coords, dep in points if dep not in known_departements
            ),
        )
        figures = [
            CoverageFigure(
                run=run,
                departement_id=code,
                minutes=minutes,
                population=tally.population,
                population_within=tally.within.get(minutes, 0),
            )
            for code, tally in [(None, result.national), *sorted(result.departements.items())]
            for minutes in THRESHOLDS
        ]
        CoverageFigure.objects.bulk_create(figures)
    return run
