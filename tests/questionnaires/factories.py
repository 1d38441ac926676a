import datetime as dt

import factory
from django.utils import timezone

from ecoute.consultations.models import Audience, Consultation, Phase, PhaseKind
from ecoute.questionnaires.models import (
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
    TextTopic,
)


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A published consultation whose participation phase covers today (see `phase`)."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Consultation {n}")
    audience = Audience.ALL
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def phase(self, create, extracted, **kwargs):  # noqa: ANN001
        if not create or extracted is False:
            return
        today = timezone.localdate()
        starts, ends = extracted or (today - dt.timedelta(days=5), today + dt.timedelta(days=5))
        Phase.objects.create(
            consultation=self,
            title="Participation",
            kind=PhaseKind.PARTICIPATION,
            starts_on=starts,
            ends_on=ends,
        )
        from ecoute.consultations.actions import refresh_dates

        refresh_dates(consultation=self)


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Questionnaire {n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    questionnaire = factory.LazyAttribute(lambda o: o.section.questionnaire)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n} ?")
    order = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Choix {n}")
    order = factory.Sequence(lambda n: n)


class TextTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TextTopic

    question = factory.SubFactory(QuestionFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Thème {n}")
