from dataclasses import dataclass

import pytest

from ecoute.questionnaires.models import Choice, Question, QuestionKind, Questionnaire

from .factories import ChoiceFactory, QuestionFactory, QuestionnaireFactory, SectionFactory


@dataclass
class Sample:
    questionnaire: Questionnaire
    yes_no: Question  # 1, required, single
    why: Question  # 2, long text, required, shown if 1 = Oui
    values: Question  # 3, multiple, max 3, with « Autre »
    ranking: Question  # 4 (section 2)
    scale: Question  # 5, required, 1–5
    short: Question  # 6
    yes: Choice
    no: Choice

    @property
    def url(self) -> str:
        c = self.questionnaire.consultation
        return f"/consultations/{c.slug}/questionnaires/{self.questionnaire.pk}/"

    def choices(self, question: Question) -> list[int]:
        return [c.pk for c in question.choices.order_by("order")]


def build_sample(**consultation: object) -> Sample:
    questionnaire = QuestionnaireFactory(
        **{f"consultation__{k}": v for k, v in consultation.items()}
    )
    first = SectionFactory(questionnaire=questionnaire, title="Vous", order=1)
    second = SectionFactory(questionnaire=questionnaire, title="Vos idées", order=2)
    yes_no = QuestionFactory(section=first, order=1, required=True, text="Êtes-vous venu ?")
    yes = ChoiceFactory(question=yes_no, label="Oui", order=1)
    no = ChoiceFactory(question=yes_no, label="Non", order=2)
    why = QuestionFactory(
        section=first,
        order=2,
        kind=QuestionKind.LONG_TEXT,
        required=True,
        text="Pourquoi ?",
        condition_question=yes_no,
    )
    why.condition_choices.set([yes])
    values = QuestionFactory(
        section=first, order=3, kind=QuestionKind.MULTIPLE, max_choices=3, text="Valeurs ?"
    )
    for n in range(1, 6):
        ChoiceFactory(question=values, label=f"Valeur {n}", order=n)
    ChoiceFactory(question=values, label="Autre", order=6, is_other=True)
    ranking = QuestionFactory(section=second, order=1, kind=QuestionKind.RANKING, text="Classez")
    for n in range(1, 4):
        ChoiceFactory(question=ranking, label=f"Rang {n}", order=n)
    scale = QuestionFactory(
        section=second,
        order=2,
        kind=QuestionKind.SCALE,
        required=True,
        scale_min=1,
        scale_max=5,
        scale_min_label="Pas du tout",
        scale_max_label="Tout à fait",
        text="Note ?",
    )
    short = QuestionFactory(section=second, order=3, kind=QuestionKind.SHORT_TEXT, text="Mot ?")
    return Sample(questionnaire, yes_no, why, values, ranking, scale, short, yes, no)


@pytest.fixture
def sample(db) -> Sample:  # noqa: ANN001
    return build_sample()
