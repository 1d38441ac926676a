"""Moderation state changes. Callers own the moderated object; this app only records the act."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import ModerationAction, ModerationLogEntry

if TYPE_CHECKING:
    # django-stubs resolves `_User` to settings.AUTH_USER_MODEL: typed without importing accounts.
    from django.contrib.auth.models import _User


def record_moderation_act(
    *, actor: _User, action: ModerationAction, target: models.Model, reason: str = ""
) -> ModerationLogEntry:
    """Append an entry to the audit log (who, when, what, why), in the caller's transaction."""
    return ModerationLogEntry.objects.create(
        actor=actor,
        action=action,
        reason=reason.strip(),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    )
