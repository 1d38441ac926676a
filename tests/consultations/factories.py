"""Consultations for tests: published, with one participation phase around today, by default.

ConsultationFactory()                                  # open today
ConsultationFactory(phase=CLOSED)                      # phase days, offsets from today
ConsultationFactory(phase=False)                       # no phase (dates unknown)
ConsultationFactory(draft=True)                        # not published
ConsultationFactory(results=True)                      # results published
ConsultationFactory(departements=[ain, rhone])         # territorial
"""

import datetime as dt

import factory
from django.utils import timezone

from ecoute.consultations.actions import refresh_dates
from ecoute.consultations.models import (
    Audience,
    Consultation,
    Participation,
    Phase,
    PhaseKind,
    Theme,
)
from tests.factories import UserFactory


def days(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


OPEN = (-10, 20)
UPCOMING = (10, 40)
CLOSED = (-60, -30)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = "services-publics"
    name = "Services publics"


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    consultation = factory.SubFactory("tests.consultations.factories.ConsultationFactory")
    title = "Consultation"
    kind = PhaseKind.PARTICIPATION
    starts_on = factory.LazyFunction(lambda: days(OPEN[0]))
    ends_on = factory.LazyFunction(lambda: days(OPEN[1]))


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Consultation numéro {n}")
    summary = "Dites-nous ce qui marche et ce qui ne marche pas."
    presentation = "Premier paragraphe.\n\nSecond paragraphe."
    theme = factory.SubFactory(ThemeFactory)
    audience = Audience.ALL
    organiser_name = "Ministère de la Transformation publique"
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(published_at=None)
        results = factory.Trait(
            results_published_at=factory.LazyFunction(timezone.now),
            synthesis="Ce que nous retenons.\n\nEt ce que nous ferons.",
        )

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):  # noqa: ANN001
        if create and extracted:
            self.is_national = False
            self.save(update_fields=["is_national"])
            self.departements.set(extracted)

    @factory.post_generation
    def phase(self, create, extracted, **kwargs):  # noqa: ANN001
        """One participation phase (offsets in days from today), then the dates refreshed."""
        if not create:
            return
        if extracted is not False:
            start, end = extracted or OPEN
            PhaseFactory(consultation=self, starts_on=days(start), ends_on=days(end))
        refresh_dates(consultation=self)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    consultation = factory.SubFactory(ConsultationFactory)
    user = factory.SubFactory(UserFactory)
