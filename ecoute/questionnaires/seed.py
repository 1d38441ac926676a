"""Demo questionnaires, each one open consultation whose participation phase covers `today`,
idempotent (`source_key`):

- « Le service public en 12 questions », for usagers and agents, in the spirit of the Forum de
  l'action publique's 2017–2018 questionnaire (its exact wording was not found: the questions
  are reconstructed, see data/questionnaires/SOURCE.md);
- « Accueillir le public : vos conditions de travail », for agents only, generated for the
  demo (no real source; it says so on its page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecoute.consultations.actions import refresh_dates
from ecoute.consultations.models import Audience, Consultation, Phase, PhaseKind

from .models import Choice, Question, QuestionKind, Questionnaire, Section

SEED_KEY = "seed:service-public-12-questions"
SEED_SLUG = "le-service-public-en-12-questions"
AGENTS_SEED_KEY = "seed:agents-accueil-du-public"
AGENTS_SEED_SLUG = "accueillir-le-public-vos-conditions-de-travail"

# (section, [question spec]); a spec has kind, text and optionally required, choices, other,
# max, scale (min, max, min label, max label), key and condition (key, choice label).
SECTIONS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "Vous et le service public",
        [
            {
                "kind": QuestionKind.SCALE,
                "text": "Globalement, quelle note donnez-vous aux "
                "services publics que vous utilisez ?",
                "required": True,
                "scale": (0, 10, "Très mauvaise", "Excellente"),
            },
            {
                "kind": QuestionKind.SINGLE,
                "text": "Selon vous, ces dernières années, la qualité du service public s'est :",
                "required": True,
                "choices": ["Améliorée", "Maintenue", "Dégradée", "Je ne sais pas"],
            },
            {
                "kind": QuestionKind.MULTIPLE,
                "max": 3,
                "required": True,
                "text": "Quelles sont pour vous les valeurs les plus importantes du service "
                "public ?",
                "choices": [
                    "L'égalité d'accès",
                    "La continuité",
                    "La neutralité",
                    "La proximité",
                    "La gratuité",
                    "La qualité",
                    "L'adaptation aux besoins",
                ],
                "other": True,
            },
        ],
    ),
    (
        "Vos démarches",
        [
            {
                "kind": QuestionKind.SINGLE,
                "required": True,
                "key": "difficulty",
                "text": "Avez-vous rencontré une difficulté lors d'une démarche administrative au "
                "cours des douze derniers mois ?",
                "choices": ["Oui", "Non"],
            },
            {
                "kind": QuestionKind.LONG_TEXT,
                "required": True,
                "condition": ("difficulty", "Oui"),
                "text": "Laquelle ? Décrivez la démarche et ce qui a bloqué.",
            },
            {
                "kind": QuestionKind.MULTIPLE,
                "text": "Comment préférez-vous contacter un service public ?",
                "choices": [
                    "Au guichet",
                    "Par téléphone",
                    "Sur Internet",
                    "Par courrier",
                    "Dans un espace France services",
                ],
            },
            {
                "kind": QuestionKind.RANKING,
                "text": "Classez ces améliorations de l'accueil, de "
                "la plus importante à la moins importante.",
                "choices": [
                    "Des horaires plus larges",
                    "Moins d'attente",
                    "Un interlocuteur unique",
                    "Des réponses plus claires",
                ],
            },
        ],
    ),
    (
        "Le numérique",
        [
            {
                "kind": QuestionKind.SCALE,
                "text": "Êtes-vous à l'aise pour faire vos démarches en ligne ?",
                "scale": (1, 5, "Pas du tout", "Tout à fait"),
            },
            {
                "kind": QuestionKind.SINGLE,
                "text": "Faut-il garder une autre possibilité que "
                "le numérique pour toutes les démarches ?",
                "choices": ["Oui, pour toutes", "Oui, pour certaines", "Non", "Je ne sais pas"],
            },
            {
                "kind": QuestionKind.SHORT_TEXT,
                "text": "Quelle démarche en ligne faudrait-il simplifier en priorité ?",
            },
        ],
    ),
    (
        "Vos propositions",
        [
            {
                "kind": QuestionKind.LONG_TEXT,
                "text": "Quelle est votre proposition pour améliorer le service public ?",
            },
            {
                "kind": QuestionKind.LONG_TEXT,
                "text": "Avez-vous l'exemple d'un service public "
                "qui fonctionne bien près de chez vous ?",
            },
        ],
    ),
]


AGENTS_SECTIONS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "Votre accueil du public",
        [
            {
                "kind": QuestionKind.MULTIPLE,
                "required": True,
                "text": "Comment accueillez-vous le public ?",
                "choices": [
                    "Au guichet",
                    "Par téléphone",
                    "Par messagerie ou formulaire en ligne",
                    "Sur rendez-vous",
                    "En itinérance (bus, permanences)",
                ],
            },
            {
                "kind": QuestionKind.SCALE,
                "required": True,
                "text": "Quelle note donnez-vous à vos conditions d'accueil du public ?",
                "scale": (0, 10, "Très mauvaises", "Excellentes"),
            },
        ],
    ),
    (
        "Vos difficultés",
        [
            {
                "kind": QuestionKind.MULTIPLE,
                "max": 3,
                "required": True,
                "text": "Quelles difficultés rencontrez-vous le plus souvent ?",
                "choices": [
                    "Des outils informatiques inadaptés",
                    "Le manque de temps pour chaque usager",
                    "Des règles trop complexes à expliquer",
                    "Ne pas savoir vers quel service orienter l'usager",
                    "Des incivilités",
                    "Le manque de formation",
                ],
                "other": True,
            },
            {
                "kind": QuestionKind.SINGLE,
                "required": True,
                "key": "incivility",
                "text": "Avez-vous fait face à une incivilité au cours des six derniers mois ?",
                "choices": ["Oui", "Non", "Je préfère ne pas répondre"],
            },
            {
                "kind": QuestionKind.LONG_TEXT,
                "condition": ("incivility", "Oui"),
                "text": "Qu'est-ce qui vous aurait aidé(e) à ce moment-là ?",
            },
        ],
    ),
    (
        "Vos propositions",
        [
            {
                "kind": QuestionKind.RANKING,
                "text": "Classez ces leviers, du plus utile au moins utile pour mieux accueillir "
                "le public.",
                "choices": [
                    "La formation",
                    "De meilleurs outils",
                    "Des effectifs supplémentaires",
                    "Des procédures simplifiées",
                ],
            },
            {
                "kind": QuestionKind.LONG_TEXT,
                "text": "Quelle simplification proposeriez-vous, pour les usagers ou pour vous ?",
            },
        ],
    ),
]


@dataclass(frozen=True)
class SeedSpec:
    key: str
    slug: str
    title: str
    summary: str
    presentation: str
    audience: str
    introduction: str
    sections: list[tuple[str, list[dict[str, Any]]]]
    questionnaire_title: str = ""  # the consultation's title when empty


SERVICE_PUBLIC = SeedSpec(
    key=SEED_KEY,
    slug=SEED_SLUG,
    title="Le service public en 12 questions",
    summary="Ce que vous attendez des services publics : qualité, accueil, "
    "numérique, vos propositions.",
    presentation="Consultation de démonstration, dans l'esprit du Forum de l'action "
    "publique (2017–2018) : usagers et agents publics donnent leur avis sur le "
    "service public.",
    audience=Audience.ALL,
    introduction="Douze questions, une dizaine de minutes. Vous pouvez enregistrer un "
    "brouillon et revenir plus tard ; vos réponses restent modifiables jusqu'à la "
    "clôture.",
    sections=SECTIONS,
)

AGENTS = SeedSpec(
    key=AGENTS_SEED_KEY,
    slug=AGENTS_SEED_SLUG,
    title="Accueillir le public : vos conditions de travail",
    summary="Agents publics : vos conditions d'accueil du public, vos difficultés et vos "
    "propositions.",
    presentation="Consultation de démonstration générée pour Écoute (elle ne reprend aucune "
    "consultation réelle), réservée aux agents publics : ce qui vous aide ou vous gêne pour "
    "accueillir le public, et ce que vous proposez.",
    audience=Audience.AGENTS,
    introduction="Sept questions, cinq minutes. Les résultats sont publiés sans le nom des "
    "répondants.",
    sections=AGENTS_SECTIONS,
    questionnaire_title="Votre accueil du public en sept questions",
)


def _build(questionnaire: Questionnaire, sections: list[tuple[str, list[dict[str, Any]]]]) -> None:
    order = 0
    keyed: dict[str, Question] = {}
    for section_order, (title, questions) in enumerate(sections, start=1):
        section = Section.objects.create(
            questionnaire=questionnaire, title=title, order=section_order
        )
        for spec in questions:
            order += 1
            scale = spec.get("scale")
            question = Question.objects.create(
                questionnaire=questionnaire,
                section=section,
                order=order,
                kind=spec["kind"],
                text=spec["text"],
                required=spec.get("required", False),
                max_choices=spec.get("max"),
                scale_min=scale[0] if scale else None,
                scale_max=scale[1] if scale else None,
                scale_min_label=scale[2] if scale else "",
                scale_max_label=scale[3] if scale else "",
            )
            labels = list(spec.get("choices", []))
            for index, label in enumerate(labels, start=1):
                Choice.objects.create(question=question, label=label, order=index)
            if spec.get("other"):
                Choice.objects.create(
                    question=question, label="Autre", order=len(labels) + 1, is_other=True
                )
            if "key" in spec:
                keyed[spec["key"]] = question
            if "condition" in spec:
                parent = keyed[spec["condition"][0]]
                question.condition_question = parent
                question.save(update_fields=["condition_question"])
                question.condition_choices.set(parent.choices.filter(label=spec["condition"][1]))


@transaction.atomic
def load_seed_questionnaire(
    today: dt.date | None = None, spec: SeedSpec = SERVICE_PUBLIC
) -> Questionnaire:
    today = today or timezone.localdate()
    consultation, _created = Consultation.objects.update_or_create(
        source_key=spec.key,
        defaults={
            "slug": spec.slug,
            "title": spec.title,
            "summary": spec.summary,
            "presentation": spec.presentation,
            "audience": spec.audience,
            "is_national": True,
            "organiser_name": "Direction interministérielle de la transformation publique "
            "(démonstration)",
        },
    )
    consultation.phases.all().delete()
    Phase.objects.create(
        consultation=consultation,
        title="Questionnaire en ligne",
        kind=PhaseKind.PARTICIPATION,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
    )
    Phase.objects.create(
        consultation=consultation,
        title="Analyse des réponses",
        kind=PhaseKind.ANALYSIS,
        starts_on=today + dt.timedelta(days=61),
        ends_on=today + dt.timedelta(days=90),
    )
    refresh_dates(consultation=consultation)
    consultation.published_at = consultation.published_at or timezone.now()
    consultation.results_published_at = None
    consultation.save(update_fields=["published_at", "results_published_at", "updated_at"])
    questionnaire = Questionnaire.objects.filter(source_key=spec.key).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            consultation=consultation,
            title=spec.questionnaire_title or spec.title,
            introduction=spec.introduction,
            source_key=spec.key,
        )
        _build(questionnaire, spec.sections)
    return questionnaire
