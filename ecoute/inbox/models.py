"""The agents' inbox: one entry per (organisation, experience) for the experience's whole
chain, the handling state of each experience (assignee, due date, escalation), its journal
(routing, escalation, assignment) and its internal notes.

`InboxEntry` is derived data: `entries.sync_experience` rewrites an experience's entries
from the experience and its `Handling` after every change (the actions of experiences and of
this app call it in their transaction), and `manage.py rebuild_inbox` rewrites them all. See
docs/decisions/0013-agents-inbox.md for why a closure of the organisation tree.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import ContactPoint, Organisation
from ecoute.experiences.models import Experience


class InboxState(models.TextChoices):
    TO_ANSWER = "a_traiter", _("À traiter")
    IN_PROGRESS = "en_cours", _("En cours")
    ESCALATED = "escalade", _("Escalade")
    ANSWERED = "repondu", _("Répondu")


OPEN_STATES = (InboxState.TO_ANSWER, InboxState.IN_PROGRESS, InboxState.ESCALATED)
# Low-cardinality columns the filters read while walking an index (PostgreSQL INCLUDE).
FILTER_COLUMNS = ["state", "channel", "sentiment", "assignee", "contact_point"]


class Handling(models.Model):
    """How one published experience is being handled: who took it, by when it is due, and
    when it escalated. One row per experience that was ever published (kept while it is
    hidden, so a re-published experience keeps its assignee)."""

    experience = models.OneToOneField(
        Experience, on_delete=models.CASCADE, primary_key=True, related_name="handling"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attribuée à"),
    )
    assigned_at = models.DateTimeField(_("attribuée le"), null=True, blank=True)
    # Publication (or reception, after routing or escalation) + the organisation's delay.
    due_at = models.DateTimeField(_("réponse attendue avant le"))
    escalated_at = models.DateTimeField(_("escaladée le"), null=True, blank=True)
    # The organisation above the handling one it last escalated to (empty: not escalated).
    escalated_to = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escaladée à"),
    )
    # When escalate_overdue_experiences moves it up: due_at + ECOUTE_ESCALATION_DELAY_DAYS while
    # unanswered and the organisation it is at (escalated_to, or the handling one) has a
    # parent; empty otherwise.
    escalates_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("traitement")
        indexes = [
            models.Index(
                fields=["escalates_at"],
                condition=models.Q(escalates_at__isnull=False),
                name="handling_escalates_at",
            )
        ]

    def __str__(self) -> str:
        return f"Traitement de {self.experience_id}"


class InboxEntry(models.Model):
    """An experience as one organisation of its chain sees it in its inbox: the organisation
    handling it and every one above it, so that the inbox of an organisation with its
    sub-organisations is one index range, in the order it is read (oldest first)."""

    # No index of its own: every index below starts with it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="+")
    # True on the entry of the organisation expected to act now: the handling organisation,
    # or the one it escalated to.
    is_handler = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=InboxState.choices)
    is_open = models.BooleanField()  # not answered yet: the default view
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, null=True, blank=True, db_index=False
    )
    channel = models.CharField(max_length=20, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    published_at = models.DateTimeField()
    due_at = models.DateTimeField()

    class Meta:
        verbose_name = _("entrée de boîte de réception")
        verbose_name_plural = _("entrées de boîte de réception")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "experience"], name="one_inbox_entry_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=InboxState.values), name="inbox_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(is_open=True, state__in=OPEN_STATES)
                | models.Q(is_open=False, state=InboxState.ANSWERED),
                name="inbox_open_matches_state",
            ),
        ]
        # Every list is one organisation's range, ending with the sort key: a page reads its 20
        # rows from the index whatever the organisation's volume (docs/benchmarks.md).
        indexes = [
            models.Index(
                fields=["organisation", "is_open", "published_at", "id"],
                include=FILTER_COLUMNS,
                name="inbox_open_oldest",
            ),
            models.Index(
                fields=["organisation", "state", "published_at", "id"],
                include=FILTER_COLUMNS,
                name="inbox_state_oldest",
            ),
            models.Index(
                fields=["organisation", "contact_point", "is_open", "published_at", "id"],
                include=FILTER_COLUMNS,
                name="inbox_point_oldest",
            ),
            models.Index(
                fields=["organisation", "assignee", "is_open", "published_at", "id"],
                include=FILTER_COLUMNS,
                name="inbox_assignee_oldest",
            ),
            models.Index(fields=["organisation", "is_open", "due_at"], name="inbox_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.experience_id}"


class JournalKind(models.TextChoices):
    ROUTED = "oriente", _("Orientée vers un autre service")
    ESCALATED = "escalade", _("Escaladée à l'organisation parente")
    ASSIGNED = "attribue", _("Attribuée")


class JournalEntry(models.Model):
    """What happened to an experience in the agents' space (append-only): routing with its
    reason, escalation, assignment. Visible to the agents of its chain, never public."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="inbox_journal"
    )
    kind = models.CharField(_("nature"), max_length=10, choices=JournalKind.choices)
    # Empty for an escalation (the periodic job acts, not a person).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("étape du traitement")
        verbose_name_plural = _("journal du traitement")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["experience", "created_at", "id"], name="inbox_journal")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=JournalKind.values), name="inbox_journal_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="oriente") | ~models.Q(reason=""),
                name="inbox_routing_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.experience_id})"


class InternalNote(models.Model):
    """A note agents leave on an experience for each other: never public, read only by the
    agents of the experience's chain. Masked before storage like every text (decision 0004)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The service the author wrote for (their closest organisation in the chain).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("note"))
    masked_items = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["experience", "created_at", "id"], name="inbox_notes")]

    def __str__(self) -> str:
        return f"Note {self.pk} sur {self.experience_id}"
