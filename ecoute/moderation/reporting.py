"""What can be reported, registered by the apps that own the content.

moderation imports none of them: an app registers each reportable model in its
AppConfig.ready() with the few callables the report form needs, e.g.

    register_reportable(Reportable(key="experience", model=Experience, ...))

A reportable model is also under the moderation contract (`registry.register_moderated`):
an open report puts its item in the queue, where the item's page decides (keep: the reports
are dismissed; hide: they are upheld).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, _User
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Reportable:
    key: str  # in URLs: /moderation/signaler/<key>/<pk>/
    model: type[models.Model]
    label: StrOrPromise  # "expérience"
    # Rows with what `is_visible`, `describe` and `url` read (select_related).
    queryset: Callable[[], models.QuerySet[Any]]
    # May this person see (hence report) this content?
    is_visible: Callable[[_User | AnonymousUser, Any], bool]
    url: Callable[[Any], str]
    describe: Callable[[Any], str]


_BY_KEY: dict[str, Reportable] = {}
_BY_MODEL: dict[type[models.Model], Reportable] = {}


def register_reportable(reportable: Reportable) -> None:
    _BY_KEY[reportable.key] = reportable
    _BY_MODEL[reportable.model] = reportable


def reportable_by_key(key: str) -> Reportable | None:
    return _BY_KEY.get(key)


def reportable_for(model: type[models.Model]) -> Reportable | None:
    return _BY_MODEL.get(model)


def all_reportable() -> list[Reportable]:
    return list(_BY_KEY.values())
