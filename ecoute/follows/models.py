"""Follows of contact points and experiences, e-mail preferences, and the digests sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import ContactPoint
from ecoute.experiences.models import Experience


class Follow(models.Model):
    """One account follows one contact point or one experience (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("suivi depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_point__isnull=False, experience__isnull=True)
                | models.Q(contact_point__isnull=True, experience__isnull=False),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "contact_point"],
                condition=models.Q(contact_point__isnull=False),
                name="one_follow_per_account_and_contact_point",
            ),
            models.UniqueConstraint(
                fields=["user", "experience"],
                condition=models.Q(experience__isnull=False),
                name="one_follow_per_account_and_experience",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} suit {self.target}"

    @property
    def target(self) -> ContactPoint | Experience:
        if self.contact_point_id:
            return self.contact_point  # type: ignore[return-value]
        return self.experience  # type: ignore[return-value]  # the check constraint: one is set


class Frequency(models.TextChoices):
    NONE = "none", _("Jamais")
    IMMEDIATE = "immediate", _("À chaque nouveauté")
    DAILY = "daily", _("Un résumé par jour")
    WEEKLY = "weekly", _("Un résumé par semaine")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("quotidien")
    WEEKLY = "weekly", _("hebdomadaire")


class AgentAlertFrequency(models.TextChoices):
    """Agents: e-mails about new experiences published on their organisations' services."""

    NONE = "none", _("Jamais")
    IMMEDIATE = "immediate", _("Dès la publication (regroupées : un e-mail au plus par rafale)")
    DAILY = "daily", _("Un résumé par jour")


class DigestScope(models.TextChoices):
    """What a digest is about: followed services, or an agent's organisations."""

    SERVICES = "services", _("services suivis")
    AGENT_ALERTS = "agent_alerts", _("alertes agent")


class NotificationSettings(models.Model):
    """What a person wants by e-mail. No row means the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    experience_emails = models.BooleanField(
        _("expériences suivies"),
        default=True,
        help_text=_(
            "Un e-mail quand une expérience que vous suivez est publiée ou reçoit une réponse."
        ),
    )
    service_frequency = models.CharField(
        _("services suivis"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
        help_text=_("Nouvelles expériences publiées et réponses des services que vous suivez."),
    )
    agent_alerts = models.CharField(
        _("alertes agent"),
        max_length=10,
        choices=AgentAlertFrequency.choices,
        default=AgentAlertFrequency.DAILY,
        help_text=_(
            "Agents : nouvelles expériences publiées sur les services de vos organisations."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférences de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return f"Préférences de {self.user_id}"


class DigestDelivery(models.Model):
    """One digest of one account for one period: the unique key makes sending idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    scope = models.CharField(
        max_length=20, choices=DigestScope.choices, default=DigestScope.SERVICES
    )
    frequency = models.CharField(max_length=10, choices=DigestFrequency.choices)
    period_start = models.DateField(_("début de la période"))
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    experience_count = models.PositiveIntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    # Null when there was nothing new: the period is done, no e-mail went out.
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("résumé envoyé")
        verbose_name_plural = _("résumés envoyés")
        ordering = ["-window_end", "-id"]
        indexes = [models.Index(fields=["user", "scope", "-window_end"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "frequency", "period_start"],
                name="one_digest_per_account_scope_and_period",
            ),
            models.CheckConstraint(
                condition=models.Q(window_start__lte=models.F("window_end")),
                name="digest_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Résumé {self.frequency} du {self.period_start} pour {self.user_id}"


class AgentAlertState(models.Model):
    """Where an agent's immediate alerts stand: one row per agent who chose "immediate".

    A published experience in the agent's scope sets `due_at` (if not already set) to
    now + ECOUTE_AGENT_ALERT_DELAY_MINUTES; `send_agent_alerts` (every few minutes) sends one
    e-mail with everything published since `covered_until`, then clears `due_at`. So a burst
    makes one e-mail, and two e-mails are at least the delay apart.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="agent_alert_state",
    )
    due_at = models.DateTimeField(_("prochain envoi"), null=True, blank=True)
    covered_until = models.DateTimeField(_("couvert jusqu'au"))
    last_sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)

    class Meta:
        verbose_name = _("alertes immédiates d'un agent")
        verbose_name_plural = _("alertes immédiates des agents")
        indexes = [
            models.Index(
                fields=["due_at"], condition=models.Q(due_at__isnull=False), name="agent_alert_due"
            )
        ]

    def __str__(self) -> str:
        return f"Alertes de {self.user_id}"
