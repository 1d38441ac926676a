"""Editions of the Services Publics + barometer: one per semester, frozen once published.

An `Edition` is a semester's snapshot of the eight indicators (national, per network, per
département): its `Figure` rows copy the roll-ups' counts when it is prepared, and the
sufficient-sample flag computed with the minimum sample of that moment. Once published, an
edition and its figures never change — database triggers refuse it (migration 0002); later data
or corrections make a new edition (`supersedes`), the earlier one stays readable.
See docs/decisions/0021-sp-barometer-editions.md.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoute.indicators.definitions import SLUG_CHOICES


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    PUBLISHED = "published", _("publiée")


class FigureScope(models.TextChoices):
    """The scopes an edition freezes (values of indicators.models.ScopeKind)."""

    NATION = "nation", _("France entière")
    NETWORK = "network", _("réseau")
    DEPARTEMENT = "departement", _("département")


class EditionQuerySet(models.QuerySet["Edition"]):
    def published(self) -> "EditionQuerySet":
        return self.filter(status=EditionStatus.PUBLISHED)

    def current(self) -> "EditionQuerySet":
        """The published edition of each semester that no correction replaced."""
        return self.filter(status=EditionStatus.PUBLISHED, is_current=True)


class Edition(models.Model):
    year = models.PositiveSmallIntegerField(_("année"))
    half = models.PositiveSmallIntegerField(_("semestre"))  # 1 (January–June) or 2
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("état"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    # The published edition readers get for this semester (False once a correction replaces it).
    is_current = models.BooleanField(_("édition en vigueur"), default=False)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("remplace"),
    )
    correction_reason = models.TextField(_("motif de la correction"), blank=True)
    # The edition in force of the newest earlier semester when this one was published: its
    # changes are computed against it, for good (a later publication does not move them).
    compared_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comparée à"),
    )
    # Shown on every page of the edition, e.g. that it is computed from generated demo data.
    note = models.TextField(_("avertissement"), blank=True)
    minimum_sample = models.PositiveIntegerField(_("échantillon minimum"))
    prepared_at = models.DateTimeField(_("préparée le"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("préparée par"),
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publiée par"),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("édition du baromètre")
        verbose_name_plural = _("éditions du baromètre")
        ordering = ["-year", "-half", "-version"]
        permissions = [("publish_edition", _("Peut préparer et publier les éditions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "half", "version"], name="barometre_edition_version_unique"
            ),
            models.CheckConstraint(condition=models.Q(half__in=[1, 2]), name="barometre_half"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="barometre_year"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="barometre_version"),
            models.CheckConstraint(
                condition=models.Q(status__in=EditionStatus.values), name="barometre_status"
            ),
            # Published ⇔ a publication date; a draft is never the edition in force.
            models.CheckConstraint(
                condition=models.Q(status=EditionStatus.PUBLISHED, published_at__isnull=False)
                | models.Q(status=EditionStatus.DRAFT, published_at__isnull=True, is_current=False),
                name="barometre_published_has_date",
            ),
            # One edition in force per semester, one draft per semester.
            models.UniqueConstraint(
                fields=["year", "half"],
                condition=models.Q(is_current=True),
                name="barometre_one_current_per_semester",
            ),
            models.UniqueConstraint(
                fields=["year", "half"],
                condition=models.Q(status=EditionStatus.DRAFT),
                name="barometre_one_draft_per_semester",
            ),
            # A correction has a reason and a later version; a first edition has neither.
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True, version=1)
                | models.Q(supersedes__isnull=False, version__gt=1)
                & ~models.Q(correction_reason=""),
                name="barometre_correction_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} v{self.version}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("barometre:edition", args=[self.label, self.version])

    @property
    def label(self) -> str:
        return f"{self.year}-S{self.half}"

    @property
    def semester(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def semester_end(self) -> dt.date:
        """The last day of the semester."""
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED


class Figure(models.Model):
    """One indicator × scope of an edition: the roll-up's counts when the edition was prepared."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="figures")
    indicator = models.CharField(_("indicateur"), max_length=40, choices=SLUG_CHOICES)
    scope_kind = models.CharField(_("périmètre"), max_length=20, choices=FigureScope.choices)
    scope_key = models.CharField(_("clé du périmètre"), max_length=20)  # network id, INSEE, FR
    scope_name = models.CharField(_("nom du périmètre"), max_length=200)  # when frozen
    numerator = models.BigIntegerField(_("numérateur"))
    denominator = models.BigIntegerField(_("dénominateur"))
    total = models.BigIntegerField(_("somme des notes"), default=0)
    sufficient = models.BooleanField(_("échantillon suffisant"))

    class Meta:
        verbose_name = _("chiffre d'une édition")
        verbose_name_plural = _("chiffres des éditions")
        constraints = [
            # Also the index of a scope's page in an edition.
            models.UniqueConstraint(
                fields=["edition", "scope_kind", "scope_key", "indicator"],
                name="barometre_figure_key",
            ),
            models.CheckConstraint(
                condition=models.Q(scope_kind__in=FigureScope.values),
                name="barometre_figure_scope_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(indicator__in=[slug for slug, _label in SLUG_CHOICES]),
                name="barometre_figure_indicator_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__gte=0, total__gte=0)
                & models.Q(numerator__lte=models.F("denominator")),
                name="barometre_figure_counts_valid",
            ),
            # Never flagged sufficient without a sample.
            models.CheckConstraint(
                condition=models.Q(sufficient=False) | models.Q(denominator__gt=0),
                name="barometre_figure_sufficient_has_sample",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.indicator} {self.scope_kind}:{self.scope_key}"
