"""Review fixes: resending the confirmation link is an action, called by the view."""

import pytest
from django.core import mail
from django.urls import reverse

from ecoute.accounts import actions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_resend_confirmation_mails_only_unconfirmed_accounts():
    unconfirmed = UserFactory(unconfirmed=True)
    confirmed = UserFactory()
    actions.resend_confirmation(email=unconfirmed.email.upper())
    actions.resend_confirmation(email=confirmed.email)
    actions.resend_confirmation(email="personne@example.org")
    assert [message.to for message in mail.outbox] == [[unconfirmed.email]]
    assert "/compte/confirmer/" in mail.outbox[0].body


def test_resend_view_calls_the_action(client, monkeypatch):
    calls = []
    monkeypatch.setattr(actions, "resend_confirmation", lambda *, email: calls.append(email))
    response = client.post(reverse("accounts:resend_confirmation"), {"email": "a@example.org"})
    assert response.status_code == 302
    assert calls == ["a@example.org"]
