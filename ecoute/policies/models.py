"""The baromètre des résultats de l'action publique: the government's priority policies, their
indicators, and values per zone (nation, région, département) over time.

Both published editions share one shape: an `Edition` (2023 by Etalab, 2024 by the DITP) has
`Theme`s (the 2024 "engagements"; the 2023 files carry none), `Policy` rows (2023 "mesures",
2024 "chantiers"), each with `Indicator`s; a `Value` is one number of one indicator for one
zone at one date, of one kind (initial, current, target, taux d'avancement). `Summary` is the
roll-up the pages read: per indicator and zone, the initial value, the latest current value,
the target and the latest taux d'avancement, rebuilt by the importer with the values.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.territories.models import Departement, Region


class Edition(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    publisher = models.CharField(_("éditeur"), max_length=200)
    published_on = models.DateField(_("date de publication"))
    source_url = models.URLField(_("source"))
    licence = models.CharField(_("licence"), max_length=300)
    policy_label = models.CharField(_("nom des politiques dans cette édition"), max_length=50)

    class Meta:
        verbose_name = _("édition du baromètre")
        verbose_name_plural = _("éditions du baromètre")
        ordering = ["-published_on"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("policies:edition", args=[self.code])


class Theme(models.Model):
    """A 2024 "engagement" (Atteindre le plein emploi…), grouping chantiers."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="themes")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=300)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("engagement")
        ordering = ["edition", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_theme_per_edition"),
        ]

    def __str__(self) -> str:
        return self.name


class Policy(models.Model):
    """A priority policy: a 2023 "mesure" or a 2024 "chantier"."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="policies")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="policies"
    )
    # 2024: the DITP's id (CH-146); 2023: the slug of the mesure's name (the files have no id).
    code = models.SlugField(_("code"), max_length=150)
    name = models.CharField(_("nom"), max_length=300)

    class Meta:
        verbose_name = _("politique prioritaire")
        verbose_name_plural = _("politiques prioritaires")
        ordering = ["edition", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_policy_per_edition"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("policies:policy", args=[self.edition.code, self.code])


class Tendance(models.TextChoices):
    UP = "hausse", _("à la hausse")
    DOWN = "baisse", _("à la baisse")


class Indicator(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="indicators")
    # 2024: IND-246; 2023: the Etalab slug (tx-transparence-resultats).
    code = models.CharField(_("code"), max_length=100)
    name = models.CharField(_("nom"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unité"), max_length=100, blank=True)
    # Which way is progress; empty when the edition does not say and the target cannot tell.
    tendance = models.CharField(_("tendance"), max_length=10, choices=Tendance, blank=True)
    # 2024 only: random (a level), cumul_annuel, cumul_non_annuel, glissant.
    evolution = models.CharField(_("mode d'évolution"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("indicateur")
        ordering = ["policy", "code"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="unique_indicator_per_policy"),
            models.CheckConstraint(
                condition=Q(tendance__in=["", *Tendance.values]), name="indicator_tendance_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ZoneKind(models.TextChoices):
    NATION = "nation", _("France entière")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")


class ValueKind(models.TextChoices):
    INITIAL = "initiale", _("Valeur initiale")
    CURRENT = "actuelle", _("Valeur actuelle")
    TARGET = "cible", _("Cible")
    PROGRESS = "avancement", _("Taux d'avancement")


def zone_constraints(prefix: str, fields: list[str]) -> list[models.BaseConstraint]:
    """The zone is exactly one of: the nation, a région, a département; `fields` plus the zone
    are unique (one partial unique index per kind of zone: NULLs never compare equal)."""
    return [
        models.CheckConstraint(
            condition=(
                Q(zone_kind=ZoneKind.NATION, region__isnull=True, departement__isnull=True)
                | Q(zone_kind=ZoneKind.REGION, region__isnull=False, departement__isnull=True)
                | Q(zone_kind=ZoneKind.DEPARTEMENT, region__isnull=True, departement__isnull=False)
            ),
            name=f"{prefix}_one_zone",
        ),
        models.UniqueConstraint(
            fields=fields,
            condition=Q(zone_kind=ZoneKind.NATION),
            name=f"{prefix}_unique_nation",
        ),
        models.UniqueConstraint(
            fields=[*fields, "region"],
            condition=Q(zone_kind=ZoneKind.REGION),
            name=f"{prefix}_unique_region",
        ),
        models.UniqueConstraint(
            fields=[*fields, "departement"],
            condition=Q(zone_kind=ZoneKind.DEPARTEMENT),
            name=f"{prefix}_unique_departement",
        ),
    ]


class Zoned(models.Model):
    zone_kind = models.CharField(_("maille"), max_length=12, choices=ZoneKind)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def zone_code(self) -> str:
        """FRANCE, R84 or D01: the DITP's spelling of a zone, used as the importers' key."""
        return zone_code(self.zone_kind, self.region_id or self.departement_id or "")


def zone_code(kind: str, code: str) -> str:
    prefixes: dict[str, str] = {ZoneKind.NATION: "FRANCE", ZoneKind.REGION: f"R{code}"}
    return prefixes.get(kind, f"D{code}")


class Value(Zoned):
    """One published number: of one indicator, for one zone, at one date, of one kind."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(_("nature"), max_length=12, choices=ValueKind)
    date = models.DateField(_("date"))
    value = models.FloatField(_("valeur"))

    class Meta:
        verbose_name = _("valeur")
        ordering = ["indicator", "zone_kind", "date", "kind"]
        constraints = [
            *zone_constraints("value", ["indicator", "kind", "date"]),
            models.CheckConstraint(condition=Q(kind__in=ValueKind.values), name="value_kind_known"),
        ]
        indexes = [models.Index(fields=["indicator", "zone_kind", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.zone_code} {self.kind} {self.date}: {self.value}"


class Summary(Zoned):
    """Roll-up per indicator and zone, what every page shows: rebuilt by the importer."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="summaries")
    initial_value = models.FloatField(_("valeur initiale"), null=True, blank=True)
    initial_date = models.DateField(_("date de la valeur initiale"), null=True, blank=True)
    current_value = models.FloatField(_("valeur actuelle"), null=True, blank=True)
    current_date = models.DateField(_("date de la valeur actuelle"), null=True, blank=True)
    target_value = models.FloatField(_("cible"), null=True, blank=True)
    target_date = models.DateField(_("date de la cible"), null=True, blank=True)
    progress_value = models.FloatField(_("taux d'avancement"), null=True, blank=True)
    progress_date = models.DateField(_("date du taux d'avancement"), null=True, blank=True)

    class Meta:
        verbose_name = _("synthèse par zone")
        verbose_name_plural = _("synthèses par zone")
        ordering = ["indicator", "zone_kind", "region", "departement"]
        constraints = [
            *zone_constraints("summary", ["indicator"]),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}_value__isnull": True, f"{name}_date__isnull": True})
                    | Q(**{f"{name}_value__isnull": False, f"{name}_date__isnull": False}),
                    name=f"summary_{name}_value_has_date",
                )
                for name in ("initial", "current", "target", "progress")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.zone_code}"


SUMMARY_FIELDS = [
    f"{name}_{part}"
    for name in ("initial", "current", "target", "progress")
    for part in ("value", "date")
]
