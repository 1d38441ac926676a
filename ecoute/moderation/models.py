"""Moderation: the audit log of every moderation act, and reports. Imports no other domain app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ModerationAction(models.TextChoices):
    PUBLISH = "publish", _("Publication")
    HIDE = "hide", _("Masquage")
    DISMISS_REPORT = "dismiss_report", _("Signalement classé sans suite")
    UPHOLD_REPORT = "uphold_report", _("Signalement retenu")
    RESTORE = "restore", _("Restauration")
    EDIT_MASKS = "edit_masks", _("Modification des masques")


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


class ModerationState(models.TextChoices):
    PENDING = "pending", _("En attente")
    PUBLISHED = "published", _("Publié")
    HIDDEN = "hidden", _("Masqué")


class ModerationOrigin(models.TextChoices):
    NEW = "new", _("Nouveau")
    IMPORTED = "imported", _("Importé")


class Priority(models.IntegerChoices):
    """Queue order, smallest first: reported content, then new citizens' texts, then imports."""

    SEVERAL_REPORTS = 0, _("Plusieurs signalements")
    REPORTED = 1, _("Signalé")
    NEW = 2, _("Nouveau")
    IMPORTED = 3, _("Importé")


def priority_of(*, origin: str, open_reports: int) -> int:
    if open_reports >= 2:
        return Priority.SEVERAL_REPORTS
    if open_reports == 1:
        return Priority.REPORTED
    return Priority.IMPORTED if origin == ModerationOrigin.IMPORTED else Priority.NEW


# The queue: what waits for a decision (pending, or reported whatever its state).
AWAITING = models.Q(awaiting=True)
QUEUE_ORDER = ["priority", "created_at", "id"]
TRASH_ORDER = ["-decided_at", "-id"]
HIDDEN = models.Q(state="hidden")


class ModerationItem(models.Model):
    """One contribution's moderation: the contract every app's content joins (decision 0012).

    The owning app keeps its own public state (e.g. Experience.status), set only by the
    callbacks it registered (`moderation.registry`), which the actions of this app run under
    this row's lock. The filter columns are copies (plain values, no foreign key to a domain
    app) so that the queue is one table read through one index.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("type"), max_length=30)  # the registry key
    state = models.CharField(
        _("état"), max_length=20, choices=ModerationState.choices, default=ModerationState.PENDING
    )
    reason = models.TextField(_("motif"), blank=True)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    network_id = models.PositiveIntegerField(_("réseau"), null=True, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True)
    origin = models.CharField(
        _("origine"), max_length=10, choices=ModerationOrigin.choices, default=ModerationOrigin.NEW
    )
    open_reports = models.PositiveIntegerField(_("signalements ouverts"), default=0)
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=Priority.choices, default=Priority.NEW
    )
    # Waiting for a decision: pending, or with open reports. Kept by the actions.
    awaiting = models.BooleanField(_("à traiter"), default=True)
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("élément à modérer")
        verbose_name_plural = _("éléments à modérer")
        ordering = QUEUE_ORDER
        indexes = [
            # The queue, and the same order within each filter: the first page reads 21 index
            # entries whatever the number of items waiting (bench/moderation_queue.py).
            models.Index(fields=QUEUE_ORDER, condition=AWAITING, name="moditem_queue"),
            *(
                models.Index(
                    fields=[column, *QUEUE_ORDER],
                    condition=AWAITING,
                    name=f"moditem_queue_{short}",
                )
                for column, short in (
                    ("kind", "kind"),
                    ("network_id", "network"),
                    ("departement", "dept"),
                    ("origin", "origin"),
                )
            ),
            models.Index(
                fields=QUEUE_ORDER,
                condition=AWAITING & models.Q(open_reports__gt=0),
                name="moditem_queue_reported",
            ),
            # The counts per state and kind (capped, index-only).
            models.Index(fields=["state", "kind"], name="moditem_state_kind"),
            # The public trash, most recent first, overall and per kind.
            models.Index(fields=TRASH_ORDER, condition=HIDDEN, name="moditem_trash"),
            models.Index(
                fields=["kind", *TRASH_ORDER], condition=HIDDEN, name="moditem_trash_kind"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_item_per_target"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ModerationState.values), name="moditem_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="moditem_published_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="hidden") | ~models.Q(reason=""),
                name="moditem_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=ModerationOrigin.values), name="moditem_origin_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} ({self.get_state_display()})"


class MaskedText(models.Model):
    """The private original of one text field of a contribution and its masked spans, so that a
    moderator can mask more or unmask a false positive (decision 0012). Only moderators see it;
    the public text is what the owning app stores. Deleted with the item (forget_target)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=50)
    original = models.TextField()
    # [{"start": int, "end": int, "kind": str, "masked": bool}], offsets in `original`.
    spans = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("texte original (privé)")
        verbose_name_plural = _("textes originaux (privés)")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="one_original_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}:{self.field}"
