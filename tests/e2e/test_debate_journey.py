"""Journey "debate", in Debian's chromium with JavaScript off, axe-core on each page: a
participant proposes, votes, argues, adds a source and reports; a moderator hides a
contribution from its item page; the public trash shows it with its reason."""

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from ecoute.debates.models import Argument, Contribution, Source
from ecoute.moderation.models import ModerationItem, Report
from tests.debates.factories import ContributionFactory, SectionFactory
from tests.factories import UserFactory

from .axe import assert_accessible
from .test_follow_and_report import _fits_320_px
from .test_journey import _login, _tick

pytestmark = pytest.mark.browser


def test_debate_journey(new_page, live_server):
    section = SectionFactory(title="Propositions", description="Vos propositions concrètes.")
    other = ContributionFactory(section=section, title="Des jurys de concours plus divers")
    ContributionFactory(section=section, title="Le constat chiffré", pinned=True, by_organiser=True)
    camille = UserFactory(username="Camille")
    moderator = UserFactory(username="Modératrice", moderator=True)

    page = new_page()
    _login(page, camille.username)
    page.goto(section.get_absolute_url())
    expect(page.get_by_role("heading", name="Propositions", level=1)).to_be_visible()
    expect(page.get_by_test_id("pinned-badge").first).to_be_visible()
    assert_accessible(page, "section page")
    _fits_320_px(page)

    # She proposes.
    page.get_by_test_id("propose-button").click()
    assert_accessible(page, "propose form")
    page.get_by_label("Titre").fill("Des stages d'observation dans les administrations")
    page.get_by_label("Votre contribution").fill(
        "Ouvrir des stages de 3e dans tous les services, pour tous les collèges."
    )
    page.get_by_test_id("propose-submit").click()
    expect(page.get_by_test_id("contribution-title")).to_have_text(
        "Des stages d'observation dans les administrations"
    )
    mine = Contribution.objects.get(title__startswith="Des stages")

    # She votes on another contribution, then changes her mind.
    page.goto(other.get_absolute_url())
    page.get_by_test_id("vote-pour").click()
    expect(page.get_by_test_id("votes-pour")).to_have_text("1")
    page.get_by_test_id("vote-mitige").click()
    expect(page.get_by_test_id("votes-mitige")).to_have_text("1")
    expect(page.get_by_test_id("votes-pour")).to_have_text("0")
    expect(page.get_by_test_id("my-vote")).to_contain_text("Mitigé")

    # She argues against, and supports her argument's opposite… then adds a source.
    form = page.get_by_test_id("argument-form")
    _tick(form.get_by_label("Contre"))
    form.get_by_label("Votre argument").fill("Les jurys sont déjà formés à la non-discrimination.")
    page.get_by_test_id("argument-submit").click()
    argument = Argument.objects.get()
    expect(page.get_by_test_id("arguments-contre")).to_contain_text("déjà formés")
    page.get_by_test_id(f"support-{argument.pk}").click()
    expect(page.get_by_test_id(f"argument-votes-{argument.pk}")).to_have_text("1 soutien")
    source_form = page.get_by_test_id("source-form")
    source_form.get_by_label("Adresse de la source").fill("https://www.fonction-publique.gouv.fr/")
    source_form.get_by_label("Titre de la source").fill("Rapport annuel sur la fonction publique")
    page.get_by_test_id("source-submit").click()
    source = Source.objects.get()
    expect(page.get_by_test_id(f"source-{source.pk}")).to_contain_text("Rapport annuel")
    assert_accessible(page, "contribution page")
    _fits_320_px(page)

    # She reports a contribution.
    page.get_by_test_id("report-contribution").click()
    assert_accessible(page, "report form")
    form = page.get_by_test_id("report-form")
    _tick(form.get_by_label("Hors sujet"))
    page.get_by_test_id("report-submit").click()
    expect(
        page.get_by_role("status").filter(has_text="Merci pour votre signalement")
    ).to_be_visible()
    assert Report.objects.filter(object_id=other.pk).count() == 1

    # A moderator hides it from its item page, with a public reason.
    moderation = new_page()
    _login(moderation, moderator.username)
    item = ModerationItem.objects.get(
        content_type=ContentType.objects.get_for_model(Contribution), object_id=other.pk
    )
    moderation.goto("/moderation/")
    moderation.locator(f'a[href="/moderation/elements/{item.pk}/"]').first.click()
    assert_accessible(moderation, "moderation item")
    moderation.get_by_test_id("item-reason").fill("Hors sujet : publicité")
    moderation.get_by_test_id("item-hide").click()
    other.refresh_from_db()
    assert other.visibility == "hidden"

    # Everyone sees it in the public trash with its reason; it left the section.
    visitor = new_page()
    visitor.goto("/moderation/corbeille/")
    expect(visitor.get_by_test_id(f"trash-{item.pk}")).to_contain_text("Hors sujet : publicité")
    assert_accessible(visitor, "trash")
    visitor.goto(section.get_absolute_url())
    expect(visitor.get_by_test_id("contributions")).not_to_contain_text(other.title)
    expect(visitor.get_by_test_id("contributions")).to_contain_text(mine.title)


def test_results_and_imported_debate_pages_are_accessible(new_page):
    from ecoute.debates.models import Contribution as Row
    from ecoute.demo.debates import load_demo_debates

    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    load_demo_debates(organiser=admin, password="demo")  # noqa: S106
    page = new_page()
    page.goto("/consultations/fonction-publique-a-l-image-de-la-societe/debats/resultats/")
    expect(page.get_by_test_id("opinion-map-svg")).to_be_visible()
    expect(page.get_by_test_id("group-1")).to_be_visible()
    assert_accessible(page, "debate results")
    _fits_320_px(page)
    debate = Row.objects.filter(section__slug="debats").order_by("-arguments_count").first()
    page.goto(debate.get_absolute_url())
    expect(page.get_by_test_id("contribution-meta")).to_contain_text(
        "Métropole Européenne de Lille"
    )
    expect(page.get_by_test_id("arguments-pour")).to_contain_text("Participant·e (import Decidim)")
    assert_accessible(page, "imported debate")
    _fits_320_px(page)
