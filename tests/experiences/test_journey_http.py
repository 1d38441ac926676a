"""Steps 2–7 of the foundation journey through the HTTP layer."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from ecoute.experiences.models import Experience, ExperienceStatus
from ecoute.moderation.models import ModerationLogEntry
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    UserFactory,
    answer_form_data,
    experience_form_data,
)

pytestmark = pytest.mark.django_db


def test_full_journey(client, django_capture_on_commit_callbacks):
    contact_point = ContactPointFactory(name="Accueil CAF de Bourg-en-Bresse")
    moderator = UserFactory(moderator=True)
    agent = AgentMembershipFactory(organisation=contact_point.organisation).user

    # 2. Find the contact point by name and by commune, open its page.
    response = client.get(reverse("catalogue:search"), {"q": "caf bourg"})
    assert contact_point.name in response.content.decode()
    response = client.get(reverse("catalogue:search"), {"q": "Bourg-en-Bresse"})
    assert contact_point.name in response.content.decode()
    response = client.get(contact_point.get_absolute_url())
    assert response.status_code == 200

    # 3. Sign up, confirm the e-mail from the link sent, tell an experience.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {
                "pseudonym": "Jeanne B",
                "email": "Jeanne@example.org",
                "password": "un-mot-de-passe-solide",
                "accept_charter": "on",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302
    # Sign-up does not log in (it must not reveal taken addresses): log in once confirmed.
    response = client.post(
        response["Location"], {"username": "Jeanne B", "password": "un-mot-de-passe-solide"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("experiences:tell", args=[contact_point.pk]), experience_form_data()
    )
    assert response.status_code == 302
    experience = Experience.objects.get()

    # 4. Personal data is masked before anyone else sees it; it waits for moderation.
    assert "06 12 34 56 78" not in experience.body
    assert "jeanne.martin@example.org" not in experience.body
    assert "1 85 05 78 006 084 91" not in experience.body
    assert experience.masked_items == 3
    assert experience.status == ExperienceStatus.PENDING
    client.logout()
    assert client.get(experience.get_absolute_url()).status_code == 404
    assert (
        escape(experience.title)
        not in client.get(contact_point.get_absolute_url()).content.decode()
    )

    # 5. A moderator publishes it; the act is logged.
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue"))
    assert escape(experience.title) in response.content.decode()
    response = client.post(reverse("experiences:publish", args=[experience.pk]))
    assert response.status_code == 302
    log = ModerationLogEntry.objects.get()
    assert (log.actor, log.action, log.object_id) == (moderator, "publish", experience.pk)

    # 6. An agent of that organisation answers publicly.
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("experiences:answer", args=[experience.pk]),
            answer_form_data("Nous avons ajouté un créneau d'accueil le lundi matin. Merci !"),
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["jeanne@example.org"]
    assert "a répondu" in mail.outbox[-1].subject

    # 7. The public page shows the experience, the signed answer and the indicators.
    client.logout()
    page = client.get(contact_point.get_absolute_url()).content.decode()
    assert escape(experience.title) in page
    assert escape("Nous avons ajouté un créneau") in page
    assert escape(f"Réponse de {contact_point.organisation.name}") in page
    assert re.search(r'data-testid="indicator-satisfaction">.*?<td>2,0</td><td>1</td>', page, re.S)
    assert re.search(r'data-testid="indicator-relationship">.*?<td>5,0</td><td>1</td>', page, re.S)
