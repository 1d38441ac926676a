"""Account self-service in a real browser: forgotten password, and "RGPD": see one's
contributions, download one's data, delete the account. axe-core checks each new page at
1280 px and at 320 px wide."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ecoute.accounts.models import User
from ecoute.experiences import actions
from ecoute.experiences.models import Experience
from ecoute.follows.models import Follow
from ecoute.moderation.models import Report
from tests.factories import (
    AnswerFactory,
    DocumentFactory,
    ExperienceFactory,
    FollowFactory,
    MeTooFactory,
    ReportFactory,
    UserFactory,
)

from .axe import assert_accessible
from .test_journey import _login, _tick, _wait_for_mail

pytestmark = pytest.mark.browser

NEW_PASSWORD = "un-tout-nouveau-secret-77"  # noqa: S105 - test account only
WIDTHS = (1280, 320)


def assert_accessible_at_every_width(page, label: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{label} at {width} px")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_forgotten_password(new_page, live_server, settings):
    settings.ECOUTE_SITE_URL = live_server.url  # links in e-mails point at the live server
    user = UserFactory(username="Oublieuse", email="oublieuse@example.org")
    page = new_page()

    page.goto("/compte/connexion/")
    page.get_by_test_id("forgot-password").click()
    expect(page.get_by_role("heading", name="Mot de passe oublié", level=1)).to_be_visible()
    assert_accessible_at_every_width(page, "forgotten password form")
    page.get_by_label("Adresse électronique de votre compte").fill("Oublieuse@Example.org")
    page.get_by_test_id("password-reset-submit").click()
    expect(page.get_by_test_id("password-reset-done")).to_be_visible()
    assert_accessible_at_every_width(page, "reset link sent")

    _wait_for_mail(1)
    assert mail.outbox[0].to == ["oublieuse@example.org"]
    link = re.search(r"https?://\S+/compte/mot-de-passe/reinitialiser/\S+/", mail.outbox[0].body)
    page.goto(link.group(0))
    form = page.get_by_test_id("set-password-form")
    expect(form).to_be_visible()
    assert_accessible_at_every_width(page, "new password form")
    # A mismatch is a clear form error, not a dead end.
    form.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill(NEW_PASSWORD)
    form.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD + "x")
    page.get_by_test_id("set-password-submit").click()
    expect(page.get_by_text("Les deux mots de passe ne correspondent pas.")).to_be_visible()
    form.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill(NEW_PASSWORD)
    form.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_test_id("set-password-submit").click()
    expect(page.get_by_test_id("password-reset-complete")).to_be_visible()
    assert_accessible_at_every_width(page, "password changed")

    page.get_by_role("main").get_by_role("link", name="Se connecter").click()
    _login(page, "Oublieuse", NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    _wait_for_mail(2)  # "your password was changed"
    assert mail.outbox[1].subject == "Votre mot de passe Écoute a été modifié"

    # The link served once.
    page.goto(link.group(0))
    expect(page.get_by_test_id("password-reset-invalid")).to_be_visible()


def test_rgpd_export_and_deletion(new_page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    moderator = UserFactory(moderator=True)
    author = UserFactory(username="Camille R", email="camille@example.org")
    published = actions.publish_experience(
        actor=moderator, experience=ExperienceFactory(author=author, title="Accueil rapide")
    )
    answer = AnswerFactory(experience=published, body="Merci, nous gardons ce créneau.")
    pending = ExperienceFactory(author=author, title="Dossier perdu deux fois")
    # What the other apps hold about the account.
    FollowFactory(user=author, contact_point=published.contact_point)
    MeTooFactory(user=author, experience__title="Trois heures d'attente")
    document = DocumentFactory(author=author, title="Formulaire incompréhensible")
    ReportFactory(reporter=author)
    page = new_page()
    _login(page, author.username)

    # "Mon compte" lists every section; "Mes contributions" shows statuses and answers.
    page.get_by_test_id("header-profile").click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()
    assert_accessible_at_every_width(page, "account menu")
    page.get_by_test_id("menu-contributions").click()
    contributions = page.get_by_test_id("my-contributions")
    expect(contributions.get_by_test_id(f"contribution-{published.pk}")).to_contain_text("Publiée")
    expect(contributions).to_contain_text(answer.body)
    expect(contributions.get_by_test_id(f"contribution-{pending.pk}")).to_contain_text(
        "En attente de modération"
    )
    assert_accessible_at_every_width(page, "my contributions")

    # Withdraw the pending one (confirmation page first).
    page.get_by_test_id(f"withdraw-{pending.pk}").click()
    assert_accessible_at_every_width(page, "withdraw confirmation")
    page.get_by_test_id("withdraw-submit").click()
    expect(page.get_by_role("status").filter(has_text="retirée")).to_be_visible()
    expect(page.get_by_test_id(f"contribution-{pending.pk}")).to_have_count(0)
    assert not Experience.objects.filter(pk=pending.pk).exists()

    # The edit page of the published one warns it will go back to moderation.
    page.get_by_test_id(f"edit-{published.pk}").click()
    expect(page.get_by_test_id("edit-republish-notice")).to_be_visible()
    assert_accessible_at_every_width(page, "edit experience")

    # Download all one's data.
    page.goto("/compte/")
    with page.expect_download() as download_info:
        page.get_by_test_id("menu-export").click()
    download = download_info.value
    assert download.suggested_filename.startswith("ecoute-mes-donnees-")
    path = tmp_path / "export.json"
    download.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["account"]["pseudonym"] == "Camille R"
    assert [item["title"] for item in data["experiences"]] == ["Accueil rapide"]
    assert data["experiences"][0]["answers_received"][0]["body"] == answer.body
    assert data["follows"]["following"][0]["name"] == published.contact_point.name
    assert data["metoo"][0]["title"] == "Trois heures d'attente"
    assert data["documents"][0]["title"] == "Formulaire incompréhensible"
    assert data["reports"][0]["status"] == "open"

    # Delete the account, keeping the published experience anonymised.
    page.get_by_test_id("menu-delete").click()
    form = page.get_by_test_id("delete-account-form")
    expect(form).to_be_visible()
    assert_accessible_at_every_width(page, "delete account")
    _tick(form.get_by_label(re.compile("Les garder publiées, anonymisées")))
    form.get_by_label("Mot de passe actuel").fill("pas le bon")
    page.get_by_test_id("delete-account-submit").click()
    expect(page.get_by_text("Mot de passe incorrect.")).to_be_visible()
    assert User.objects.filter(pk=author.pk).exists()
    form = page.get_by_test_id("delete-account-form")
    _tick(form.get_by_label(re.compile("Les garder publiées, anonymisées")))
    form.get_by_label("Mot de passe actuel").fill("motdepasse-solide-42")
    page.get_by_test_id("delete-account-submit").click()
    expect(page.get_by_role("status").filter(has_text="Votre compte est supprimé")).to_be_visible()
    expect(page.get_by_test_id("header-login")).to_be_visible()

    assert not User.objects.filter(pk=author.pk).exists()
    published.refresh_from_db()
    assert published.author is None and published.status == "published"
    document.refresh_from_db()  # kept with the organisation, author unlinked
    assert document.author is None
    assert not Follow.objects.exists()
    assert not Report.objects.exclude(reporter=None).exists()
    page.goto(published.get_absolute_url())
    card = page.get_by_test_id(f"experience-{published.pk}")
    expect(card).to_contain_text("Auteur anonyme")
    expect(card).not_to_contain_text("Camille R")
