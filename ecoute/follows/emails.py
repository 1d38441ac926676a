"""Every e-mail of this app carries a signed unsubscribe link and the RFC 8058 headers."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from ecoute.accounts.models import User

from .tokens import Scope, make_token


def unsubscribe_url(*, user: User, scope: Scope) -> str:
    token = make_token(user_id=user.pk, scope=scope)
    return settings.ECOUTE_SITE_URL + reverse("follows:unsubscribe", args=[token])


def build_message(
    *, user: User, scope: Scope, subject: str, template: str, context: dict[str, object]
) -> EmailMessage:
    """A plain-text e-mail to `user` with a one-click unsubscribe from `scope`."""
    link = unsubscribe_url(user=user, scope=scope)
    body = render_to_string(
        template,
        {
            **context,
            "user": user,
            "site_url": settings.ECOUTE_SITE_URL,
            "unsubscribe_url": link,
            "preferences_url": settings.ECOUTE_SITE_URL + reverse("follows:preferences"),
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
