"""What every moderated contribution with its own public state shares (remontées, feedback
comments, proposals…): the constraints of its `visibility` columns and the moderation
callbacks that set them.

A model using these has `visibility` (pending / published / hidden, the values of
`ModerationState`), `published_at`, `hidden_reason` and `masked_items`; its app registers the
callbacks below in its `Moderated` (decision 0012). Nothing here imports a content app."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ModerationState

if TYPE_CHECKING:
    from django.contrib.auth.models import _User


def checked_text(value: str, *, maximum: int, what: str, required: bool = True) -> str:
    """A contribution's text, stripped; empty (when required) or too long is refused."""
    value = value.strip()
    if (required and not value) or len(value) > maximum:
        raise ValidationError(
            _("%(what)s : texte vide ou trop long.") % {"what": what}, code="length"
        )
    return value


def visibility_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Published has a date, hidden has a reason, the state is one of the choices."""
    return [
        models.CheckConstraint(
            condition=Q(visibility__in=ModerationState.values), name=f"{prefix}_visibility_valid"
        ),
        models.CheckConstraint(
            condition=~Q(visibility=ModerationState.PUBLISHED) | Q(published_at__isnull=False),
            name=f"{prefix}_published_has_date",
        ),
        models.CheckConstraint(
            condition=~Q(visibility=ModerationState.HIDDEN) | ~Q(hidden_reason=""),
            name=f"{prefix}_hidden_has_reason",
        ),
    ]


def state_of(row: Any) -> ModerationState:
    """The moderation state of a row, read from its `visibility`."""
    return ModerationState(row.visibility)


def lock_row(row: models.Model) -> None:
    """Lock the row and reload its own columns (related objects the caller loaded stay)."""
    model = type(row)
    fields = [field.attname for field in model._meta.concrete_fields if not field.is_relation]
    row.refresh_from_db(fields=fields, from_queryset=model._default_manager.select_for_update())


# --- Moderation's callbacks (run under the moderation item's lock, never called directly) ---


def on_publish(row: Any, actor: "_User") -> None:
    lock_row(row)
    row.visibility = ModerationState.PUBLISHED
    row.published_at = timezone.now()
    row.hidden_reason = ""
    row.save(update_fields=["visibility", "published_at", "hidden_reason"])


def on_hide(row: Any, actor: "_User", reason: str) -> None:
    lock_row(row)
    row.visibility = ModerationState.HIDDEN
    row.hidden_reason = reason
    row.save(update_fields=["visibility", "hidden_reason"])


def on_edit_text(row: Any, actor: "_User", texts: dict[str, str], masked: int) -> None:
    """A moderator changed what is masked in one of the texts."""
    lock_row(row)
    for name, text in texts.items():
        setattr(row, name, text)
    row.masked_items = min(masked, 32767)
    row.save(update_fields=[*texts, "masked_items"])
