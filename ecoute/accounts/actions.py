"""Account state changes: registration and e-mail confirmation."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import User

CONFIRMATION_SALT = "ecoute.accounts.confirm-email"
CONFIRMATION_MAX_AGE = 3 * 24 * 3600


def make_confirmation_token(user: User) -> str:
    # Binding the e-mail makes a link useless once the address changes.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRMATION_SALT)


def send_confirmation_email(*, user: User) -> None:
    link = settings.ECOUTE_SITE_URL + reverse(
        "accounts:confirm_email", args=[make_confirmation_token(user)]
    )
    body = render_to_string("accounts/email/confirm.txt", {"user": user, "link": link})
    send_mail("Confirmez votre adresse sur Écoute", body, None, [user.email])


def resend_confirmation(*, email: str) -> None:
    """Send a new confirmation link if an unconfirmed account uses `email`; silently do nothing
    otherwise, so the caller's answer never reveals whether an account exists."""
    user = User.objects.filter(email__iexact=email, email_confirmed_at__isnull=True).first()
    if user is not None:
        send_confirmation_email(user=user)


@transaction.atomic
def register_user(*, pseudonym: str, email: str, password: str) -> User:
    user = User(username=pseudonym.strip(), email=email.strip().lower())
    user.set_password(password)
    user.save()
    transaction.on_commit(lambda: send_confirmation_email(user=user))
    return user


class InvalidConfirmation(Exception):
    pass


@transaction.atomic
def confirm_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidConfirmation("expired") from exc
    except signing.BadSignature as exc:
        raise InvalidConfirmation("invalid") from exc
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise InvalidConfirmation("invalid")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user
