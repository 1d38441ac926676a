"""The sections of "Mon compte" that other apps hold (my contributions, documents, follows,
participations…), registered by each app from its `AppConfig.ready()`, so that accounts
names none of them (the dependency rules forbid it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class AccountLink:
    label: StrOrPromise
    url_name: str
    testid: str
    hint: StrOrPromise = ""
    order: int = 50


_LINKS: dict[str, AccountLink] = {}


def register_account_link(link: AccountLink) -> None:
    _LINKS[link.url_name] = link


def account_links() -> list[AccountLink]:
    return sorted(_LINKS.values(), key=lambda link: (link.order, link.url_name))
