"""Journey "le service public en 12 questions": an usager answers the seed questionnaire
section by section, saves a draft, comes back, is refused a fourth value, submits, sees the
confirmation and edits; an organiser reads the provisional results. axe-core on every page;
the same answering flow without JavaScript at 320 px."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from ecoute.questionnaires.actions import ImportedResponse, import_responses
from ecoute.questionnaires.models import QuestionKind, Response, ResponseState
from ecoute.questionnaires.queries import ordered_questions
from ecoute.questionnaires.rules import AnswerInput
from ecoute.questionnaires.seed import load_seed_questionnaire
from tests.factories import DepartementFactory, UserFactory

from .axe import assert_accessible
from .test_journey import _login, _tick

pytestmark = pytest.mark.browser


@pytest.fixture
def seed():
    DepartementFactory(code="53", name="Mayenne")
    return load_seed_questionnaire()


def _url(questionnaire) -> str:
    return f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"


def _answer_section_one(page, values: tuple[str, ...]) -> None:
    _tick(page.get_by_test_id("question-1").get_by_label("7", exact=True))
    _tick(page.get_by_test_id("question-2").get_by_label("Dégradée"))
    for value in values:
        _tick(page.get_by_test_id("question-3").get_by_label(value, exact=True))


def test_usager_answers_saves_resumes_submits_and_edits(new_page, seed):
    user = UserFactory(username="camille")
    page = new_page()
    page.goto(_url(seed))
    expect(page.get_by_test_id("refusal")).to_contain_text("Connectez-vous pour participer.")
    assert_accessible(page, "questionnaire, anonymous")
    _login(page, user.username)
    page.goto(_url(seed))
    expect(page.get_by_test_id("progress")).to_contain_text("Section 1 sur 4")
    expect(page.get_by_test_id("max-3")).to_have_text("3 réponses maximum")
    assert_accessible(page, "questionnaire, section 1")

    # Four values: refused with the question's message.
    _answer_section_one(page, ("La continuité", "La proximité", "La gratuité", "La qualité"))
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("form-error-summary")).to_contain_text(
        "3 réponses au maximum : vous en avez coché 4."
    )
    assert_accessible(page, "questionnaire, errors")
    quality = page.get_by_test_id("question-3").get_by_label("La qualité", exact=True)
    page.locator(f'label[for="{quality.get_attribute("id")}"]').click()
    expect(quality).not_to_be_checked()
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_role("status")).to_contain_text("Brouillon enregistré")

    # Later: the draft is there.
    page.goto("/")
    page.goto(_url(seed))
    expect(page.get_by_test_id("draft-badge")).to_be_visible()
    expect(
        page.get_by_test_id("question-3").get_by_label("La gratuité", exact=True)
    ).to_be_checked()
    page.get_by_test_id("next").click()

    expect(page.get_by_test_id("progress")).to_contain_text("Section 2 sur 4")
    # With JavaScript the conditional question waits for « Oui » (without, it shows with its hint).
    expect(page.get_by_test_id("question-5")).to_be_hidden()
    _tick(page.get_by_test_id("question-4").get_by_label("Oui"))
    expect(page.get_by_test_id("condition-5")).to_contain_text(
        "Si vous avez répondu « Oui » à la question 4"
    )
    page.get_by_label("Laquelle ? Décrivez la démarche et ce qui a bloqué.").fill(
        "Le renouvellement de ma carte d'identité : aucun rendez-vous avant trois mois."
    )
    ranking = page.get_by_test_id("question-7")
    for rank, label in enumerate(
        [
            "Moins d'attente",
            "Des réponses plus claires",
            "Un interlocuteur unique",
            "Des horaires plus larges",
        ],
        start=1,
    ):
        ranking.get_by_label(label).select_option(str(rank))
    assert_accessible(page, "questionnaire, section 2")
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("progress")).to_contain_text("Section 3 sur 4")
    _tick(page.get_by_test_id("question-8").get_by_label("4", exact=True))
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("progress")).to_contain_text("Section 4 sur 4")
    page.get_by_label("Quelle est votre proposition pour améliorer le service public ?").fill(
        "Garder un accueil physique dans chaque canton."
    )
    page.get_by_test_id("departement").select_option("53")
    assert_accessible(page, "questionnaire, section 4")
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("confirmation")).to_contain_text(
        "Merci, vos réponses ont été envoyées"
    )
    assert_accessible(page, "confirmation")
    response = Response.objects.get(account=user)
    assert response.state == ResponseState.SUBMITTED
    assert response.departement.code == "53"

    page.get_by_test_id("edit-answers").click()
    expect(page.get_by_test_id("already-submitted")).to_be_visible()


def _organiser():  # noqa: ANN202
    organiser = UserFactory(username="organisatrice", is_staff=True)
    organiser.user_permissions.add(Permission.objects.get(codename="change_consultation"))
    return organiser


def _some_responses(questionnaire, count: int = 7) -> None:  # noqa: ANN001
    """Submitted responses to every choice and scale question (through the import action)."""
    questions = ordered_questions(questionnaire)
    responses = []
    for n in range(count):
        answers = {}
        for question in questions:
            choices = [c.pk for c in question.choices.all()]
            if question.kind == QuestionKind.RANKING:
                answers[question.pk] = AnswerInput(
                    ranks={c: r for r, c in enumerate(choices[n:] + choices[:n], start=1)}
                )
            elif question.kind == QuestionKind.SCALE:
                answers[question.pk] = AnswerInput(number=question.scale_min + n % 3)
            elif choices:
                answers[question.pk] = AnswerInput(choice_ids=[choices[n * n % len(choices)]])
        responses.append(ImportedResponse(respondent_key=f"e2e-{n}", answers=answers))
    import_responses(questionnaire=questionnaire, responses=responses)


def test_organiser_reads_provisional_results(new_page, seed):
    _some_responses(seed)
    page = new_page()
    _login(page, _organiser().username)
    page.goto(_url(seed) + "resultats/")
    expect(page.get_by_test_id("provisional")).to_have_text("Résultats provisoires")
    expect(page.get_by_test_id("chart-question-3")).to_be_visible()
    assert_accessible(page, "results")
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.get_by_test_id("chart-bars-question-3")).to_be_visible()
    assert_accessible(page, "results at 320 px")


@pytest.mark.parametrize("width", [320, 1280])
def test_results_readable_without_javascript(browser, live_server, seed, width):
    """At 320 px the bars are HTML (page-size text), the SVG hidden; at 1280 px the SVG."""
    _some_responses(seed)
    organiser = _organiser()
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": width, "height": 900},
        locale="fr-FR",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        _login(page, organiser.username)
        page.goto(_url(seed) + "resultats/")
        chart = page.get_by_test_id("chart-question-3")
        bars = page.get_by_test_id("chart-bars-question-3")
        if width == 320:
            expect(bars).to_be_visible()
            expect(chart.get_by_role("img")).to_be_hidden()
            label = bars.locator(".ecoute-chart__bar-label").first
            size = label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert size >= 14, f"labels are {size} px"
            width_used = page.evaluate("document.querySelector('main').scrollWidth")
            assert width_used <= 320, f"main is {width_used} px wide"
        else:
            expect(chart.get_by_role("img")).to_be_visible()
            expect(bars).to_be_hidden()
        page.screenshot(
            path=f"/tmp/ecoute-e2e-questionnaire-results-{width}.png",  # noqa: S108
            full_page=True,
        )
    finally:
        context.close()


def test_answering_without_javascript_at_320_px(browser, live_server, seed):
    user = UserFactory(username="sansjs")
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 320, "height": 800},
        locale="fr-FR",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        _login(page, user.username)
        page.goto(_url(seed))
        _answer_section_one(page, ("La continuité",))
        page.get_by_test_id("next").click()
        expect(page.get_by_test_id("progress")).to_contain_text("Section 2 sur 4")
        expect(page.get_by_test_id("condition-5")).to_be_visible()  # no JS: shown, with its hint
        page.get_by_test_id("previous").click()
        expect(page.get_by_test_id("progress")).to_contain_text("Section 1 sur 4")
        expect(
            page.get_by_test_id("question-3").get_by_label("La continuité", exact=True)
        ).to_be_checked()
        page.screenshot(path="/tmp/ecoute-e2e-questionnaire-320.png", full_page=True)  # noqa: S108
    finally:
        context.close()
