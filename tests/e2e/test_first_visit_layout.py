"""What a first visit tripped on (walk of the merged issue 7): layouts checked in a browser.

- On /experiences/ each DSFR card took the height of the whole results column (12,000 px per
  story at 320 px).
- "Moi aussi" came before the title of each card (DSFR orders a card's children), in reading
  and focus order too.
- The rating fieldsets of the tell form overflowed a 320 px screen.
"""

import pytest
from playwright.sync_api import expect

from ecoute.experiences import actions
from tests.factories import ContactPointFactory, ExperienceFactory, UserFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_story_cards_have_their_own_height_and_metoo_after_the_title(page, width):
    moderator = UserFactory(moderator=True)
    for _ in range(3):
        actions.publish_experience(actor=moderator, experience=ExperienceFactory())
    page.set_viewport_size({"width": width, "height": 900})
    for url in ["/experiences/", "/"]:
        page.goto(url)
        cards = page.locator("article.ecoute-experience")
        expect(cards).to_have_count(3)
        for index in range(3):
            card = cards.nth(index)
            box = card.bounding_box()
            assert box is not None and box["height"] < 1200, (url, box)
            title = card.locator(".fr-card__title").bounding_box()
            metoo = card.get_by_test_id("metoo-login").bounding_box()
            assert title is not None and metoo is not None
            assert metoo["y"] > title["y"] + title["height"], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page, f"home at {width}px")


def test_tell_form_fits_320_px(page):
    point = ContactPointFactory()
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"/services/{point.pk}/raconter/")
    expect(page.get_by_text("Satisfaction globale")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    five = page.get_by_label("5 — très satisfait").first
    box = five.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 320


def test_guest_fields_of_the_tell_form_stack_like_the_others(page):
    """E-mail and postal code sat side by side in one grey bar, their hints run together."""
    point = ContactPointFactory()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/services/{point.pk}/raconter/")
    email = page.get_by_label("Adresse électronique").bounding_box()
    postal_code = page.get_by_label("Code postal").bounding_box()
    assert email is not None and postal_code is not None
    assert postal_code["y"] >= email["y"] + email["height"]
