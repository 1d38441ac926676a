"""Steps 2–7 of the foundation journey in a real browser (Debian's chromium) on the live server.

Each actor gets its own browser context (own cookies): the visitor who becomes Jeanne, a
logged-out visitor, the moderator and the agent. axe-core checks every page on the way.
"""

import re
import time

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ecoute.experiences.models import Experience, ExperienceStatus
from ecoute.moderation.masking import EMAIL_MASK, NIR_MASK, PHONE_MASK
from ecoute.moderation.models import ModerationItem, ModerationLogEntry
from tests.factories import PASSWORD, AgentMembershipFactory, ContactPointFactory, UserFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser

PHONE, EMAIL, NIR = "06 12 34 56 78", "jeanne.martin@example.org", "1 85 05 78 006 084 91"
TITLE = "Deux heures d'attente pour un rendez-vous"
ANSWER = "Nous avons ajouté un créneau d'accueil le lundi matin. Merci de votre retour."
RATINGS = {  # question (radio group) -> rating; the indicators show them as averages
    "Satisfaction globale": ("satisfaction", 2),
    "Délais": ("delays", 1),
    "Accessibilité": ("accessibility", 4),
    "Simplicité": ("simplicity", 2),
    "Qualité de la relation": ("relationship", 5),
}


def _wait_for_mail(count: int, timeout: float = 5.0) -> None:
    """The live server sends mail from its own thread, after commit: give it a moment."""
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mail.outbox) >= count, f"expected {count} e-mail(s), got {len(mail.outbox)}"


def _tick(control) -> None:
    """DSFR draws checkboxes and radios on their label, which takes the click: click it."""
    control_id = control.get_attribute("id")
    control.page.locator(f'label[for="{control_id}"]').click()
    expect(control).to_be_checked()


def _login(page, username: str, password: str = PASSWORD, check_a11y: bool = False) -> None:
    page.goto("/compte/connexion/")
    if check_a11y:
        assert_accessible(page, "login page")
    page.get_by_label("Pseudonyme ou adresse électronique").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("header-profile")).to_have_text(username)


def test_journey_from_search_to_public_answer(new_page, live_server, settings, browser_problems):
    contact_point = ContactPointFactory(name="Accueil CAF de Bourg-en-Bresse")
    organisation = contact_point.organisation
    moderator = UserFactory(moderator=True)
    agent = AgentMembershipFactory(organisation=organisation).user
    settings.ECOUTE_SITE_URL = live_server.url  # links in e-mails point at the live server
    jeanne = new_page()

    # 2. Search from the home page, open the contact point page.
    jeanne.goto("/")
    assert_accessible(jeanne, "home")
    home_search = jeanne.get_by_test_id("home-search")
    home_search.get_by_label("Nom du service, commune ou département").fill("caf bourg")
    home_search.get_by_role("button", name="Rechercher").click()
    jeanne.wait_for_url(re.compile(r"/services/\?q=caf\+bourg"))
    results = jeanne.get_by_test_id("search-results")
    expect(results.get_by_role("link", name=contact_point.name)).to_be_visible()
    assert_accessible(jeanne, "search results")
    results.get_by_role("link", name=contact_point.name).click()
    expect(jeanne.get_by_test_id("contact-point-name")).to_have_text(contact_point.name)
    main = jeanne.get_by_role("main")
    expect(main.get_by_text("Guichet", exact=True).first).to_be_visible()
    expect(main).to_contain_text("1 rue de la République, 01000 Bourg-en-Bresse")
    expect(main).to_contain_text(organisation.display_name)
    indicators = jeanne.get_by_test_id("indicators")
    expect(indicators.get_by_role("table")).to_be_visible()
    expect(jeanne.get_by_test_id("indicator-satisfaction")).to_contain_text(
        "échantillon insuffisant (0 avis, minimum 1)"
    )
    # axe checks this page in step 7, once it shows an experience and an answer.
    contact_point_url = jeanne.url

    # 3. Sign up, confirm the e-mail address from the link received, tell the experience.
    jeanne.get_by_test_id("header-signup").click()
    expect(jeanne.get_by_role("heading", name="Créer un compte", level=1)).to_be_visible()
    assert_accessible(jeanne, "sign-up page")
    form = jeanne.get_by_test_id("signup-form")
    form.get_by_label("Pseudonyme").fill("Jeanne B")
    form.get_by_label("Adresse électronique").fill("Jeanne@example.org")
    form.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    _tick(form.get_by_label("J'accepte la charte de participation"))
    jeanne.get_by_test_id("signup-submit").click()
    expect(jeanne.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()
    assert_accessible(jeanne, "sign-up done page")
    _wait_for_mail(1)
    assert mail.outbox[0].to == ["jeanne@example.org"]
    link = re.search(r"https?://\S+/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    jeanne.goto(link)
    expect(jeanne.get_by_role("status").filter(has_text="est confirmée")).to_be_visible()
    _login(jeanne, "Jeanne B", "un-mot-de-passe-solide")

    jeanne.goto(contact_point_url)
    jeanne.get_by_test_id("tell-experience").click()
    form = jeanne.get_by_test_id("experience-form")
    expect(form).to_be_visible()
    assert_accessible(jeanne, "experience form")
    form.get_by_label("Date de l'expérience").fill(timezone.localdate().isoformat())
    _tick(form.get_by_role("group", name="Par quel canal ?").get_by_label("Guichet"))
    _tick(
        form.get_by_role("group", name="Votre expérience est-elle plutôt").get_by_label("Négative")
    )
    for question, (_key, rating) in RATINGS.items():
        group = form.get_by_role("group", name=question, exact=True)
        _tick(group.locator(f'input[type="radio"][value="{rating}"]'))
    form.get_by_label("Titre").fill(TITLE)
    form.get_by_label("Votre récit").fill(
        f"Arrivée à 9h, reçue à 11h. L'agent était aimable. Rappelez-moi au {PHONE} "
        f"ou écrivez à {EMAIL}, mon numéro de sécu est {NIR}."
    )
    jeanne.get_by_test_id("submit-experience").click()

    # 4. Personal data is masked; the experience waits for moderation, unseen by visitors.
    jeanne.wait_for_url(re.compile(r"/experiences/\d+/$"))
    experience = Experience.objects.get()
    assert experience.status == ExperienceStatus.PENDING
    expect(jeanne.get_by_test_id("status-pending")).to_be_visible()
    expect(
        jeanne.get_by_role("status").filter(
            has_text=re.compile(r"3 données personnelles ont été masquées")
        )
    ).to_be_visible()
    card = jeanne.get_by_test_id(f"experience-{experience.pk}")
    for secret in (PHONE, EMAIL, NIR):
        expect(card).not_to_contain_text(secret)
    for mask in (PHONE_MASK, EMAIL_MASK, NIR_MASK):
        expect(card).to_contain_text(mask)
    assert_accessible(jeanne, "experience page")

    visitor = new_page()
    visitor.goto(contact_point_url)
    expect(visitor.get_by_test_id("contact-point-name")).to_be_visible()
    expect(visitor.get_by_text(TITLE)).to_have_count(0)
    response = visitor.goto(experience.get_absolute_url())
    assert response.status == 404

    # 5. The moderator publishes it from the queue (htmx), the act is in the journal.
    moderation = new_page()
    _login(moderation, moderator.username, check_a11y=True)
    moderation.get_by_test_id("nav-moderation").click()
    item = ModerationItem.objects.get(object_id=experience.pk, kind="experience")
    row = moderation.get_by_test_id(f"item-{item.pk}")
    expect(row).to_contain_text(TITLE)
    assert_accessible(moderation, "moderation queue")
    _tick(moderation.get_by_test_id(f"select-{item.pk}"))
    moderation.get_by_test_id("bulk-publish").click()
    expect(moderation.get_by_role("status").filter(has_text="1 élément publié.")).to_be_visible()
    expect(moderation.get_by_test_id(f"item-{item.pk}")).to_have_count(0)
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PUBLISHED
    moderation.get_by_role("link", name="Journal de modération").click()
    entry = ModerationLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (moderator, "publish", experience.pk)
    journal_row = (
        moderation.get_by_test_id("moderation-log")
        .get_by_role("row")
        .filter(has_text=f"n° {experience.pk}")
    )
    expect(journal_row).to_have_count(1)
    expect(journal_row).to_contain_text(moderator.username)
    expect(journal_row).to_contain_text("Publication")
    assert_accessible(moderation, "moderation journal")

    # 6. The agent answers publicly for the organisation.
    agent_page = new_page()
    _login(agent_page, agent.username)
    agent_page.get_by_test_id("nav-agent").click()
    # The inbox offers "Répondre : <title>" beside the story's title; it opens the
    # writing page (templates and suggested drafts beside the form).
    agent_page.get_by_role("link", name=f"Répondre : {TITLE}").click()
    agent_page.wait_for_url(f"**/experiences/{experience.pk}/rediger/")
    agent_page.get_by_label("Réponse publique du service").fill(ANSWER)
    agent_page.get_by_test_id("preview-answer").click()
    agent_page.get_by_test_id("publish-answer").click()
    expect(
        agent_page.get_by_role("status").filter(has_text="Votre réponse est publiée.")
    ).to_be_visible()
    expect(agent_page.get_by_test_id(f"experience-{experience.pk}")).to_contain_text(ANSWER)

    # 7. Any visitor sees the experience, the signed answer and the indicators.
    visitor.goto(contact_point_url)
    card = visitor.get_by_test_id(f"experience-{experience.pk}")
    expect(card.get_by_role("link", name=TITLE)).to_be_visible()
    expect(card).to_contain_text(ANSWER)
    expect(card).to_contain_text(f"Réponse de {organisation.display_name}")
    for key, rating in RATINGS.values():  # one rating each: satisfied from 4, mean = rating
        expect(visitor.get_by_test_id(f"indicator-{key}").get_by_role("cell")).to_have_text(
            [f"{100 if rating >= 4 else 0} %", f"{rating},0", "1"]
        )
    assert_accessible(visitor, "contact point page (experience and answer)")
    assert not browser_problems.messages, "\n".join(browser_problems.messages)
