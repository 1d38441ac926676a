"""The eight common indicators of the results published in the open, defined once.

Five are *felt* (computed from the ratings of published experiences, one per
experiences.ratings.FELT_RATINGS) and three are *performance* indicators measured by the
services and imported (`manage.py import_indicators`). Every value is a rate,
numerator ÷ denominator, stored as its two counts in the roll-ups so that any scope and period
adds up exactly (a rate is never an average of rates).

A felt rating (1 to 5) becomes: numerator = 1 when it is 4 or 5 ("satisfait"), denominator = 1
for every rating given; the roll-ups also keep the sum of the ratings, so the mean out of 5 is
sum ÷ denominator, exact at every level too. See docs/decisions/0017-indicators-and-rollups.md.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ecoute.experiences.ratings import FELT_RATINGS

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# A felt rating counts as satisfied from this value up (4 or 5 out of 5).
SATISFIED_FROM = 4
# A procedure's online quality counts as good from this mark out of 10 up.
ONLINE_GOOD_FROM = 8


class Kind(StrEnum):
    FELT = "felt"
    PERFORMANCE = "performance"


@dataclass(frozen=True)
class Indicator:
    slug: str  # URL and CSV key, never changes
    name: "StrPromise"
    kind: Kind
    what: "StrPromise"  # what it measures
    numerator: "StrPromise"  # how it is computed: numerator ÷ denominator
    denominator: "StrPromise"
    unit: "StrPromise"
    target: int  # percentage the services aim at
    source: "StrPromise"
    sample_unit: "StrPromise"  # what the denominator counts: "avis", "appels"…
    rating_key: str = ""  # felt: the experiences.ratings key it is computed from

    @property
    def is_felt(self) -> bool:
        return self.kind == Kind.FELT

    @property
    def minimum_sample(self) -> int:
        """Below this denominator a value is flagged and not published (settings)."""
        return int(settings.ECOUTE_INDICATOR_MIN_SAMPLE)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("indicators:definition", args=[self.slug])


_FELT_SOURCE = _(
    "Notes des expériences publiées sur Écoute (après modération), de 1 à 5, données par les "
    "usagers eux-mêmes."
)
_FELT_NUMERATOR = _("nombre de notes de 4 ou 5 sur 5")
_FELT_DENOMINATOR = _("nombre de notes données")
_FELT_UNIT = _("pourcentage d'usagers satisfaits (note moyenne sur 5 en complément)")
_FELT_WHAT: dict[str, "StrPromise"] = {
    "satisfaction": _("La satisfaction globale des usagers après un contact avec le service."),
    "delays": _("Le ressenti des usagers sur les délais de traitement et d'attente."),
    "accessibility": _(
        "Le ressenti des usagers sur la facilité à joindre le service et à s'y rendre."
    ),
    "simplicity": _(
        "La simplicité des démarches ressentie par les usagers (le taux d'effort : peu "
        "d'effort est une note haute)."
    ),
    "relationship": _("La qualité de l'accueil et de la relation avec les agents."),
}
_FELT_NAMES: dict[str, "StrPromise"] = {
    "satisfaction": _("Satisfaction globale"),
    "delays": _("Délais"),
    "accessibility": _("Accessibilité"),
    "simplicity": _("Simplicité (taux d'effort)"),
    "relationship": _("Qualité de la relation"),
}
_SLUGS = {
    "satisfaction": "satisfaction",
    "delays": "delais",
    "accessibility": "accessibilite",
    "simplicity": "simplicite",
    "relationship": "qualite-relation",
}

INDICATORS: tuple[Indicator, ...] = (
    *(
        Indicator(
            slug=_SLUGS[rating.key],
            name=_FELT_NAMES[rating.key],
            kind=Kind.FELT,
            what=_FELT_WHAT[rating.key],
            numerator=_FELT_NUMERATOR,
            denominator=_FELT_DENOMINATOR,
            unit=_FELT_UNIT,
            target=80,
            source=_FELT_SOURCE,
            sample_unit=_("avis"),
            rating_key=rating.key,
        )
        for rating in FELT_RATINGS
    ),
    Indicator(
        slug="taux-decroche",
        name=_("Taux de décroché"),
        kind=Kind.PERFORMANCE,
        what=_(
            "La part des appels téléphoniques demandant un agent qui ont été pris par un agent."
        ),
        numerator=_("appels pris par un agent"),
        denominator=_("appels demandant un agent"),
        unit=_("pourcentage des appels"),
        target=85,
        source=_("Mesures de la téléphonie des services, importées chaque mois."),
        sample_unit=_("appels"),
    ),
    Indicator(
        slug="respect-delai",
        name=_("Respect du délai annoncé"),
        kind=Kind.PERFORMANCE,
        what=_("La part des démarches traitées dans le délai que le service a annoncé."),
        numerator=_("démarches traitées dans le délai annoncé"),
        denominator=_("démarches traitées"),
        unit=_("pourcentage des démarches"),
        target=90,
        source=_("Outils de gestion des services, importés chaque mois."),
        sample_unit=_("démarches"),
    ),
    Indicator(
        slug="qualite-demarches-en-ligne",
        name=_("Qualité des démarches en ligne"),
        kind=Kind.PERFORMANCE,
        what=_("La part des démarches en ligne bien notées par leurs usagers."),
        numerator=_("démarches notées 8/10 ou plus"),
        denominator=_("démarches notées"),
        unit=_("pourcentage des démarches notées"),
        target=80,
        source=_("Notes des démarches en ligne (observatoire), importées chaque mois."),
        sample_unit=_("démarches notées"),
    ),
)

BY_SLUG: dict[str, Indicator] = {indicator.slug: indicator for indicator in INDICATORS}
FELT: tuple[Indicator, ...] = tuple(i for i in INDICATORS if i.is_felt)
PERFORMANCE: tuple[Indicator, ...] = tuple(i for i in INDICATORS if not i.is_felt)
BY_RATING: dict[str, Indicator] = {i.rating_key: i for i in FELT}
SLUG_CHOICES = [(indicator.slug, indicator.name) for indicator in INDICATORS]
