"""What a consultation holds, registered by the apps that hold it (questionnaires, debates).

consultations imports none of them: each registers a `PartKind` in its AppConfig.ready(),
and the consultation's pages list the parts it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import Consultation


@dataclass(frozen=True)
class Part:
    """One questionnaire or debate of a consultation, as its pages show it."""

    title: str
    url: str
    summary: StrOrPromise = ""
    contributions: int = 0  # responses, contributions…: shown with `counted`
    counted: StrOrPromise = ""  # e.g. "réponses"
    results_url: str = ""
    order: int = 0
    # Files the part offers once results are published: (label, url), e.g. a CSV of answers.
    downloads: tuple[tuple[StrOrPromise, str], ...] = ()


@dataclass(frozen=True)
class PartKind:
    key: str
    label: StrOrPromise
    parts: Callable[[Consultation], list[Part]]


_KINDS: dict[str, PartKind] = {}


def register_part_kind(kind: PartKind) -> None:
    _KINDS[kind.key] = kind


def parts_of(consultation: Consultation) -> list[Part]:
    parts = [part for kind in _KINDS.values() for part in kind.parts(consultation)]
    return sorted(parts, key=lambda part: part.order)


def part_kinds() -> list[PartKind]:
    """The registered kinds (each reads its parts with its own queries)."""
    return list(_KINDS.values())
