"""INSEE territories: régions, départements, communes (Code officiel géographique)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    # Centroid of the simplified département shape (display only).
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("département")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"


class PostalCode(models.Model):
    """One La Poste postal code of a commune: a code may serve several communes and a commune
    (Paris, Lyon, Marseille, merged communes) may have several codes."""

    code = models.CharField(_("code postal"), max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        verbose_name = _("code postal")
        ordering = ["code", "commune_id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="unique_postal_code_commune"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{5}$"), name="postal_code_five_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.commune_id}"
