"""Account state changes: sign-up, registration, e-mail confirmation, and self-service
(password, address change, deletion, expiry of unconfirmed accounts)."""

import datetime as dt
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import User
from .permissions import account_deletion_refusals
from .personal_data import erase_contributions
from .queries import expired_unconfirmed_accounts

logger = logging.getLogger(__name__)

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


# --- Account self-service: password, e-mail change, deletion, expiry of unconfirmed accounts.

EMAIL_CHANGE_SALT = "ecoute.accounts.change-email"
EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600


def _send_after_commit(template: str, subject: str, to: str, context: dict[str, object]) -> None:
    def send() -> None:
        body = render_to_string(template, {"site_url": settings.ECOUTE_SITE_URL, **context})
        send_mail(subject, body, None, [to])

    transaction.on_commit(send)


@transaction.atomic
def set_password(*, user: User, password: str) -> User:
    """Change the password (reset or change) and tell the owner by e-mail. Sessions elsewhere
    end: Django checks each session against a hash of the password."""
    user.set_password(password)
    user.save(update_fields=["password"])
    _send_after_commit(
        "accounts/email/password_changed.txt",
        "Votre mot de passe Écoute a été modifié",
        user.email,
        {"user": user},
    )
    return user


def normalise_email(email: str) -> str:
    return email.strip().lower()


def make_email_change_token(user: User, new_email: str) -> str:
    # Bound to the current address: once it changes, every older link stops working.
    return signing.dumps(
        {"u": user.pk, "old": user.email, "new": normalise_email(new_email)},
        salt=EMAIL_CHANGE_SALT,
    )


@transaction.atomic
def request_email_change(*, user: User, new_email: str) -> None:
    """Send a confirmation link to `new_email`; the address changes only when it is opened.

    When another account already uses that address, its owner receives a notice instead of a
    link: the caller's answer is the same either way (no account enumeration).
    """
    new_email = normalise_email(new_email)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        _send_after_commit(
            "accounts/email/email_change_taken.txt",
            "Votre adresse sur Écoute",
            new_email,
            {},
        )
        return
    link = settings.ECOUTE_SITE_URL + reverse(
        "accounts:confirm_email_change", args=[make_email_change_token(user, new_email)]
    )
    _send_after_commit(
        "accounts/email/email_change_confirm.txt",
        "Confirmez votre nouvelle adresse sur Écoute",
        new_email,
        {"user": user, "link": link},
    )


@transaction.atomic
def confirm_email_change(*, token: str) -> User:
    """Apply a requested address change (the link proves the new address); the old address is
    told. Raises InvalidConfirmation when the link is expired, altered, already used, or when
    the address was taken in the meantime."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidConfirmation("expired") from exc
    except signing.BadSignature as exc:
        raise InvalidConfirmation("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("new"), str):
        raise InvalidConfirmation("invalid")
    user_pk, old_email = data.get("u"), data.get("old")
    if not isinstance(user_pk, int) or not isinstance(old_email, str):
        raise InvalidConfirmation("invalid")
    user = User.objects.select_for_update().filter(pk=user_pk, email=old_email).first()
    if user is None:
        raise InvalidConfirmation("invalid")
    new_email = data["new"]
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise InvalidConfirmation("taken")
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = timezone.now()
    try:
        with transaction.atomic():  # the unique constraint settles a race with a sign-up
            user.save(update_fields=["email", "email_confirmed_at"])
    except IntegrityError as exc:
        raise InvalidConfirmation("taken") from exc
    _send_after_commit(
        "accounts/email/email_changed_notice.txt",
        "Votre adresse sur Écoute a été modifiée",
        old_email,
        {"user": user, "new_email": new_email},
    )
    return user


class AccountDeletionRefused(Exception):
    """The account cannot delete itself (see permissions.account_deletion_refusals)."""


@transaction.atomic
def delete_account(*, user: User, keep_contributions: bool) -> None:
    """Delete the account and what each app holds about it.

    keep_contributions=False removes the user's contributions (and their effect on roll-ups);
    True keeps them with the author unlinked, shown as "Auteur anonyme". Either way the `User`
    row goes, so the pseudonym and the address are free again.
    """
    refusals = account_deletion_refusals(user)
    if refusals:
        raise AccountDeletionRefused(" ".join(refusals))
    User.objects.select_for_update().filter(pk=user.pk).first()
    erase_contributions(user=user, keep_contributions=keep_contributions)
    email = user.email
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError as exc:  # a row we were not told about still points at the account
        raise AccountDeletionRefused(
            _(
                "Ce compte est lié à des données qui doivent être conservées : "
                "demandez sa suppression à l'administrateur."
            )
        ) from exc
    _send_after_commit(
        "accounts/email/account_deleted.txt",
        "Votre compte Écoute est supprimé",
        email,
        {"kept": keep_contributions},
    )


def purge_unconfirmed_accounts(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete accounts whose address was never confirmed within `older_than` of sign-up, so the
    address and pseudonym are free again. Returns how many were deleted. Role accounts (staff,
    superusers, moderators) are never purged."""
    deleted = 0
    for pk in expired_unconfirmed_accounts(older_than=older_than, now=now).values_list(
        "pk", flat=True
    ):
        try:
            with transaction.atomic():
                # Re-checked under lock: an account confirmed meanwhile is kept.
                user = (
                    expired_unconfirmed_accounts(older_than=older_than, now=now)
                    .select_for_update()
                    .filter(pk=pk)
                    .first()
                )
                if user is None:
                    continue
                erase_contributions(user=user, keep_contributions=False)
                user.delete()
        except ProtectedError:
            logger.warning("Unconfirmed account %s kept: rows that must stay point at it", pk)
            continue
        deleted += 1
    return deleted
