"""What each app holds about an account, registered by the app itself.

A small registry so that accounts never imports the apps that keep personal data (the
dependency rules forbid it), yet "download my data" and "delete my account" cover all of them:
each app registers one `PersonalDataSection` from its `AppConfig.ready()`:

- `export(user)` returns the app's part of the JSON export (JSON-serialisable: lists, dicts,
  strings, numbers, dates);
- `erase(user=..., keep_contributions=...)` runs inside the deletion transaction, before the
  `User` row is deleted: remove the user's contributions, or keep them with the author unlinked;
- `deletion_blocker(user)` returns a reason (shown to the user) when the account cannot delete
  itself, e.g. it signed public answers for a service.

Sections run in registration order (INSTALLED_APPS order, since `ready()` runs in that order).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils import timezone

from .models import ExternalIdentity, User


class Eraser(Protocol):
    def __call__(self, *, user: User, keep_contributions: bool) -> None: ...


@dataclass(frozen=True)
class PersonalDataSection:
    key: str
    export: Callable[[User], Any]
    erase: Eraser | None = None
    deletion_blocker: Callable[[User], str | None] | None = None


_SECTIONS: dict[str, PersonalDataSection] = {}

EXPORT_FORMAT = "ecoute.personal-data"
EXPORT_VERSION = 1


def register_section(section: PersonalDataSection) -> None:
    """Register (or replace, so a reloaded app does not register twice) an app's section."""
    _SECTIONS[section.key] = section


def registered_sections() -> list[PersonalDataSection]:
    return list(_SECTIONS.values())


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything Écoute holds about `user`, one key per registered section."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
    }
    for section in registered_sections():
        data[section.key] = section.export(user)
    return data


def deletion_blockers(user: User) -> list[str]:
    return [
        reason
        for section in registered_sections()
        if section.deletion_blocker is not None
        and (reason := section.deletion_blocker(user)) is not None
    ]


def erase_contributions(*, user: User, keep_contributions: bool) -> None:
    for section in registered_sections():
        if section.erase is not None:
            section.erase(user=user, keep_contributions=keep_contributions)


def export_account(user: User) -> dict[str, Any]:
    """The accounts app's own section."""
    return {
        "pseudonym": user.username,
        "email": user.email,
        "email_confirmed_at": user.email_confirmed_at,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_moderator": user.is_moderator,
        "is_staff": user.is_staff,
    }


def export_external_identities(user: User) -> list[dict[str, Any]]:
    """The identity providers linked to the account (FranceConnect). The provider's identifier
    (`sub`) is an opaque, per-site key: the export says one is held, not its value. The rows go
    with the account (on_delete=CASCADE)."""
    return [
        {
            "provider": identity.provider,
            "subject_held": bool(identity.subject),
            "linked_at": identity.created_at,
        }
        for identity in ExternalIdentity.objects.filter(user=user).order_by("created_at", "id")
    ]
