"""Who may moderate. One rule, used by every app that has contributions."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _


def can_moderate(user: models.Model | AnonymousUser) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and (getattr(user, "is_moderator", False) or getattr(user, "is_superuser", False))
    )


def ensure_can_moderate(user: models.Model | AnonymousUser) -> None:
    """Raise PermissionDenied (403) unless `user` may moderate: the guard of moderators' pages."""
    if not can_moderate(user):
        raise PermissionDenied(_("Réservé aux modérateurs."))


def can_read_moderation_log(user: models.Model | AnonymousUser) -> bool:
    return can_moderate(user)


def can_report(user: models.Model | AnonymousUser) -> bool:
    """A signed-in account with a confirmed address may report what it can see."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "has_confirmed_email", False)
    )
