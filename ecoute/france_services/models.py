"""France services coverage: the share of the population within N minutes of a point.

Computed by `actions.compute_coverage` (command `compute_france_services_coverage`) and stored,
with its assumptions and date, so that pages read figures instead of computing them.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ecoute.territories.models import Departement

# The thresholds of every computation (minutes); the target is read at TARGET_MINUTES.
THRESHOLDS = (10, 20, 30)
TARGET_MINUTES = 20
TARGET_SHARE = 95  # per cent of the population within TARGET_MINUTES (the seed's target)


def meets_target(share: float | None) -> bool:
    """Judged at the precision the pages show (one decimal): 94.96 % shows and counts as 95.0 %."""
    return share is not None and round(share, 1) >= TARGET_SHARE


class CoverageRun(models.Model):
    """One computation: its assumptions, its inputs and what had to be left out."""

    computed_at = models.DateTimeField(_("calculé le"), db_index=True)
    detour_factor = models.FloatField(_("coefficient de détour"))
    speed_kmh = models.FloatField(_("vitesse moyenne (km/h)"))
    points = models.PositiveIntegerField(_("points France services"))
    communes = models.PositiveIntegerField(_("communes comptées"))
    population = models.BigIntegerField(_("population comptée"))
    communes_without_population = models.PositiveIntegerField(_("communes sans population connue"))
    communes_without_position = models.PositiveIntegerField(_("communes sans position"))
    population_without_position = models.BigIntegerField(_("population des communes sans position"))
    points_without_departement = models.PositiveIntegerField(_("points sans département reconnu"))

    class Meta:
        verbose_name = _("calcul de couverture France services")
        verbose_name_plural = _("calculs de couverture France services")
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(detour_factor__gte=1) & Q(speed_kmh__gt=0),
                name="fs_coverage_run_assumptions_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M} ({self.detour_factor} × / {self.speed_kmh} km/h)"


class CoverageFigure(models.Model):
    """Population within `minutes` of a point, for a département or (null) the whole country."""

    run = models.ForeignKey(CoverageRun, on_delete=models.CASCADE, related_name="figures")
    departement = models.ForeignKey(
        Departement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    population = models.BigIntegerField(_("population"))
    population_within = models.BigIntegerField(_("population à moins de ces minutes"))

    class Meta:
        verbose_name = _("chiffre de couverture")
        verbose_name_plural = _("chiffres de couverture")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "departement", "minutes"], name="fs_coverage_one_per_place"
            ),
            models.UniqueConstraint(
                fields=["run", "minutes"],
                condition=Q(departement__isnull=True),
                name="fs_coverage_one_national",
            ),
            models.CheckConstraint(
                condition=Q(population_within__gte=0)
                & Q(population_within__lte=F("population"))
                & Q(minutes__gt=0),
                name="fs_coverage_within_bounds",
            ),
        ]

    def __str__(self) -> str:
        where = self.departement_id or "France"
        return f"{where}, {self.minutes} min: {self.population_within}/{self.population}"

    @property
    def share(self) -> float | None:
        """Per cent of the population within `minutes`; None when nobody is counted."""
        if not self.population:
            return None
        return 100 * self.population_within / self.population
