"""Moderation: the audit log of every moderation act. Imports no other domain app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationAction(models.TextChoices):
    PUBLISH = "publish", _("Publication")
    HIDE = "hide", _("Masquage")


class ModerationLogEntry(models.Model):
    """Who did what, when and why, on which contribution. Append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_acts"
    )
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    reason = models.TextField(_("motif"), blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("acte de modération")
        verbose_name_plural = _("journal de modération")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="hide") | ~models.Q(reason=""),
                name="hide_requires_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.object_id} par {self.actor}"
