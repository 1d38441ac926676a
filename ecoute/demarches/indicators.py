"""The observatory's indicators and their thresholds, defined once.

Each indicator's level (bon / moyen / à améliorer / non mesuré) is computed here from its value;
pages, the CSV export and tests read these definitions, never their own copy. Sources of the
thresholds: docs/decisions/0020-online-demarches-observatory.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import Indicator

Number = int | float | Decimal


class Level(models.TextChoices):
    GOOD = "bon", _("Bon")
    MEDIUM = "moyen", _("Moyen")
    POOR = "a-ameliorer", _("À améliorer")
    NOT_MEASURED = "non-mesure", _("Non mesuré")


# DSFR badge colour of each level.
LEVEL_BADGES = {
    Level.GOOD: "success",
    Level.MEDIUM: "warning",
    Level.POOR: "error",
    Level.NOT_MEASURED: "info",
}

SATISFACTION = "satisfaction"
FRANCECONNECT = "franceconnect"


@dataclass(frozen=True)
class Definition:
    code: str
    label: StrOrPromise
    unit: StrOrPromise
    explanation: StrOrPromise
    thresholds: StrOrPromise  # the levels in words, shown beside the value
    level_of: Callable[[Number], Level]


@dataclass(frozen=True)
class Bands:
    """Two thresholds: `good` and `medium` bounds, inclusive unless `strict` (the good bound
    only); `higher` False when a lower value is better (information asked again)."""

    good: Decimal
    medium: Decimal
    higher: bool = True
    strict: bool = False

    def __call__(self, value: Number) -> Level:
        value = Decimal(str(value))
        if not self.higher:
            value, good, medium = -value, -self.good, -self.medium
        else:
            good, medium = self.good, self.medium
        if value > good or (value == good and not self.strict):
            return Level.GOOD
        return Level.MEDIUM if value >= medium else Level.POOR


_satisfaction = Bands(good=Decimal(8), medium=Decimal(5))
_rgaa = Bands(good=Decimal(100), medium=Decimal(50))
_dlnuf = Bands(good=Decimal(1), medium=Decimal(4), higher=False)
_help = Bands(good=Decimal(85), medium=Decimal(50))
_availability = Bands(good=Decimal("99.9"), medium=Decimal("98.5"), strict=True)


def _franceconnect(value: Number) -> Level:
    return Level.GOOD if value else Level.POOR


DEFINITIONS: dict[str, Definition] = {
    SATISFACTION: Definition(
        code=SATISFACTION,
        label=_("Satisfaction des usagers"),
        unit=_("/ 10"),
        explanation=_(
            "Note sur 10 tirée des avis « Je donne mon avis » des 12 derniers mois : « bien » "
            "compte 10, « moyen » 5, « mal » 0. Affichée à partir d'un nombre minimal d'avis."
        ),
        thresholds=_("Bon : 8 ou plus · Moyen : de 5 à 8 · À améliorer : moins de 5"),
        level_of=_satisfaction,
    ),
    Indicator.RGAA: Definition(
        code=Indicator.RGAA,
        label=_("Prise en compte du handicap"),
        unit=_("pourcentage de conformité RGAA"),
        explanation=_(
            "Taux de conformité au référentiel général d'amélioration de l'accessibilité "
            "(RGAA) indiqué dans la déclaration d'accessibilité de la démarche."
        ),
        thresholds=_(
            "Bon : 100 % (totalement conforme) · Moyen : de 50 à 99 % (partiellement "
            "conforme) · À améliorer : moins de 50 % ou pas de déclaration"
        ),
        level_of=_rgaa,
    ),
    Indicator.DLNUF: Definition(
        code=Indicator.DLNUF,
        label=_("Dites-le-nous une fois"),
        unit=_("informations redemandées"),
        explanation=_(
            "Nombre d'informations ou de pièces que la démarche redemande alors que "
            "l'administration les détient déjà."
        ),
        thresholds=_("Bon : 0 ou 1 · Moyen : de 2 à 4 · À améliorer : plus de 4"),
        level_of=_dlnuf,
    ),
    Indicator.HELP: Definition(
        code=Indicator.HELP,
        label=_("Aide joignable"),
        unit=_("pourcentage des usagers ayant cherché de l'aide"),
        explanation=_(
            "Part des usagers qui ont cherché à joindre l'administration pendant la "
            "démarche et y sont parvenus."
        ),
        thresholds=_("Bon : 85 % ou plus · Moyen : de 50 à 85 % · À améliorer : moins de 50 %"),
        level_of=_help,
    ),
    Indicator.AVAILABILITY: Definition(
        code=Indicator.AVAILABILITY,
        label=_("Disponibilité du service"),
        unit=_("pourcentage du temps"),
        explanation=_("Part du temps où le service en ligne a répondu, mesurée en continu."),
        thresholds=_(
            "Bon : plus de 99,9 % · Moyen : de 98,5 à 99,9 % · À améliorer : moins de 98,5 %"
        ),
        level_of=_availability,
    ),
    FRANCECONNECT: Definition(
        code=FRANCECONNECT,
        label=_("FranceConnect"),
        unit="",
        explanation=_(
            "La démarche permet de s'identifier avec FranceConnect, sans créer un compte de plus."
        ),
        thresholds=_("Bon : proposé · À améliorer : non proposé"),
        level_of=_franceconnect,
    ),
}

# Table order: the observatory's key indicators first.
ORDER = [
    SATISFACTION,
    Indicator.RGAA,
    Indicator.DLNUF,
    Indicator.HELP,
    Indicator.AVAILABILITY,
    FRANCECONNECT,
]


def level(code: str, value: Number | bool | None) -> Level:
    """The level of an indicator's value; None (no measure, too few reviews) is "non mesuré"."""
    if value is None:
        return Level.NOT_MEASURED
    return DEFINITIONS[code].level_of(value)
