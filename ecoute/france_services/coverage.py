"""The coverage computation, on plain values (no database): communes × points → figures.

For every commune (its point and its municipal population), the straight-line (great-circle)
distance to the nearest France services point, found with scikit-learn's BallTree on the
haversine metric; travel time = distance × detour factor ÷ speed. A commune's whole population
counts as within N minutes when its point is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ecoute.catalogue.search import EARTH_RADIUS_KM


@dataclass(frozen=True)
class CommuneInput:
    code: str
    departement: str
    population: int | None
    latitude: float | None
    longitude: float | None


@dataclass
class Tally:
    population: int = 0
    within: dict[int, int] = field(default_factory=dict)


@dataclass
class CoverageResult:
    national: Tally
    departements: dict[str, Tally]
    communes: int = 0
    communes_without_population: int = 0
    communes_without_position: int = 0
    population_without_position: int = 0
    minutes_by_commune: dict[str, float] = field(default_factory=dict)


def nearest_distances_km(
    origins: Sequence[tuple[float, float]], points: Sequence[tuple[float, float]]
) -> np.ndarray:
    """Great-circle distance (km) from each origin (lat, lon) to its nearest point (lat, lon)."""
    from sklearn.neighbors import BallTree  # heavy import, only where the computation runs

    if not origins:
        return np.zeros(0)
    if not points:
        return np.full(len(origins), np.inf)
    tree = BallTree(np.radians(np.asarray(points, dtype=float)), metric="haversine")
    distances, _indices = tree.query(np.radians(np.asarray(origins, dtype=float)), k=1)
    return np.asarray(distances[:, 0] * EARTH_RADIUS_KM)


def compute(
    communes: Iterable[CommuneInput],
    points: Sequence[tuple[float, float]],
    *,
    detour_factor: float,
    speed_kmh: float,
    thresholds: Sequence[int],
) -> CoverageResult:
    """Population within each threshold (minutes), per département and in total.

    Left out and counted: communes without a population (Mayotte in the INSEE file), and those
    without a position (their population is reported, not counted as covered or not).
    """
    result = CoverageResult(national=Tally(), departements=defaultdict(Tally))
    located: list[CommuneInput] = []
    for commune in communes:
        if commune.population is None:
            result.communes_without_population += 1
        elif commune.latitude is None or commune.longitude is None:
            result.communes_without_position += 1
            result.population_without_position += commune.population
        else:
            located.append(commune)
    distances = nearest_distances_km(
        [(c.latitude or 0.0, c.longitude or 0.0) for c in located], points
    )
    minutes = distances * detour_factor / speed_kmh * 60
    for commune, commune_minutes in zip(located, minutes.tolist(), strict=True):
        population = commune.population or 0
        result.communes += 1
        result.minutes_by_commune[commune.code] = commune_minutes
        for tally in (result.national, result.departements[commune.departement]):
            tally.population += population
            for threshold in thresholds:
                if commune_minutes <= threshold:
                    tally.within[threshold] = tally.within.get(threshold, 0) + population
    result.departements = dict(result.departements)
    return result
