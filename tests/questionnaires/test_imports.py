"""The real questionnaires: the AN's 2016 responses (counts equal the raw files'), the Grand
Débat templates, the seed questionnaire, and bad input."""

import html
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ecoute.consultations.models import Audience, Status
from ecoute.questionnaires import actions
from ecoute.questionnaires.importers import (
    AN_DIR,
    AN_FILES,
    an_consultation,
    import_an_questionnaire,
    load_grand_debat_templates,
    respondent_key,
)
from ecoute.questionnaires.models import (
    ANSWERED,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    Tally,
)
from ecoute.questionnaires.queries import respondent_count
from ecoute.questionnaires.seed import AGENTS, load_seed_questionnaire
from tests.factories import AgentMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.ECOUTE_DATA_DIR) / AN_DIR
PER_FILE = 80


@pytest.fixture
def an_subset(tmp_path: Path) -> Path:
    """The first respondents of each of the six real files (the import is the same code)."""
    for name in AN_FILES:
        data = json.loads((SOURCE / name).read_text(encoding="utf-8"))
        (tmp_path / name).write_text(json.dumps(data[:PER_FILE]), encoding="utf-8")
    return tmp_path


def raw_counts(directory: Path) -> tuple[Counter, set]:
    """(question id, choice id) -> respondents who chose it, straight from the JSON."""
    counts: Counter = Counter()
    respondents = set()
    for name in AN_FILES:
        for respondent in json.loads((directory / name).read_text(encoding="utf-8")):
            for item in respondent["questions"]:
                chosen = {str(r["critere"]["id"]) for r in item.get("Reponse") or []}
                if chosen:
                    respondents.add(respondent["id"])
                for choice in chosen:
                    counts[(str(item["id"]), choice)] += 1
    return counts, respondents


def test_an_import_counts_equal_the_raw_files(an_subset):
    questionnaire = import_an_questionnaire(an_subset, an_consultation())
    assert questionnaire.questions.count() == 38
    assert questionnaire.sections.count() == 6
    counts, respondents = raw_counts(an_subset)
    assert respondent_count(questionnaire) == len(respondents)
    for source_id in ("7", "9", "11", "35", "41"):  # multiple, yes/no, max 2, max 2, multiple
        question = questionnaire.questions.get(source_key=source_id)
        for choice in question.choices.all():
            stored = sum(
                Tally.objects.filter(question=question, choice=choice, value=0).values_list(
                    "count", flat=True
                )
            )
            assert stored == counts[(source_id, choice.source_key)], (source_id, choice.label)
    kinds = Counter(questionnaire.questions.values_list("kind", flat=True))
    assert kinds[QuestionKind.LONG_TEXT] == 5
    assert questionnaire.questions.get(source_key="11").max_choices == 2
    assert questionnaire.questions.get(source_key="7").max_choices is None
    # No source id stored; texts masked; idempotent.
    ids = {r["id"] for r in json.loads((an_subset / AN_FILES[0]).read_text())}
    keys = set(Response.objects.values_list("respondent_key", flat=True))
    assert not ids & keys
    assert respondent_key(next(iter(ids))) in keys
    assert not Response.objects.filter(account__isnull=False).exists()
    import_an_questionnaire(an_subset, an_consultation())
    assert Questionnaire.objects.filter(source_key="an-egalite-fh-2016").count() == 1
    assert respondent_count(Questionnaire.objects.get(source_key="an-egalite-fh-2016")) == len(
        respondents
    )
    assert actions.tallies_match_responses(
        Questionnaire.objects.get(source_key="an-egalite-fh-2016")
    )


def test_an_consultation_is_closed_with_published_results(client, an_subset):
    questionnaire = import_an_questionnaire(an_subset, an_consultation())
    consultation = questionnaire.consultation
    assert consultation.status() == Status.RESULTS
    page = client.get(
        f"/consultations/{consultation.slug}/questionnaires/{questionnaire.pk}/resultats/"
    )
    assert page.status_code == 200
    assert "Résultats provisoires" not in page.content.decode()
    answer = client.get(f"/consultations/{consultation.slug}/questionnaires/{questionnaire.pk}/")
    assert "Cette consultation n&#x27;est pas ouverte." in answer.content.decode()


def test_import_command_reports_the_line_of_bad_json(tmp_path, an_subset):
    for name in AN_FILES:
        (tmp_path / name).write_bytes((an_subset / name).read_bytes())
    (tmp_path / AN_FILES[2]).write_text('[{"id": "x",\n "questions": [}]', encoding="utf-8")
    with pytest.raises(CommandError, match=r"EGALITE3\.brut\.json, ligne 2, colonne"):
        call_command("import_an_questionnaire", "--directory", str(tmp_path))
    (tmp_path / AN_FILES[2]).write_text('[{"id": "x"}]', encoding="utf-8")
    with pytest.raises(CommandError, match=r"EGALITE3\.brut\.json, répondant n° 1"):
        call_command("import_an_questionnaire", "--directory", str(tmp_path))
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_an_questionnaire", "--directory", str(tmp_path / "none"))
    with pytest.raises(CommandError, match="Consultation inconnue"):
        call_command("import_an_questionnaire", "--consultation", "nope")
    assert not Questionnaire.objects.exists()


def test_an_topics_are_computed(an_subset):
    questionnaire = import_an_questionnaire(an_subset, an_consultation())
    question = questionnaire.questions.get(source_key="16")
    texts = question.answers.exclude(text="").count()
    assert texts >= 10
    assert actions.compute_question_topics(question=question) >= 1
    assert question.answers.filter(topic__isnull=False).exists()
    assert sum(question.topics.values_list("size", flat=True)) <= texts


def test_grand_debat_templates(tmp_path):
    templates = load_grand_debat_templates(Path(settings.ECOUTE_DATA_DIR))
    assert len(templates) == 4
    assert all(t.is_template and t.consultation is None for t in templates)
    assert Question.objects.filter(questionnaire__is_template=True).count() == 97
    assert Question.objects.filter(kind=QuestionKind.LONG_TEXT).count() == 75
    closed = Question.objects.filter(kind=QuestionKind.SINGLE)
    assert closed.count() == 22
    assert {c.label for c in closed.first().choices.all()} == {"Oui", "Non", "Je ne sais pas"}
    follow_up = Question.objects.get(source_key="171")  # "Si oui, lesquelles ?" after 170
    assert follow_up.condition_question.source_key == "170"
    assert [c.label for c in follow_up.condition_choices.all()] == ["Oui"]
    load_grand_debat_templates(Path(settings.ECOUTE_DATA_DIR))  # idempotent
    assert Questionnaire.objects.filter(is_template=True).count() == 4
    bad = tmp_path / "questionnaires" / "grand-debat-2019"
    bad.mkdir(parents=True)
    (bad / "debates.csv").write_text("id;name\n1;Démocratie\n", encoding="utf-8")
    (bad / "questions.csv").write_text(
        "id;text;debate_id;is_free;order;previous_id\n1;Q;1;PEUT-ETRE;1;\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="ligne 2"):
        load_grand_debat_templates(tmp_path)


def test_seed_questionnaire_is_open_with_twelve_questions(client):
    questionnaire = load_seed_questionnaire()
    assert questionnaire.questions.count() == 12
    assert questionnaire.consultation.status() == Status.OPEN
    assert questionnaire.questions.filter(max_choices=3).count() == 1
    assert questionnaire.questions.filter(condition_question__isnull=False).count() == 1
    assert load_seed_questionnaire().pk == questionnaire.pk  # idempotent
    page = client.get(
        f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"
    )
    assert "Section 1 sur 4" in page.content.decode()


def test_agents_seed_is_open_to_agents_only_and_says_it_is_generated(client):
    questionnaire = load_seed_questionnaire(spec=AGENTS)
    consultation = questionnaire.consultation
    assert questionnaire.questions.count() == 7
    assert consultation.audience == Audience.AGENTS
    assert consultation.status() == Status.OPEN
    assert load_seed_questionnaire(spec=AGENTS).pk == questionnaire.pk  # idempotent
    assert Questionnaire.objects.filter(consultation__audience=Audience.AGENTS).count() == 1
    page = client.get(f"/consultations/{consultation.slug}/").content.decode()
    assert "générée pour Écoute" in html.unescape(page)
    url = f"/consultations/{consultation.slug}/questionnaires/{questionnaire.pk}/"
    client.force_login(UserFactory())
    refused = client.get(url)
    assert "réservée aux agents publics" in html.unescape(refused.content.decode())
    client.force_login(AgentMembershipFactory().user)
    assert "Section 1 sur 3" in client.get(url).content.decode()


def test_tally_rows_of_answered_questions(an_subset):
    questionnaire = import_an_questionnaire(an_subset, an_consultation())
    question = questionnaire.questions.get(source_key="9")
    answered = sum(
        Tally.objects.filter(question=question, value=ANSWERED).values_list("count", flat=True)
    )
    chosen = sum(Tally.objects.filter(question=question, value=0).values_list("count", flat=True))
    assert answered == chosen  # a single-choice question: one choice per respondent
