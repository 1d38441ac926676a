"""Journeys of the one moderation queue (decision 0012), in Debian's chromium, axe-core on the
queue, an item's page and the trash, each also checked at 320 px:

- a moderator filters the queue, masks a name the automatic masking missed, then publishes;
- a user reports an answer, the moderator finds it with the "reported" filter, hides it, and
  it appears in the public trash with its reason (and the reporter is told)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ecoute.experiences import actions as experience_actions
from ecoute.experiences.models import Answer, ExperienceStatus
from ecoute.moderation.masking import MANUAL_MASK, PHONE_MASK
from ecoute.moderation.models import ModerationItem, ModerationLogEntry, ReportStatus
from tests.factories import (
    AnswerFactory,
    ContactPointFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)

from .axe import assert_accessible
from .test_follow_and_report import _fits_320_px
from .test_journey import _login, _tick, _wait_for_mail

pytestmark = pytest.mark.browser

# An employer's name the detector rightly leaves (not a person) but that identifies the teller.
BODY = (
    "L'entreprise Bricomax m'a envoyée au guichet. Rappelez-moi au 06 12 34 56 78 pour en parler."
)


def _submit(contact_point, title: str, body: str):  # noqa: ANN001, ANN202
    return experience_actions.submit_experience(
        author=UserFactory(),
        contact_point=contact_point,
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        channel="guichet",
        sentiment="negative",
        ratings=experience_actions.Ratings(2, 2, 2, 2, 2),
        title=title,
        body=body,
    )


def test_a_moderator_filters_masks_a_missed_passage_and_publishes(new_page):
    caf = NetworkFactory(name="Caisses d'allocations familiales", slug="caf-e2e")
    cpam = NetworkFactory(name="Assurance maladie", slug="cpam-e2e")
    here = ContactPointFactory(organisation=OrganisationFactory(network=caf))
    elsewhere = ContactPointFactory(organisation=OrganisationFactory(network=cpam))
    experience = _submit(here, "Accueil au guichet de la CAF", BODY)
    other = _submit(elsewhere, "Remboursement en attente", "Trois mois sans nouvelles.")
    item = ModerationItem.objects.get(kind="experience", object_id=experience.pk)
    other_item = ModerationItem.objects.get(kind="experience", object_id=other.pk)
    moderator = UserFactory(moderator=True)

    page = new_page()
    _login(page, moderator.username)
    page.get_by_test_id("nav-moderation").click()
    expect(page.get_by_test_id(f"item-{item.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"item-{other_item.pk}")).to_be_visible()
    expect(page.get_by_test_id("count-experience-pending")).to_have_text("2")
    assert_accessible(page, "moderation queue")
    _fits_320_px(page)

    # Filter on the CAF network: only its experience stays.
    page.get_by_test_id("queue-filters").get_by_label("Réseau").select_option(label=caf.name)
    page.get_by_test_id("filter-submit").click()
    page.wait_for_url(f"**reseau={caf.pk}**")
    expect(page.get_by_test_id(f"item-{item.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"item-{other_item.pk}")).to_have_count(0)
    assert_accessible(page, "filtered queue")

    # The phone number was masked on submission; the employer was not. Open the item.
    page.get_by_test_id(f"open-{item.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil au guichet de la CAF")
    public = page.get_by_test_id("public-body")
    expect(public).to_contain_text(PHONE_MASK)
    expect(public).to_contain_text("L'entreprise Bricomax")
    assert_accessible(page, "moderation item")
    _fits_320_px(page)

    page.get_by_test_id("add-body").fill("Bricomax")
    page.get_by_test_id("add-submit-body").click()
    expect(page.get_by_role("status").filter(has_text="Texte public mis à jour.")).to_be_visible()
    expect(public).to_contain_text(f"L'entreprise {MANUAL_MASK}")
    expect(public).not_to_contain_text("Bricomax")
    assert_accessible(page, "moderation item after a mask")

    # Publish from the item's page, then the queue (with its filter) has nothing left.
    page.get_by_test_id("item-publish").click()
    expect(page.get_by_role("status").filter(has_text="1 élément publié.")).to_be_visible()
    expect(page.get_by_test_id("item-state")).to_have_text("Publié")
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PUBLISHED
    assert "Bricomax" not in experience.body and MANUAL_MASK in experience.body
    assert list(
        ModerationLogEntry.objects.filter(object_id=experience.pk).values_list("action", flat=True)
    ) == ["publish", "edit_masks"]  # newest first; the journal names no text

    visitor = new_page()
    visitor.goto(experience.get_absolute_url())
    card = visitor.get_by_test_id(f"experience-{experience.pk}")
    expect(card).to_contain_text(MANUAL_MASK)
    expect(card).not_to_contain_text("Bricomax")

    page.goto(f"/moderation/?reseau={caf.pk}")
    expect(page.get_by_test_id("queue-empty")).to_be_visible()


def test_a_reported_answer_is_hidden_and_listed_in_the_trash_with_its_reason(
    new_page, live_server, settings
):
    settings.ECOUTE_SITE_URL = live_server.url
    experience = ExperienceFactory(published=True, title="Dossier perdu deux fois")
    answer = AnswerFactory(experience=experience, body="Vous n'aviez qu'à mieux remplir, idiot.")
    item = ModerationItem.objects.get(kind="reponse", object_id=answer.pk)
    assert (item.state, item.awaiting) == ("published", False)  # not in the queue until reported
    reporter = UserFactory()
    moderator = UserFactory(moderator=True)

    # A user reports the answer from the experience's page.
    page = new_page()
    _login(page, reporter.username)
    page.goto(experience.get_absolute_url())
    page.get_by_test_id(f"report-reponse-{answer.pk}").click()
    form = page.get_by_test_id("report-form")
    _tick(form.get_by_label("Propos injurieux"))
    page.get_by_test_id("report-submit").click()
    expect(
        page.get_by_role("status").filter(has_text="Merci pour votre signalement")
    ).to_be_visible()

    # The moderator keeps only reported content: the answer is there, marked reported.
    moderation = new_page()
    _login(moderation, moderator.username)
    moderation.get_by_test_id("nav-moderation").click()
    _tick(moderation.get_by_test_id("queue-filters").get_by_label("Signalés seulement"))
    moderation.get_by_test_id("filter-submit").click()
    moderation.wait_for_url("**signale=on**")
    row = moderation.get_by_test_id(f"item-{item.pk}")
    expect(row.get_by_test_id(f"reported-{item.pk}")).to_have_text("1 signalement")
    assert_accessible(moderation, "reported queue")

    moderation.get_by_test_id(f"open-{item.pk}").click()
    expect(moderation.get_by_test_id("item-reports")).to_contain_text("Propos injurieux")
    expect(moderation.get_by_test_id("item-hide")).to_have_text(
        "Masquer (retenir les signalements)"
    )
    assert_accessible(moderation, "reported answer")
    # Hiding without a reason is refused with a message; the reason is public.
    moderation.get_by_test_id("item-hide").click()
    expect(moderation.get_by_test_id("item-reason")).to_be_focused()
    expect(moderation.locator("#item-reason-error")).to_contain_text("motif")
    assert_accessible(moderation, "item page with an error")
    moderation.get_by_test_id("item-reason").fill("Réponse injurieuse envers l'usager")
    moderation.get_by_test_id("item-hide").click()
    expect(moderation.get_by_role("status").filter(has_text="1 élément masqué.")).to_be_visible()
    expect(moderation.get_by_test_id("item-state")).to_have_text("Masqué")
    answer = Answer.objects.get(pk=answer.pk)
    assert answer.hidden_at is not None
    assert answer.hidden_reason == "Réponse injurieuse envers l'usager"
    assert reporter.reports_made.get().status == ReportStatus.UPHELD
    assert set(
        ModerationLogEntry.objects.filter(object_id=answer.pk).values_list("action", flat=True)
    ) == {"hide", "uphold_report"}
    _wait_for_mail(1)
    assert [m.to for m in mail.outbox] == [[reporter.email]]

    # The answer left the experience's page and is listed in the public trash with the reason.
    visitor = new_page()
    visitor.goto(experience.get_absolute_url())
    expect(visitor.get_by_test_id(f"experience-{experience.pk}")).not_to_contain_text("idiot")
    visitor.goto("/moderation/corbeille/")
    trash_row = visitor.get_by_test_id(f"trash-{item.pk}")
    expect(trash_row).to_contain_text("Dossier perdu deux fois")
    expect(trash_row).to_contain_text("Réponse injurieuse envers l'usager")
    expect(visitor.get_by_test_id("trash")).not_to_contain_text("idiot")
    assert_accessible(visitor, "trash")
    _fits_320_px(visitor)
