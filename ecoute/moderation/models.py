"""Moderation: the audit log of every moderation act, and reports. Imports no other domain app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationAction(models.TextChoices):
    PUBLISH = "publish", _("Publication")
    HIDE = "hide", _("Masquage")
    DISMISS_REPORT = "dismiss_report", _("Signalement classé sans suite")
    UPHOLD_REPORT = "uphold_report", _("Signalement retenu")


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


class ReportReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("Données personnelles")
    ABUSE = "abuse", _("Propos injurieux")
    OFF_TOPIC = "off_topic", _("Hors sujet")
    SPAM = "spam", _("Spam")
    OTHER = "other", _("Autre")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("À examiner")
    DISMISSED = "dismissed", _("Classé sans suite")
    UPHELD = "upheld", _("Retenu")


class Report(models.Model):
    """A person's report of a contribution (generic target, like the journal's).

    At most one open report per account and target (a database constraint); handling it
    (dismiss or uphold) closes every open report on that target at once.
    """

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports_made",
    )
    reason = models.CharField(_("motif"), max_length=20, choices=ReportReason.choices)
    comment = models.TextField(_("précisions"), blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("statut"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports_handled",
    )
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    decision_note = models.TextField(_("note de décision"), blank=True)

    class Meta:
        verbose_name = _("signalement")
        ordering = ["created_at", "id"]
        indexes = [
            # The queue: open reports, oldest first.
            models.Index(fields=["status", "created_at", "id"]),
            models.Index(fields=["content_type", "object_id", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                condition=models.Q(status="open"),
                name="one_open_report_per_account_and_target",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", handled_at__isnull=True)
                | (~models.Q(status="open") & models.Q(handled_at__isnull=False)),
                name="report_handled_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Signalement #{self.pk} ({self.get_reason_display()})"
