"""Agents' own difficulties ("remontées agents", as in Services Publics +).

An agent raises a difficulty about a tool, a rule or a process, from one of their
organisations; moderation publishes it (`moderation` contract, decision 0012); agents of the
same network support it ("moi aussi"); managers follow it up with a status, journalled, and may
publish a short public summary (moderated too) that never names the author.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import Network, Organisation
from ecoute.demarches.models import Demarche
from ecoute.moderation.contributions import visibility_constraints


class Kind(models.TextChoices):
    """What the difficulty is about."""

    TOOL = "outil", _("Un outil")
    RULE = "regle", _("Une règle")
    PROCESS = "processus", _("Un processus")


class Scope(models.TextChoices):
    """Whom it concerns: the agent's organisation, the whole network, or an online démarche."""

    ORGANISATION = "organisation", _("Mon organisation")
    NETWORK = "reseau", _("Le réseau")
    DEMARCHE = "demarche", _("Une démarche en ligne")


class Theme(models.TextChoices):
    DIGITAL_TOOLS = "outils-numeriques", _("Outils numériques")
    REGULATION = "reglementation", _("Réglementation")
    WORK_ORGANISATION = "organisation-du-travail", _("Organisation du travail")
    USER_RELATIONS = "relation-usagers", _("Relation aux usagers")
    TRAINING = "formation", _("Formation")
    ONLINE_PROCEDURES = "demarches-en-ligne", _("Démarches en ligne")


class Visibility(models.TextChoices):
    """Moderation's decision, as on experiences (the item in `moderation` decides)."""

    PENDING = "pending", _("En attente de modération")
    PUBLISHED = "published", _("Publiée")
    HIDDEN = "hidden", _("Masquée")


class Status(models.TextChoices):
    """The organisation's follow-up, set by a manager."""

    RECEIVED = "recue", _("Reçue")
    STUDYING = "a-l-etude", _("À l'étude")
    TAKEN_INTO_ACCOUNT = "prise-en-compte", _("Prise en compte")
    CLOSED = "close", _("Close")


class RemonteeQuerySet(models.QuerySet["Remontee"]):
    def published(self) -> "RemonteeQuerySet":
        return self.filter(visibility=Visibility.PUBLISHED)


class Remontee(models.Model):
    """One difficulty raised by an agent from `organisation` (its network copied for filters)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remontees",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="remontees"
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="remontees")
    kind = models.CharField(_("objet"), max_length=20, choices=Kind.choices)
    scope = models.CharField(_("concerne"), max_length=20, choices=Scope.choices)
    # The online démarche in words (masked like the text), and the observatory's démarche when
    # it follows it (its name is then copied here, so the constraint below holds either way).
    demarche_name = models.CharField(_("démarche en ligne"), max_length=200, blank=True)
    demarche = models.ForeignKey(
        Demarche,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remontees",
        verbose_name=_("démarche suivie"),
    )
    theme = models.CharField(_("thème"), max_length=30, choices=Theme.choices)
    title = models.CharField(_("titre"), max_length=150)
    description = models.TextField(_("description"))
    masked_items = models.PositiveSmallIntegerField(_("données personnelles masquées"), default=0)
    visibility = models.CharField(
        _("modération"), max_length=20, choices=Visibility.choices, default=Visibility.PENDING
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("soutiens"), default=0)
    created_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    # Demo loaders mark what they generate (and stay idempotent): "demo:…".
    source_key = models.CharField(max_length=60, unique=True, null=True, blank=True)

    objects = RemonteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("remontée d'agent")
        verbose_name_plural = _("remontées d'agents")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Agents' list: published in their networks, newest or most supported first.
            models.Index(
                fields=["network", "-created_at", "-id"],
                condition=Q(visibility="published"),
                name="remontee_network_recent",
            ),
            models.Index(
                fields=["network", "-support_count", "-created_at", "-id"],
                condition=Q(visibility="published"),
                name="remontee_network_supported",
            ),
            # Steering by organisation; an author's own.
            models.Index(fields=["organisation", "status"], name="remontee_org_status"),
            models.Index(fields=["author", "-created_at", "-id"], name="remontee_author"),
            # The démarche pages: published difficulties on a démarche.
            models.Index(
                fields=["demarche", "-created_at", "-id"],
                condition=Q(visibility="published"),
                name="remontee_demarche_recent",
            ),
        ]
        constraints = [
            *visibility_constraints("remontee"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="remontee_kind_valid"),
            models.CheckConstraint(
                condition=Q(theme__in=Theme.values), name="remontee_theme_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="remontee_status_valid"
            ),
            # A démarche is named exactly when the remontée concerns one.
            models.CheckConstraint(
                condition=(Q(scope=Scope.DEMARCHE) & ~Q(demarche_name=""))
                | (Q(scope__in=[Scope.ORGANISATION, Scope.NETWORK]) & Q(demarche_name="")),
                name="remontee_demarche_named_iff_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("remontees:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.visibility == Visibility.PUBLISHED


class Support(models.Model):
    """One agent saying "moi aussi" on a published remontée. `Remontee.support_count` mirrors
    the rows (set_support keeps both in one transaction); a deleted account's row stays,
    without its user, so the count stays true."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    remontee = models.ForeignKey(Remontee, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        constraints = [
            models.UniqueConstraint(fields=["user", "remontee"], name="one_support_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.remontee_id}"


class StatusChange(models.Model):
    """The journal of the follow-up: who set which status, when, with an optional comment
    (masked; shown to agents who see the remontée). Append-only."""

    remontee = models.ForeignKey(Remontee, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(_("ancien statut"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("nouveau statut"), max_length=20, choices=Status.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")), name="status_change_changes"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.remontee_id} {self.from_status} → {self.to_status}"


class PublicSummaryQuerySet(models.QuerySet["PublicSummary"]):
    def published(self) -> "PublicSummaryQuerySet":
        return self.filter(visibility=Visibility.PUBLISHED)


class PublicSummary(models.Model):
    """What the organisation chooses to say in public about a remontée: a short text written
    by a manager, masked and moderated, shown without the author's identity. Its network and
    theme are copied so that the public page filters on its own columns."""

    remontee = models.OneToOneField(Remontee, on_delete=models.CASCADE, related_name="summary")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(_("thème"), max_length=30, choices=Theme.choices)
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("synthèse"))
    masked_items = models.PositiveSmallIntegerField(default=0)
    visibility = models.CharField(
        _("modération"), max_length=20, choices=Visibility.choices, default=Visibility.PENDING
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    created_at = models.DateTimeField(_("rédigée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = PublicSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("synthèse publique de remontée")
        verbose_name_plural = _("synthèses publiques de remontées")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(visibility="published"),
                name="summary_public_recent",
            ),
            models.Index(
                fields=["network", "-published_at", "-id"],
                condition=Q(visibility="published"),
                name="summary_public_network",
            ),
        ]
        constraints = visibility_constraints("summary")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('remontees:public')}#synthese-{self.pk}"
