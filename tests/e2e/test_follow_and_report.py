"""Journeys "follow and unsubscribe" and "report", in Debian's chromium, axe-core on each page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ecoute.experiences import actions as experience_actions
from ecoute.experiences.models import ExperienceStatus
from ecoute.follows.models import Follow, NotificationSettings
from ecoute.moderation.models import ModerationItem, ModerationLogEntry, Report, ReportStatus
from tests.factories import ContactPointFactory, ExperienceFactory, UserFactory

from .axe import assert_accessible
from .test_journey import _login, _tick, _wait_for_mail

pytestmark = pytest.mark.browser


def _fits_320_px(page) -> None:  # noqa: ANN001
    """The page's main content needs no horizontal scrolling at 320 px."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.querySelector('main').scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, f"{page.url}: main is {width} px wide at 320 px"


def test_follow_a_service_get_an_email_and_unsubscribe_in_one_click(
    new_page, live_server, settings
):
    settings.ECOUTE_SITE_URL = live_server.url
    contact_point = ContactPointFactory(name="Accueil CPAM de Bourg-en-Bresse")
    jeanne = UserFactory(username="Jeanne")
    page = new_page()
    _login(page, jeanne.username)

    # Follow the service from its page (htmx swaps the button in place).
    page.goto(contact_point.get_absolute_url())
    with page.expect_response(re.compile(r"/abonnements/suivre/service/\d+/$")) as followed:
        page.get_by_test_id("follow").click()
    assert followed.value.request.headers.get("hx-request") == "true"
    expect(page.get_by_test_id("follow-block")).to_contain_text("Vous suivez ce service.")
    assert_accessible(page, "contact point page, followed")
    assert Follow.objects.filter(user=jeanne, contact_point=contact_point).count() == 1

    # Her account lists it; she wants an e-mail at each new experience.
    page.get_by_test_id("header-profile").click()
    page.get_by_test_id("my-follows").click()
    expect(page.get_by_test_id("follow-list")).to_contain_text(contact_point.name)
    assert_accessible(page, "my follows")
    _fits_320_px(page)
    page.get_by_test_id("preferences-link").click()
    assert_accessible(page, "notification preferences")
    _tick(page.get_by_label("À chaque nouveauté"))
    page.get_by_test_id("preferences-submit").click()
    expect(
        page.get_by_role("status").filter(has_text="préférences sont enregistrées")
    ).to_be_visible()

    # A moderator publishes an experience there: Jeanne receives an e-mail.
    experience = ExperienceFactory(contact_point=contact_point)
    experience_actions.publish_experience(actor=UserFactory(moderator=True), experience=experience)
    _wait_for_mail(2)  # the author's e-mail and Jeanne's
    [message] = [m for m in mail.outbox if m.to == [jeanne.email]]
    assert experience.title in message.body
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body

    # The link works without being signed in: it asks, then unsubscribes.
    visitor = new_page()
    visitor.goto(link)
    assert_accessible(visitor, "unsubscribe confirmation")
    visitor.get_by_test_id("unsubscribe-confirm").click()
    expect(visitor.get_by_test_id("unsubscribe-done")).to_be_visible()
    assert_accessible(visitor, "unsubscribed")
    assert NotificationSettings.objects.get(user=jeanne).service_frequency == "none"

    # She still follows the service and can stop following it from her list.
    page.goto("/abonnements/")
    follow = Follow.objects.get(user=jeanne)
    page.get_by_test_id(f"unfollow-{follow.pk}").click()
    expect(page.get_by_test_id("follow-empty")).to_be_visible()
    assert not Follow.objects.filter(user=jeanne).exists()


def test_report_an_experience_and_a_moderator_hides_it(new_page):
    experience = ExperienceFactory(published=True, title="Un récit qui insulte un agent")
    reporter = UserFactory()
    moderator = UserFactory(moderator=True)

    page = new_page()
    _login(page, reporter.username)
    page.goto(experience.get_absolute_url())
    page.get_by_test_id(f"report-experience-{experience.pk}").click()
    expect(page.get_by_role("heading", name="Signaler un contenu", level=1)).to_be_visible()
    assert_accessible(page, "report form")
    form = page.get_by_test_id("report-form")
    _tick(form.get_by_label("Propos injurieux"))
    form.get_by_label("Précisions").fill("Le récit insulte nommément un agent.")
    page.get_by_test_id("report-submit").click()
    page.wait_for_url(f"**{experience.get_absolute_url()}")
    expect(
        page.get_by_role("status").filter(has_text="Merci pour votre signalement")
    ).to_be_visible()
    expect(page.get_by_test_id(f"experience-{experience.pk}")).to_be_visible()  # not hidden
    report = Report.objects.get()
    assert (report.reporter, report.reason) == (reporter, "abuse")

    # The moderator follows the queue's "Signalés" link (its reported filter), then opens the
    # item: its page lists the report and says what each decision does to it.
    item = ModerationItem.objects.get(kind="experience", object_id=experience.pk)
    moderation = new_page()
    _login(moderation, moderator.username)
    moderation.get_by_test_id("nav-moderation").click()
    reports_link = moderation.get_by_test_id("reports-link")
    expect(reports_link).to_have_text("Signalés (1)")
    reports_link.click()
    moderation.wait_for_url("**/moderation/?signale=on")
    row = moderation.get_by_test_id(f"item-{item.pk}")
    expect(row).to_contain_text(experience.title)
    expect(row.get_by_test_id(f"reported-{item.pk}")).to_have_text("1 signalement")
    assert_accessible(moderation, "reported queue")
    _fits_320_px(moderation)
    moderation.get_by_test_id(f"open-{item.pk}").click()
    expect(moderation.get_by_test_id("item-report-count")).to_have_text("1 signalement")
    reports = moderation.get_by_test_id("item-reports")
    expect(reports).to_contain_text("Propos injurieux")
    expect(reports).to_contain_text("Le récit insulte nommément un agent.")
    expect(moderation.get_by_test_id("item-publish")).to_have_text(
        "Conserver (classer les signalements sans suite)"
    )
    expect(moderation.get_by_test_id("item-hide")).to_have_text(
        "Masquer (retenir les signalements)"
    )
    assert_accessible(moderation, "reported item")
    _fits_320_px(moderation)
    moderation.get_by_test_id("item-reason").fill("Propos injurieux envers un agent")
    moderation.get_by_test_id("item-hide").click()
    expect(moderation.get_by_role("status").filter(has_text="1 élément masqué.")).to_be_visible()
    expect(moderation.get_by_test_id("item-state")).to_have_text("Masqué")
    expect(moderation.get_by_test_id("item-reports")).to_have_count(0)

    experience.refresh_from_db()
    report.refresh_from_db()
    assert experience.status == ExperienceStatus.HIDDEN
    assert report.status == ReportStatus.UPHELD
    assert set(ModerationLogEntry.objects.values_list("action", flat=True)) == {
        "hide",
        "uphold_report",
    }
    moderation.goto("/moderation/journal/")
    expect(moderation.get_by_test_id("moderation-log")).to_contain_text("Signalement retenu")
    # An old link to the former reports page lands on the reported filter, now empty.
    moderation.goto("/moderation/signalements/")
    moderation.wait_for_url("**/moderation/?signale=on")
    expect(moderation.get_by_test_id("queue-empty")).to_be_visible()
