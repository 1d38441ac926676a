"""The moderation contract: what each app registers for every model it has moderated.

moderation imports no content app. An app registers each moderated model in its
AppConfig.ready() with the callables the queue, the actions and the trash need:

    register_moderated(Moderated(key="experience", model=Experience, ...))

The actions of `moderation.actions` lock the `ModerationItem`, then call `on_publish` /
`on_hide` (which set the app's own public state, roll-ups, e-mails to the author) and
`on_edit_text` (the moderator's new masks), inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import _User
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Facts:
    """What the queue filters on, copied onto the item (plain values: no foreign key)."""

    state: str  # a ModerationState value, read from the app's own public state
    created_at: dt.datetime
    title: str = ""
    network_id: int | None = None
    departement: str = ""
    imported: bool = False
    published_at: dt.datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Moderated:
    key: str  # e.g. "experience"; the item's `kind`
    model: type[models.Model]
    label: StrOrPromise  # "expérience"
    label_plural: StrOrPromise  # "expériences"
    # Rows with what `excerpt`, `url` and `facts` read (select_related), for the queue.
    queryset: Callable[[], models.QuerySet[Any]]
    facts: Callable[[Any], Facts]
    excerpt: Callable[[Any], str]
    url: Callable[[Any], str]
    # on_publish(target, actor): make it public (also a restore after hiding).
    on_publish: Callable[[Any, _User], None]
    # on_hide(target, actor, reason): take it out of public view.
    on_hide: Callable[[Any, _User, str], None]
    # Text fields a moderator may re-mask in place: {field name: current public text}.
    texts: Callable[[Any], dict[str, str]] = field(default=lambda _target: {})
    # on_edit_text(target, actor, {field: new public text}, masked_count)
    on_edit_text: Callable[[Any, _User, dict[str, str], int], None] | None = None
    # False for content that is never public, even by title (agents' internal remontées):
    # hiding it keeps it out of the public trash.
    public_trash: bool = True


_BY_KEY: dict[str, Moderated] = {}
_BY_MODEL: dict[type[models.Model], Moderated] = {}


def register_moderated(moderated: Moderated) -> None:
    _BY_KEY[moderated.key] = moderated
    _BY_MODEL[moderated.model] = moderated


def moderated_by_key(key: str) -> Moderated | None:
    return _BY_KEY.get(key)


def moderated_for(model: type[models.Model]) -> Moderated | None:
    return _BY_MODEL.get(model)


def all_moderated() -> list[Moderated]:
    return list(_BY_KEY.values())


# Labels of the values the queue filters on (e.g. networks: id -> name), given by the apps
# that own them, so that moderation shows names without importing them.
_CHOICES: dict[str, Callable[[], list[tuple[Any, str]]]] = {}


def register_choices(name: str, choices: Callable[[], list[tuple[Any, str]]]) -> None:
    _CHOICES[name] = choices


def choices_for(name: str) -> list[tuple[Any, str]]:
    provider = _CHOICES.get(name)
    return provider() if provider else []


# Other moderators' queues (e.g. documents to review), linked from the main queue: (label,
# URL name), registered by their app so that moderation's templates name no other app.
_QUEUE_LINKS: list[tuple[StrOrPromise, str, str]] = []


def register_queue_link(label: StrOrPromise, url_name: str, testid: str) -> None:
    if all(name != url_name for _label, name, _testid in _QUEUE_LINKS):
        _QUEUE_LINKS.append((label, url_name, testid))


def queue_links() -> list[tuple[StrOrPromise, str, str]]:
    return list(_QUEUE_LINKS)
