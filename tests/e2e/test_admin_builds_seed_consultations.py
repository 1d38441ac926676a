"""Journey "an organiser builds the two seed consultations in the admin" (issue 11, done when):
« Le service public en 12 questions » (shortened to three questions, with the multiple choice
« 3 réponses maximum ») and « Faire en sorte que la fonction publique soit plus à l'image de la
société » (three sections, the organiser's pinned items), both published with the list's
action; then a visitor finds them at /consultations/, the questionnaire refuses a fourth
choice and the Propositions section lists the organiser's pinned items first, marked.
Debian's chromium, JavaScript on in the admin (its inlines and autocomplete), axe-core on the
public pages."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from ecoute.consultations.models import Consultation
from ecoute.debates.models import Contribution, Section
from ecoute.questionnaires.models import Question
from tests.consultations.factories import ThemeFactory
from tests.debates.factories import ContributionFactory
from tests.factories import PASSWORD, UserFactory

from .axe import assert_accessible
from .test_journey import _login, _tick

pytestmark = pytest.mark.browser

QUESTIONNAIRE = "Le service public en 12 questions"
DEBATE = "Faire en sorte que la fonction publique soit plus à l'image de la société"
VALUES = [
    "L'égalité d'accès",
    "La continuité",
    "La neutralité",
    "La proximité",
    "La gratuité",
    "La qualité",
    "L'adaptation aux besoins",
]
SECTIONS = [
    ("problematique", "Problématique", "L'organisateur seulement", "Le constat posé."),
    (
        "facteurs",
        "Facteurs d'explication",
        "Les participants",
        "Qu'est-ce qui explique ces écarts ?",
    ),
    ("propositions", "Propositions", "Les participants", "Que faire ?"),
]
PINNED = [
    ("Problématique", "Une fonction publique encore peu représentative"),
    ("Propositions", "Comment nous répondrons à vos propositions"),
    ("Propositions", "Ce qui est déjà à l'étude"),
]


def _day(delta: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=delta)).strftime("%d/%m/%Y")


def _admin_login(page, username: str) -> None:
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()


def _save(page, button: str = "_save") -> None:
    page.locator(f"input[name={button}]").click()
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator("ul.messagelist li.success").first).to_be_visible()


def _add_consultation(page, title: str, slug: str, summary: str, phase: str) -> None:
    page.goto("/admin/consultations/consultation/add/")
    page.locator("#id_slug").fill(slug)  # first: the title then leaves it as written
    page.locator("#id_title").fill(title)
    page.locator("#id_summary").fill(summary)
    page.locator("#id_presentation").fill(f"{summary} Consultation construite dans l'admin.")
    page.locator("#id_theme").select_option(label="Services publics")
    page.locator("#id_audience").select_option(label="Usagers et agents")
    expect(page.locator("#id_is_national")).to_be_checked()
    page.locator("#id_organiser_name").fill("Ministère de la Transformation publique")
    page.locator("#id_phases-0-title").fill(phase)
    page.locator("#id_phases-0-kind").select_option(label="Participation")
    page.locator("#id_phases-0-starts_on").fill(_day(-1))
    page.locator("#id_phases-0-ends_on").fill(_day(60))
    _save(page)


def _build_questionnaire(page) -> None:
    page.goto("/admin/questionnaires/questionnaire/add/")
    page.locator("#id_consultation").select_option(label=QUESTIONNAIRE)
    page.locator("#id_title").fill(QUESTIONNAIRE)
    page.locator("#id_introduction").fill("Quelques questions, quelques minutes.")
    for index, title in enumerate(["Vous et le service public", "Vos propositions"]):
        page.locator("#sections-group .add-row a").click()
        page.locator(f"#id_sections-{index}-title").fill(title)
        page.locator(f"#id_sections-{index}-order").fill(str(index + 1))
    _save(page, "_continue")

    # The sections saved, the questions choose theirs.
    questions = [
        ("Vous et le service public", "echelle", "Quelle note donnez-vous aux services publics ?"),
        (
            "Vous et le service public",
            "multiple",
            "Quelles sont pour vous les valeurs les plus importantes du service public ?",
        ),
        ("Vos propositions", "texte-long", "Quelle est votre proposition ?"),
    ]
    for index, (section, kind, text) in enumerate(questions):
        page.locator("#questions-group .add-row a").click()
        prefix = f"#id_questions-{index}"
        page.locator(f"{prefix}-section").select_option(label=section)
        page.locator(f"{prefix}-order").fill(str(index + 1))
        page.locator(f"{prefix}-kind").select_option(kind)
        page.locator(f"{prefix}-text").fill(text)
        page.locator(f"{prefix}-required").check()
        if kind == "echelle":
            page.locator(f"{prefix}-scale_min").fill("0")
            page.locator(f"{prefix}-scale_max").fill("10")
    # A mistake first: a maximum on the scale question is a form error, not a failure.
    page.locator("#id_questions-0-max_choices").fill("3")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#questions-group")).to_contain_text(
        "Seulement pour une question à choix multiple."
    )
    page.locator("#id_questions-0-max_choices").fill("")
    page.locator("#id_questions-1-max_choices").fill("3")
    _save(page, "_continue")
    assert Question.objects.filter(max_choices=3).count() == 1

    # The multiple choice's page: its choices, « Autre » last.
    page.locator("#questions-1 a.inlinechangelink").click()
    expect(page.locator("#id_text")).to_have_value(questions[1][2])
    labels = [*VALUES, "Autre"]
    for _ in range(len(labels) - 3):  # three empty rows are there already
        page.locator("#choices-group .add-row a").click()
    for index, label in enumerate(labels):
        page.locator(f"#id_choices-{index}-order").fill(str(index + 1))
        page.locator(f"#id_choices-{index}-label").fill(label)
    page.locator(f"#id_choices-{len(labels) - 1}-is_other").check()
    _save(page)


def _build_debate(page) -> None:
    for slug, title, contributors, description in SECTIONS:
        page.goto("/admin/debates/section/add/")
        page.locator("#id_consultation + .select2 .select2-selection").click()
        page.locator(".select2-search__field").fill("fonction publique")
        page.locator(".select2-results__option", has_text=DEBATE).click()
        page.locator("#id_kind").select_option(label=title)
        page.locator("#id_slug").fill(slug)
        page.locator("#id_title").fill(title)
        page.locator("#id_description").fill(description)
        page.locator("#id_order").fill(
            str(SECTIONS.index((slug, title, contributors, description)) + 1)
        )
        page.locator("#id_contributors").select_option(label=contributors)
        expect(page.locator("#id_votes_allowed")).to_be_checked()
        _save(page)

    for section, title in PINNED:
        page.goto("/admin/debates/contribution/add/")
        page.locator("#id_section").select_option(label=f"{DEBATE} — {section}")
        page.locator("#id_title").fill(title)
        page.locator("#id_body").fill(f"{title} : le texte de l'organisateur.")
        page.locator("#id_pinned").check()
        _save(page)
    expect(page.locator("#result_list")).to_contain_text(PINNED[-1][1])


def _publish_both(page) -> None:
    page.goto("/admin/consultations/consultation/")
    for consultation in Consultation.objects.all():
        page.locator(f"input.action-select[value='{consultation.pk}']").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    expect(page.locator("ul.messagelist")).to_contain_text(f"{QUESTIONNAIRE} : publiée.")
    expect(page.locator("ul.messagelist")).to_contain_text(f"{DEBATE} : publiée.")


def test_organiser_builds_both_seeds_in_the_admin_and_a_visitor_takes_part(new_page):
    ThemeFactory()  # loaded by a migration, flushed by earlier browser tests
    organiser = UserFactory(username="organisatrice", is_staff=True)
    organiser.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["consultations", "questionnaires", "debates"]
        )
    )

    page = new_page()
    _admin_login(page, organiser.username)
    _add_consultation(
        page,
        QUESTIONNAIRE,
        "le-service-public-en-12-questions",
        "Ce que vous attendez des services publics.",
        "Questionnaire en ligne",
    )
    _add_consultation(
        page,
        DEBATE,
        "fonction-publique-a-l-image-de-la-societe",
        "Le constat, ses explications et vos propositions.",
        "Contributions, votes et arguments",
    )
    _build_questionnaire(page)
    _build_debate(page)
    _publish_both(page)
    assert Contribution.objects.filter(by_organiser=True, pinned=True).count() == 3
    assert Section.objects.count() == 3

    # A participant's proposal, then the visitor.
    propositions = Section.objects.get(slug="propositions")
    ContributionFactory(section=propositions, title="Des stages de troisième partout")
    visitor = UserFactory(username="camille")
    page = new_page()
    page.goto("/consultations/")
    expect(page.get_by_test_id("consultations")).to_contain_text(QUESTIONNAIRE)
    expect(page.get_by_test_id("consultations")).to_contain_text(DEBATE)
    assert_accessible(page, "consultations list")

    _login(page, visitor.username)
    page.goto("/consultations/")
    page.get_by_role("link", name=QUESTIONNAIRE).first.click()
    expect(page.get_by_test_id("phases")).to_contain_text("Questionnaire en ligne")
    expect(page.get_by_test_id("phases")).not_to_contain_text("·")
    page.get_by_test_id("parts").get_by_role("link", name=QUESTIONNAIRE).click()
    expect(page.get_by_test_id("max-2")).to_have_text("3 réponses maximum")
    expect(page.locator(".fr-breadcrumb")).to_contain_text("Consultations")
    _tick(page.get_by_test_id("question-1").get_by_label("7", exact=True))
    for value in VALUES[:4]:
        _tick(page.get_by_test_id("question-2").get_by_label(value, exact=True))
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("form-error-summary")).to_contain_text(
        "3 réponses au maximum : vous en avez coché 4."
    )
    assert_accessible(page, "questionnaire refusing a fourth choice")

    page.goto("/consultations/")
    page.get_by_role("link", name=DEBATE).first.click()
    parts = page.get_by_test_id("parts")
    for _slug, title, _who, _description in SECTIONS:
        expect(parts).to_contain_text(title)
    parts.get_by_role("link", name="Propositions").click()
    breadcrumb = page.locator(".fr-breadcrumb__list li")
    expect(breadcrumb).to_have_text(["Accueil", "Consultations", DEBATE, "Propositions"])
    cards = page.get_by_test_id("contributions").locator(":scope > li")
    expect(cards).to_have_count(3)
    for index, (_section, title) in enumerate(PINNED[1:]):
        card = cards.nth(index)
        expect(card.locator("h3")).to_have_text(title)
        expect(card.get_by_test_id("pinned-badge")).to_have_text("Épinglé")
        expect(card.get_by_test_id("organiser-badge")).to_have_text(
            "Contribution de l'organisateur"
        )
        expect(card).to_contain_text("Ministère de la Transformation publique")
    expect(cards.nth(2).locator("h3")).to_have_text("Des stages de troisième partout")
    expect(cards.nth(2).get_by_test_id("pinned-badge")).to_have_count(0)
    assert_accessible(page, "propositions section")
