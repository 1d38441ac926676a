"""Loaders of real questionnaires (data/questionnaires/, see its SOURCE.md): the Grand Débat's
four questionnaires as templates, and the Assemblée nationale's 2016 consultation with its
~970 responses. Both are idempotent (`source_key`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecoute.consultations.actions import refresh_dates
from ecoute.consultations.models import Audience, Consultation, Phase, PhaseKind
from ecoute.moderation.masking import mask_many

from . import actions
from .models import Choice, Question, QuestionKind, Questionnaire, Section
from .rules import AnswerInput

GRAND_DEBAT_DIR = Path("questionnaires") / "grand-debat-2019"
AN_DIR = Path("questionnaires") / "an-egalite-fh-2016"
AN_FILES = [f"EGALITE{n}.brut.json" for n in range(1, 7)]
AN_SECTIONS = [
    "Les domaines où agir",
    "Médias et Internet",
    "Congé parental et temps de vie",
    "Pensions alimentaires",
    "Ordonnance de protection et violences conjugales",
    "Votre profil et cette consultation",
]
YES_NO = ["Oui", "Non", "Je ne sais pas"]
SECTION_SIZE = 8  # questions per section of a template (a follow-up stays with its question)


class BadInput(ValueError):
    """Bad input, with the file and line (or respondent) it is at."""


# --- Grand Débat templates -----------------------------------------------------------------


def _read_semicolon_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=";")
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError as error:
        raise BadInput(f"{path}: fichier introuvable") from error
    except UnicodeDecodeError as error:
        raise BadInput(f"{path}: le fichier n'est pas en UTF-8 ({error})") from error


@transaction.atomic
def load_grand_debat_templates(data_dir: Path) -> list[Questionnaire]:
    """The four questionnaires of the Grand Débat national (2019) as templates. Closed
    questions' options are not in the data: « Oui / Non / Je ne sais pas »."""
    base = data_dir / GRAND_DEBAT_DIR
    themes = {}
    for line, row in _read_semicolon_csv(base / "debates.csv"):
        if not row.get("id", "").isdigit() or not row.get("name"):
            raise BadInput(f"debates.csv, ligne {line} : id ou nom manquant")
        themes[int(row["id"])] = row["name"].strip()
    by_theme: dict[int, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for line, row in _read_semicolon_csv(base / "questions.csv"):
        if not (row.get("id") or "").isdigit() or not (row.get("order") or "").isdigit():
            raise BadInput(f"questions.csv, ligne {line} : id ou ordre non numérique")
        if row.get("is_free") not in ("TRUE", "FALSE"):
            raise BadInput(f"questions.csv, ligne {line} : is_free doit valoir TRUE ou FALSE")
        theme = int(row.get("debate_id") or 0)
        if theme not in themes:
            raise BadInput(f"questions.csv, ligne {line} : débat {theme} inconnu")
        by_theme[theme].append((line, row))
    loaded = []
    for theme, name in sorted(themes.items()):
        key = f"grand-debat-2019:{theme}"
        Questionnaire.objects.filter(source_key=key).delete()
        questionnaire = Questionnaire.objects.create(
            title=f"Grand débat national : {name}",
            introduction=(
                "Questionnaire du Grand débat national (janvier – mars 2019), thème « "
                f"{name} ». Les choix des questions fermées sont « Oui / Non / Je ne sais pas »."
            ),
            is_template=True,
            source_key=key,
            order=theme,
        )
        rows = sorted(by_theme[theme], key=lambda item: int(item[1]["order"]))
        questions: dict[str, Question] = {}
        section = None
        in_section = 0
        for position, (_line, row) in enumerate(rows, start=1):
            previous = (row.get("previous_id") or "").strip()
            follows = previous in questions
            if section is None or (in_section >= SECTION_SIZE and not follows):
                section = Section.objects.create(
                    questionnaire=questionnaire,
                    title=f"Questions {position} et suivantes",
                    order=questionnaire.sections.count() + 1,
                )
                in_section = 0
            is_free = row["is_free"] == "TRUE"
            text = row["text"].strip()
            question = Question.objects.create(
                questionnaire=questionnaire,
                section=section,
                order=position,
                kind=QuestionKind.LONG_TEXT if is_free else QuestionKind.SINGLE,
                text=text,
                source_key=row["id"],
            )
            in_section += 1
            if not is_free:
                Choice.objects.bulk_create(
                    Choice(question=question, label=label, order=i)
                    for i, label in enumerate(YES_NO, start=1)
                )
            questions[row["id"]] = question
            if follows:
                parent = questions[previous]
                question.condition_question = parent
                question.save(update_fields=["condition_question"])
                wanted = _condition_labels(text)
                if parent.kind == QuestionKind.SINGLE and wanted:
                    question.condition_choices.set(parent.choices.filter(label__in=wanted))
                elif parent.kind != QuestionKind.SINGLE or not wanted:
                    # A follow-up shown whatever the answer ("Pourquoi ?"): no condition.
                    question.condition_question = None
                    question.save(update_fields=["condition_question"])
        for one in questionnaire.sections.all():
            titles = list(one.questions.values_list("order", flat=True))
            one.title = f"Questions {min(titles)} à {max(titles)}"
            one.save(update_fields=["title"])
        loaded.append(questionnaire)
    return loaded


def _condition_labels(text: str) -> list[str]:
    lowered = text.lower()
    if lowered.startswith("si oui"):
        return ["Oui"]
    if lowered.startswith("si non"):
        return ["Non"]
    return []


# --- Assemblée nationale, égalité femmes-hommes 2016 ---------------------------------------


TAGS = re.compile(r"<[^>]+>")
NUMBER_PREFIX = re.compile(r"^\d+\.\s*")


def _clean_question(text: str) -> str:
    return NUMBER_PREFIX.sub("", " ".join(TAGS.sub("", text).split()))


@dataclass
class _RawQuestion:
    source_id: str
    text: str
    section: int
    labels: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    precision_choices: set[str] = field(default_factory=set)
    max_distinct: int = 0


def _load_json(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as error:
        raise BadInput(f"{path.name} : fichier introuvable") from error
    except json.JSONDecodeError as error:
        raise BadInput(
            f"{path.name}, ligne {error.lineno}, colonne {error.colno} : JSON invalide "
            f"({error.msg})"
        ) from error
    except UnicodeDecodeError as error:
        raise BadInput(f"{path.name} : le fichier n'est pas en UTF-8") from error
    if not isinstance(data, list):
        raise BadInput(f"{path.name}, ligne 1 : une liste de répondants est attendue")
    return data


def _respondent_questions(path: Path, index: int, respondent: Any) -> list[dict[str, Any]]:
    where = f"{path.name}, répondant n° {index}"
    if not isinstance(respondent, dict) or not isinstance(respondent.get("id"), str):
        raise BadInput(f"{where} : identifiant manquant")
    items = respondent.get("questions")
    if not isinstance(items, list):
        raise BadInput(f"{where} : liste « questions » manquante")
    for item in items:
        if not isinstance(item, dict) or "id" not in item or "texte" not in item:
            raise BadInput(f"{where} : question sans « id » ou « texte »")
        for reply in item.get("Reponse") or []:
            if not isinstance(reply, dict) or not isinstance(reply.get("critere"), dict):
                raise BadInput(f"{where}, question {item['id']} : réponse sans « critere »")
            if "id" not in reply["critere"]:
                raise BadInput(f"{where}, question {item['id']} : critère sans « id »")
    return items


def respondent_key(source_id: str) -> str:
    return hashlib.sha256(f"an-egalite-fh-2016:{source_id}".encode()).hexdigest()[:32]


AN_SYNTHESIS = (
    "Consultation en ligne de la Délégation aux droits des femmes de l'Assemblée nationale, "
    "2016 : près de 1 000 personnes ont répondu aux 38 questions. Les résultats ci-dessous "
    "sont ceux des données ouvertes de l'Assemblée nationale."
)


@transaction.atomic
def an_consultation() -> Consultation:
    """The closed consultation the AN questionnaire is imported into (results published)."""
    consultation, _created = Consultation.objects.update_or_create(
        source_key="an-egalite-fh-2016",
        defaults={
            "slug": "egalite-femmes-hommes-2016",
            "title": "Égalité entre les femmes et les hommes (Assemblée nationale, 2016)",
            "summary": "Consultation citoyenne de la Délégation aux droits des femmes : "
            "médias, congé parental, pensions alimentaires, violences conjugales.",
            "audience": Audience.ALL,
            "is_national": True,
            "organiser_name": "Assemblée nationale, Délégation aux droits des femmes",
            "is_imported": True,
            "synthesis": AN_SYNTHESIS,
        },
    )
    if not consultation.phases.exists():
        Phase.objects.create(
            consultation=consultation,
            title="Consultation en ligne",
            kind=PhaseKind.PARTICIPATION,
            starts_on=dt.date(2016, 9, 14),
            ends_on=dt.date(2016, 11, 15),
        )
    refresh_dates(consultation=consultation)
    now = timezone.now()
    consultation.published_at = consultation.published_at or now
    consultation.results_published_at = consultation.results_published_at or now
    consultation.save(update_fields=["published_at", "results_published_at", "updated_at"])
    return consultation


@transaction.atomic
def import_an_questionnaire(directory: Path, consultation: Consultation) -> Questionnaire:
    """The AN's questionnaire (6 blocks, 38 questions) and its responses, in `consultation`."""
    blocks = [(path, _load_json(path)) for path in (directory / name for name in AN_FILES)]
    raw: dict[str, _RawQuestion] = {}
    for section, (path, respondents) in enumerate(blocks):
        for index, respondent in enumerate(respondents, start=1):
            for item in _respondent_questions(path, index, respondent):
                entry = raw.setdefault(
                    str(item["id"]),
                    _RawQuestion(str(item["id"]), _clean_question(item["texte"]), section),
                )
                replies = [r["critere"] for r in item.get("Reponse") or []]
                entry.max_distinct = max(entry.max_distinct, len({str(c["id"]) for c in replies}))
                for criterion in replies:
                    entry.labels[str(criterion["id"])][(criterion.get("texte") or "").strip()] += 1
                    if criterion.get("precision"):
                        entry.precision_choices.add(str(criterion["id"]))
    Questionnaire.objects.filter(source_key="an-egalite-fh-2016").delete()
    questionnaire = Questionnaire.objects.create(
        consultation=consultation,
        title="Questionnaire sur l'égalité entre les femmes et les hommes",
        introduction=(
            "Consultation citoyenne de la Délégation aux droits des femmes de l'Assemblée "
            "nationale (2016) : réponses réelles importées (données ouvertes de l'Assemblée "
            "nationale), sans identifiant des répondants ; textes libres masqués."
        ),
        source_key="an-egalite-fh-2016",
    )
    sections = [
        Section.objects.create(questionnaire=questionnaire, title=title, order=n)
        for n, title in enumerate(AN_SECTIONS, start=1)
    ]
    questions: dict[str, Question] = {}
    choices: dict[tuple[str, str], Choice] = {}
    for order, spec in enumerate(sorted(raw.values(), key=lambda q: int(q.source_id)), start=1):
        labels = {cid: counter.most_common(1)[0][0] for cid, counter in spec.labels.items()}
        is_open = len(labels) == 1 and not next(iter(labels.values()))
        if is_open:
            kind = QuestionKind.LONG_TEXT
        elif spec.max_distinct > 1:
            kind = QuestionKind.MULTIPLE
        else:
            kind = QuestionKind.SINGLE
        question = Question.objects.create(
            questionnaire=questionnaire,
            section=sections[spec.section],
            order=order,
            kind=kind,
            text=spec.text,
            max_choices=2 if kind == QuestionKind.MULTIPLE and spec.max_distinct == 2 else None,
            source_key=spec.source_id,
        )
        questions[spec.source_id] = question
        if not is_open:
            for cid in sorted(labels, key=int):
                choices[(spec.source_id, cid)] = Choice.objects.create(
                    question=question,
                    label=labels[cid] or "Autre",
                    order=int(cid),
                    is_other=cid in spec.precision_choices,
                    source_key=cid,
                )
    # Responses: one per respondent across the six files, texts masked in one pass.
    answers: dict[str, dict[int, AnswerInput]] = defaultdict(dict)
    texts: list[tuple[str, int, str]] = []
    for _path, respondents in blocks:
        for respondent in respondents:
            source_id = respondent["id"]
            for item in respondent["questions"]:
                target = questions[str(item["id"])]
                replies = [r["critere"] for r in item.get("Reponse") or []]
                if not replies:
                    continue
                answer = AnswerInput()
                precision = " ".join(
                    dict.fromkeys((c.get("precision") or "").strip() for c in replies)
                ).strip()
                if target.kind != QuestionKind.LONG_TEXT:
                    answer.choice_ids = list(
                        dict.fromkeys(choices[(str(item["id"]), str(c["id"]))].pk for c in replies)
                    )
                if precision:
                    texts.append((source_id, target.pk, precision))
                if not answer.is_empty or precision:
                    answers[source_id][target.pk] = answer
    for (source_id, question_pk, _text), masked in zip(
        texts, mask_many(text for _s, _q, text in texts), strict=True
    ):
        answers[source_id][question_pk].text = masked.text
    actions.import_responses(
        questionnaire=questionnaire,
        responses=(
            actions.ImportedResponse(respondent_key(source_id), by_question)
            for source_id, by_question in answers.items()
            if by_question
        ),
    )
    return questionnaire
