"""The observatory's indicators and their thresholds, defined once.

Each indicator's level (bon / moyen / à améliorer / non mesuré) is computed here from its value;
pages, the CSV export and tests read these definitions, never their own copy. Sources of the
thresholds: docs/decisions/0020-online-demarches-observatory.md.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from ecoute.common.charts import format_number

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


class Rule(Protocol):
    """How an indicator's value gets its level, and the same rule in words."""

    def __call__(self, value: Number) -> Level: ...

    def ranges(self) -> dict[Level, str]: ...


def _number(value: Decimal, unit: str) -> str:
    """A bound as the page writes it: French decimals, as many as the bound has ("99,9 %")."""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(float(value), decimals, unit)


@dataclass(frozen=True)
class Bands:
    """Two thresholds: `good` and `medium` bounds, inclusive unless `strict` (the good bound
    only); `higher` False when a lower value is better (information asked again).

    `unit` is written after each bound ("%"), `count` says values are whole counts from 0 (the
    ranges are then written "de 2 à 4"), `ceiling` is the largest possible value (a good bound
    at the ceiling reads "100 %", not "100 % ou plus"). The words come from the numbers: change
    a bound and every page follows.
    """

    good: Decimal
    medium: Decimal
    higher: bool = True
    strict: bool = False
    unit: str = ""
    count: bool = False
    ceiling: Decimal | None = None

    def __call__(self, value: Number) -> Level:
        value = Decimal(str(value))
        if not self.higher:
            value, good, medium = -value, -self.good, -self.medium
        else:
            good, medium = self.good, self.medium
        if value > good or (value == good and not self.strict):
            return Level.GOOD
        return Level.MEDIUM if value >= medium else Level.POOR

    def ranges(self) -> dict[Level, str]:
        good, medium = _number(self.good, self.unit), _number(self.medium, self.unit)
        if self.higher:
            if self.good == self.ceiling and not self.strict:
                good_range = good
            elif self.strict:
                good_range = gettext("plus de %(value)s") % {"value": good}
            else:
                good_range = gettext("%(value)s ou plus") % {"value": good}
            if self.strict:
                medium_range = gettext("de %(low)s à %(high)s") % {"low": medium, "high": good}
            elif self.count:
                high = _number(self.good - 1, self.unit)
                medium_range = gettext("de %(low)s à %(high)s") % {"low": medium, "high": high}
            else:
                medium_range = gettext("de %(low)s à moins de %(high)s") % {
                    "low": medium,
                    "high": good,
                }
            poor_range = gettext("moins de %(value)s") % {"value": medium}
        else:
            if self.strict:
                good_range = gettext("moins de %(value)s") % {"value": good}
            elif self.count:
                good_range = gettext("de %(low)s à %(high)s") % {
                    "low": _number(Decimal(0), self.unit),
                    "high": good,
                }
            else:
                good_range = gettext("%(value)s ou moins") % {"value": good}
            if self.count and not self.strict:
                low = _number(self.good + 1, self.unit)
                medium_range = gettext("de %(low)s à %(high)s") % {"low": low, "high": medium}
            elif self.strict:
                medium_range = gettext("de %(low)s à %(high)s") % {"low": good, "high": medium}
            else:
                medium_range = gettext("de plus de %(low)s à %(high)s") % {
                    "low": good,
                    "high": medium,
                }
            poor_range = gettext("plus de %(value)s") % {"value": medium}
        return {Level.GOOD: good_range, Level.MEDIUM: medium_range, Level.POOR: poor_range}


@dataclass(frozen=True)
class Offered:
    """A yes/no indicator: offered is good, not offered is to improve (FranceConnect)."""

    def __call__(self, value: Number) -> Level:
        return Level.GOOD if value else Level.POOR

    def ranges(self) -> dict[Level, str]:
        return {Level.GOOD: str(gettext("proposé")), Level.POOR: str(gettext("non proposé"))}


@dataclass(frozen=True)
class Definition:
    code: str
    label: StrOrPromise
    unit: StrOrPromise
    explanation: StrOrPromise
    rule: Rule
    # Words added after a level's range ("totalement conforme"), never a number.
    notes: Mapping[Level, StrOrPromise] = field(default_factory=dict)

    @property
    def level_of(self) -> Callable[[Number], Level]:
        return self.rule

    @property
    def thresholds(self) -> str:
        """The levels in words, shown beside the value, written from the rule's numbers:
        "Bon : 8 ou plus · Moyen : de 5 à moins de 8 · À améliorer : moins de 5"."""
        parts = []
        for level_, words in self.rule.ranges().items():
            note = self.notes.get(level_)
            text = f"{words} {note}" if note else words
            parts.append(gettext("%(level)s : %(range)s") % {"level": level_.label, "range": text})
        return " · ".join(parts)


PERCENT = "%"
_satisfaction = Bands(good=Decimal(8), medium=Decimal(5))
_rgaa = Bands(good=Decimal(100), medium=Decimal(50), unit=PERCENT, ceiling=Decimal(100))
_dlnuf = Bands(good=Decimal(1), medium=Decimal(4), higher=False, count=True)
_help = Bands(good=Decimal(85), medium=Decimal(50), unit=PERCENT)
_availability = Bands(good=Decimal("99.9"), medium=Decimal("98.5"), strict=True, unit=PERCENT)


DEFINITIONS: dict[str, Definition] = {
    SATISFACTION: Definition(
        code=SATISFACTION,
        label=_("Satisfaction des usagers"),
        unit=_("/ 10"),
        explanation=_(
            "Note sur 10 tirée des avis « Je donne mon avis » des 12 derniers mois : « bien » "
            "compte 10, « moyen » 5, « mal » 0. Affichée à partir d'un nombre minimal d'avis."
        ),
        rule=_satisfaction,
    ),
    Indicator.RGAA: Definition(
        code=Indicator.RGAA,
        label=_("Prise en compte du handicap"),
        unit=_("pourcentage de conformité RGAA"),
        explanation=_(
            "Taux de conformité au référentiel général d'amélioration de l'accessibilité "
            "(RGAA) indiqué dans la déclaration d'accessibilité de la démarche."
        ),
        rule=_rgaa,
        notes={
            Level.GOOD: _("(totalement conforme)"),
            Level.MEDIUM: _("(partiellement conforme)"),
            Level.POOR: _("ou pas de déclaration"),
        },
    ),
    Indicator.DLNUF: Definition(
        code=Indicator.DLNUF,
        label=_("Dites-le-nous une fois"),
        unit=_("informations redemandées"),
        explanation=_(
            "Nombre d'informations ou de pièces que la démarche redemande alors que "
            "l'administration les détient déjà."
        ),
        rule=_dlnuf,
    ),
    Indicator.HELP: Definition(
        code=Indicator.HELP,
        label=_("Aide joignable"),
        unit=_("pourcentage des usagers ayant cherché de l'aide"),
        explanation=_(
            "Part des usagers qui ont cherché à joindre l'administration pendant la "
            "démarche et y sont parvenus."
        ),
        rule=_help,
    ),
    Indicator.AVAILABILITY: Definition(
        code=Indicator.AVAILABILITY,
        label=_("Disponibilité du service"),
        unit=_("pourcentage du temps"),
        explanation=_("Part du temps où le service en ligne a répondu, mesurée en continu."),
        rule=_availability,
    ),
    FRANCECONNECT: Definition(
        code=FRANCECONNECT,
        label=_("FranceConnect"),
        unit="",
        explanation=_(
            "La démarche permet de s'identifier avec FranceConnect, sans créer un compte de plus."
        ),
        rule=Offered(),
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
