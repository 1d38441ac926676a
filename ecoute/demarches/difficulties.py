"""Difficulties that agents report on a démarche, from the app that holds them.

France services agents and social workers are agents (memberships of an organisation): their
persistent difficulties on a démarche are remontées agents (`ecoute.remontees`) linked to the
démarche. remontees imports demarches, not the reverse, so it registers here what the démarche
pages may show (from its AppConfig.ready), with its own visibility rules:

- `counts(demarche_ids)`: how many published difficulties each démarche has (public figure);
- `visible(demarche_ids, user, limit)`: those this user may read (public summaries for
  everyone; the remontées themselves for the agents allowed to see them), newest first.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from ecoute.accounts.models import User


@dataclass(frozen=True)
class Difficulty:
    demarche_id: int
    title: str
    body: str
    url: str
    status: str
    source: str  # who reports it, e.g. "CAF de l'Ain" (never the agent)
    internal: bool  # True: visible to agents only (not a public summary)


@dataclass(frozen=True)
class DifficultySource:
    counts: Callable[[list[int]], dict[int, int]]
    visible: Callable[[list[int], "User | AnonymousUser", int], list[Difficulty]]


_SOURCES: list[DifficultySource] = []


def register_difficulty_source(source: DifficultySource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def difficulty_counts(demarche_ids: list[int]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for source in _SOURCES:
        for demarche_id, count in source.counts(demarche_ids).items():
            totals[demarche_id] = totals.get(demarche_id, 0) + count
    return totals


def visible_difficulties(
    demarche_ids: list[int], user: User | AnonymousUser, limit: int = 20
) -> list[Difficulty]:
    found: list[Difficulty] = []
    for source in _SOURCES:
        found.extend(source.visible(demarche_ids, user, limit))
    return found[:limit]
