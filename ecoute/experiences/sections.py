"""Sections other apps add to the contact point page, without this app importing them.

An app registers, from its AppConfig.ready(), a callable returning the template to include and
its context for one contact point (the indicators' roll-ups: ecoute/indicators); the page
includes each in the order registered, in the side column.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ecoute.catalogue.models import ContactPoint


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any]


SectionProvider = Callable[[ContactPoint], Section]
_providers: list[SectionProvider] = []


def register_contact_point_section(provider: SectionProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def contact_point_sections(contact_point: ContactPoint) -> list[Section]:
    return [provider(contact_point) for provider in _providers]
