import datetime as dt

import factory
from django.utils import timezone

from ecoute.consultations.models import Audience, Consultation, Phase, PhaseKind
from ecoute.debates.models import (
    Argument,
    Contribution,
    Contributors,
    Section,
    SectionKind,
    Side,
    Source,
    Visibility,
    Vote,
    VoteValue,
)
from tests.factories import UserFactory


def _today() -> dt.date:
    return timezone.localdate()


class ConsultationFactory(factory.django.DjangoModelFactory):
    """Published, with a participation phase open today (traits: closed, agents, draft)."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Consultation de test {n}")
    audience = Audience.ALL
    organiser_name = "Ministère de la Transformation publique"
    published_at = factory.LazyFunction(timezone.now)
    opens_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=5))
    closes_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=30))

    class Params:
        closed = factory.Trait(
            opens_on=factory.LazyFunction(lambda: _today() - dt.timedelta(days=60)),
            closes_on=factory.LazyFunction(lambda: _today() - dt.timedelta(days=10)),
        )
        agents = factory.Trait(audience=Audience.AGENTS)
        draft = factory.Trait(published_at=None)

    @factory.post_generation
    def phase(obj: Consultation, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create and obj.opens_on and obj.closes_on:
            PhaseFactory(consultation=obj, starts_on=obj.opens_on, ends_on=obj.closes_on)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    consultation = factory.SubFactory(ConsultationFactory)
    title = "Consultation"
    kind = PhaseKind.PARTICIPATION
    starts_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=5))
    ends_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=30))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    kind = SectionKind.PROPOSALS
    title = "Propositions"
    slug = factory.Sequence(lambda n: f"propositions-{n}")
    order = factory.Sequence(lambda n: n)
    contributors = Contributors.PARTICIPANTS

    class Params:
        organisers_only = factory.Trait(contributors=Contributors.ORGANISERS)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    section = factory.SubFactory(SectionFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposition n°{n}")
    body = "Ouvrir les concours à des profils plus divers, avec des classes préparatoires."
    visibility = Visibility.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        hidden = factory.Trait(visibility=Visibility.HIDDEN, hidden_reason="Hors sujet")


class VoteFactory(factory.django.DjangoModelFactory):
    """A bare row (the counters are the actions' business: use actions.cast_vote for those)."""

    class Meta:
        model = Vote

    contribution = factory.SubFactory(ContributionFactory)
    user = factory.SubFactory(UserFactory)
    value = VoteValue.FOR


class ArgumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Argument

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SubFactory(UserFactory)
    side = Side.FOR
    body = factory.Sequence(
        lambda n: f"Argument n°{n} : cela rapproche l'administration du public."
    )
    visibility = Visibility.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SubFactory(UserFactory)
    url = "https://www.insee.fr/fr/statistiques"
    title = "Statistiques de l'Insee"
    visibility = Visibility.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
