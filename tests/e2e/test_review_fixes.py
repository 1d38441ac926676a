"""A moderator hides an already published experience from its page (review fix)."""

import pytest
from playwright.sync_api import expect

from ecoute.experiences import actions
from ecoute.experiences.models import Experience, ExperienceStatus
from tests.factories import ExperienceFactory, UserFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-solide-42"  # noqa: S105 - test account only


def test_moderator_hides_a_published_experience(new_page, live_server):
    moderator = UserFactory(moderator=True)
    # Published through the action, so the contact point's rating roll-up counts it.
    experience = actions.publish_experience(actor=moderator, experience=ExperienceFactory())
    moderator.set_password(PASSWORD)
    moderator.save(update_fields=["password"])
    page = new_page()
    page.goto("/compte/connexion/")
    page.get_by_label("Pseudonyme ou adresse électronique").fill(moderator.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("header-profile")).to_have_text(moderator.username)

    page.goto(experience.get_absolute_url())
    expect(page.get_by_test_id("publish-form")).to_have_count(0)
    assert_accessible(page, "published experience, moderator view")
    page.get_by_label("Motif du masquage").fill("Propos injurieux")
    page.get_by_test_id("hide-experience").click()

    expect(page.get_by_test_id("status-hidden")).to_contain_text("Propos injurieux")
    assert page.url.endswith(experience.get_absolute_url())
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.HIDDEN
    assert Experience.objects.published().count() == 0
