"""Demo questionnaires: the open seed « Le service public en 12 questions », the agents-only
« Accueillir le public : vos conditions de travail » (generated), the Grand Débat's
questionnaires as templates, and the Assemblée nationale's closed 2016 consultation with its
real responses, tallies and topics (data/questionnaires/, see SOURCE.md)."""

from pathlib import Path

from django.conf import settings

from ecoute.questionnaires import actions
from ecoute.questionnaires.importers import (
    AN_DIR,
    an_consultation,
    import_an_questionnaire,
    load_grand_debat_templates,
)
from ecoute.questionnaires.queries import respondent_count
from ecoute.questionnaires.seed import AGENTS, load_seed_questionnaire


def load_demo_questionnaires() -> str:
    seed = load_seed_questionnaire()
    agents = load_seed_questionnaire(spec=AGENTS)
    templates = load_grand_debat_templates(Path(settings.ECOUTE_DATA_DIR))
    an = import_an_questionnaire(Path(settings.ECOUTE_DATA_DIR) / AN_DIR, an_consultation())
    topics = sum(
        actions.compute_question_topics(question=question) for question in an.questions.all()
    )
    assert seed.consultation and agents.consultation and an.consultation  # noqa: S101
    return (
        f"Questionnaires: « {seed.title} » open (/consultations/{seed.consultation.slug}/"
        f"questionnaires/{seed.pk}/); « {agents.title} » open to agents only "
        f"(/consultations/{agents.consultation.slug}/); {len(templates)} Grand Débat "
        f"templates; AN 2016 "
        f"« {an.title} » closed with {respondent_count(an)} real responses and {topics} topics "
        f"(/consultations/{an.consultation.slug}/questionnaires/{an.pk}/resultats/)."
    )
