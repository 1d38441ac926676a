"""Consultations (the Forum de l'action publique's, Decidim's "processes"): what is asked, of
whom, where and when. What people answer lives in the apps that register a *part* here
(`questionnaires`, `debates`): this app imports none of them (see `parts.py`).

- `Theme`: what a consultation is about (shared with steering later).
- `Consultation`: title, presentation, theme, audience, territory (national or a list of
  départements), organiser, publication, results and synthesis. `opens_on` / `closes_on` are
  the first and last day of its participation phases, kept by the actions: they make the
  status a plain column filter on the agenda.
- `Phase`: a dated step ("Consultation, du 14 septembre au 15 décembre"); only participation
  phases open contributions.
- `Participation`: an account that took part (answered, proposed, voted, argued…), listed
  publicly under its pseudonym unless it opted out.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import Organisation
from ecoute.territories.models import Departement


class Audience(models.TextChoices):
    USAGERS = "usagers", _("Usagers")
    AGENTS = "agents", _("Agents publics")
    ALL = "tous", _("Usagers et agents")


class Status(models.TextChoices):
    """Shown everywhere a consultation is named. Drafts are seen by their organisers only."""

    DRAFT = "brouillon", _("Brouillon")
    UPCOMING = "a-venir", _("À venir")
    OPEN = "en-cours", _("En cours")
    CLOSED = "terminee", _("Terminée")
    RESULTS = "resultats", _("Résultats publiés")


class PhaseKind(models.TextChoices):
    PARTICIPATION = "participation", _("Participation")
    ANALYSIS = "analyse", _("Analyse des contributions")
    RESULTS = "resultats", _("Restitution des résultats")
    INFORMATION = "information", _("Information")


class Theme(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def published(self) -> ConsultationQuerySet:
        return self.filter(published_at__isnull=False)

    def with_status(self, status: str, today: dt.date | None = None) -> ConsultationQuerySet:
        """Published consultations in `status` (a `Status` value), as a column filter."""
        today = today or timezone.localdate()
        qs = self.published()
        if status == Status.RESULTS:
            return qs.filter(results_published_at__isnull=False)
        qs = qs.filter(results_published_at__isnull=True)
        if status == Status.UPCOMING:
            return qs.filter(Q(opens_on__gt=today) | Q(opens_on__isnull=True))
        if status == Status.OPEN:
            return qs.filter(opens_on__lte=today, closes_on__gte=today)
        if status == Status.CLOSED:
            return qs.filter(closes_on__lt=today)
        return qs.none()


class Consultation(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=250)
    summary = models.CharField(
        _("résumé"), max_length=400, blank=True, help_text=_("Une ou deux phrases, sur les listes.")
    )
    presentation = models.TextField(_("présentation"), blank=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("thème"),
    )
    audience = models.CharField(
        _("public"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    is_national = models.BooleanField(
        _("nationale"), default=True, help_text=_("Sinon, les départements concernés.")
    )
    departements = models.ManyToManyField(
        Departement, blank=True, related_name="consultations", verbose_name=_("départements")
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("organisation"),
    )
    organiser_name = models.CharField(
        _("organisateur"),
        max_length=200,
        blank=True,
        help_text=_("Affiché tel quel, par exemple : Ministère de la Transformation publique"),
    )
    # Kept by the actions from the participation phases (the status is a column filter).
    opens_on = models.DateField(_("ouverture"), null=True, blank=True, editable=False)
    closes_on = models.DateField(_("clôture"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)
    synthesis = models.TextField(_("synthèse"), blank=True)
    is_imported = models.BooleanField(_("importée"), default=False)
    # Loaders mark what they create ("demo:…", "decidim-mel:…") and stay idempotent.
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="consultation_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(results_published_at__isnull=True) | Q(published_at__isnull=False),
                name="consultation_results_only_when_published",
            ),
        ]
        indexes = [
            models.Index(fields=["opens_on", "closes_on"], name="consultation_dates"),
            # The public list: published ones, newest first, paged by (published_at, id).
            models.Index(fields=["published_at", "id"], name="consultation_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.slug])

    @property
    def organiser_label(self) -> str:
        """Who runs it, as shown: the displayed name, else the organisation's."""
        if self.organiser_name:
            return self.organiser_name
        return self.organiser.name if self.organiser else ""

    def status(self, today: dt.date | None = None) -> Status:
        today = today or timezone.localdate()
        if self.published_at is None:
            return Status.DRAFT
        if self.results_published_at is not None:
            return Status.RESULTS
        if self.opens_on is None or self.closes_on is None or today < self.opens_on:
            return Status.UPCOMING
        if today <= self.closes_on:
            return Status.OPEN
        return Status.CLOSED


class Phase(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="phases")
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(
        _("nature"), max_length=15, choices=PhaseKind.choices, default=PhaseKind.PARTICIPATION
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="phase_dates"),
            models.CheckConstraint(condition=Q(kind__in=PhaseKind.values), name="phase_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_current(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class Participation(models.Model):
    """One account's taking part in one consultation (counted once, whatever it did)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    is_listed = models.BooleanField(
        _("pseudonyme affiché"),
        default=True,
        help_text=_("Décoché : la participation est comptée, le pseudonyme n'est pas listé."),
    )
    first_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], name="one_participation_per_account"
            )
        ]
        indexes = [
            models.Index(fields=["consultation", "first_at", "id"], name="participants"),
            models.Index(
                fields=["consultation", "is_listed", "first_at", "id"], name="listed_participants"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.consultation}"
