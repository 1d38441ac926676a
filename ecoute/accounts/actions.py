"""Account state changes: sign-up, registration and e-mail confirmation."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import User

CONFIRMATION_SALT = "ecoute.accounts.confirm-email"
CONFIRMATION_MAX_AGE = 3 * 24 * 3600


def make_confirmation_token(user: User) -> str:
    # Binding the e-mail makes a link useless once the address changes.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRMATION_SALT)


def _site_url(path: str, next_url: str = "") -> str:
    return (
        settings.ECOUTE_SITE_URL + path + (f"?{urlencode({'next': next_url})}" if next_url else "")
    )


def confirmation_link(user: User, next_url: str = "") -> str:
    """The link that confirms `user`'s address, then leads to `next_url` (a path on this site)."""
    return _site_url(
        reverse("accounts:confirm_email", args=[make_confirmation_token(user)]), next_url
    )


def send_confirmation_email(*, user: User, next_url: str = "") -> None:
    body = render_to_string(
        "accounts/email/confirm.txt", {"user": user, "link": confirmation_link(user, next_url)}
    )
    send_mail(_("Confirmez votre adresse sur Écoute"), body, None, [user.email])


def send_signup_attempt_email(*, user: User, next_url: str = "") -> None:
    """Tell the holder of an address that someone tried to sign up with it."""
    try:  # the forgotten-password page, where the project has one
        reset_link = _site_url(reverse("accounts:password_reset"))
    except NoReverseMatch:
        reset_link = ""
    context = {
        "user": user,
        "login_link": _site_url(reverse("accounts:login"), next_url),
        "reset_link": reset_link,
        "confirm_link": "" if user.has_confirmed_email else confirmation_link(user, next_url),
    }
    body = render_to_string("accounts/email/signup_attempt.txt", context)
    send_mail(_("Vous avez déjà un compte sur Écoute"), body, None, [user.email])


def resend_confirmation(*, email: str) -> None:
    """Send a new confirmation link if an unconfirmed account uses `email`; silently do nothing
    otherwise, so the caller's answer never reveals whether an account exists."""
    user = User.objects.filter(email__iexact=email, email_confirmed_at__isnull=True).first()
    if user is not None:
        send_confirmation_email(user=user)


@transaction.atomic
def register_user(*, pseudonym: str, email: str, password: str, next_url: str = "") -> User:
    user = User(username=pseudonym.strip(), email=email.strip().lower())
    user.set_password(password)
    user.save()
    transaction.on_commit(lambda: send_confirmation_email(user=user, next_url=next_url))
    return user


@transaction.atomic
def sign_up(*, pseudonym: str, email: str, password: str, next_url: str = "") -> None:
    """Create an account, or, when the address already has one, e-mail its holder instead.

    Returns nothing on purpose: the caller must answer the same in both cases, so that sign-up
    does not tell who has an account. A taken pseudonym is public and raises ValidationError.
    """
    email = email.strip().lower()
    holder = User.objects.filter(email__iexact=email).first()
    if holder is None:
        try:
            with transaction.atomic():
                register_user(
                    pseudonym=pseudonym, email=email, password=password, next_url=next_url
                )
            return
        except IntegrityError:  # a simultaneous sign-up took the address or the pseudonym
            holder = User.objects.filter(email__iexact=email).first()
            if holder is None:
                raise ValidationError(
                    {"pseudonym": _("Ce pseudonyme est déjà pris.")}, code="taken"
                ) from None
    else:
        make_password(password)  # the cost of creating an account: no timing difference
    existing = holder
    transaction.on_commit(lambda: send_signup_attempt_email(user=existing, next_url=next_url))


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
