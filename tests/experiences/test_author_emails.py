"""The e-mail an author gets when moderation decides on their experience: a text never
published "n'a pas été publiée"; a published one that is hidden later "a été retirée"."""

import pytest
from django.core import mail

from ecoute.moderation import actions as moderation
from tests.factories import ExperienceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave on commit


def test_hiding_a_pending_experience_says_it_was_not_published():
    experience = ExperienceFactory(status="pending")
    moderation.hide(actor=UserFactory(moderator=True), target=experience, reason="Hors sujet")
    [message] = [m for m in mail.outbox if m.to == [experience.author.email]]
    assert message.subject == "Votre expérience n'a pas été publiée sur Écoute"
    assert "n'a pas été publiée" in message.body
    assert "Hors sujet" in message.body


def test_hiding_a_published_experience_says_it_was_withdrawn():
    experience = ExperienceFactory(published=True)
    moderation.hide(actor=UserFactory(moderator=True), target=experience, reason="Propos injurieux")
    [message] = [m for m in mail.outbox if m.to == [experience.author.email]]
    assert message.subject == "Votre expérience a été retirée d'Écoute"
    assert "a été retirée de la publication par la modération" in message.body
    assert "n'a pas été publiée" not in message.body
    assert "Propos injurieux" in message.body
