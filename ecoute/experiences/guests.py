"""Actions for experiences told without an account (docs/decisions/0009-tell-without-account.md).

submit_guest_experience → e-mail with a signed link → confirm_guest_experience → pending
experience, moderated like any other. Links expire after ECOUTE_GUEST_CONFIRMATION_HOURS and
purge_unconfirmed_guest_submissions deletes what was never confirmed.
"""

import datetime as dt
import re
from typing import Literal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.catalogue.models import ContactPoint
from ecoute.moderation.actions import submit_for_moderation

from .actions import DuplicateSubmission, ExperienceContent, Ratings, prepare_content
from .models import Experience, ExperienceOrigin, GuestSubmission

CONFIRMATION_SALT = "ecoute.experiences.confirm-guest"
POSTAL_CODE_RE = re.compile(r"[0-9]{5}")


def normalise_email(email: str) -> str:
    """The address as stored: trimmed and lower-cased."""
    return email.strip().lower()


def rate_limit_identity(email: str) -> str:
    """One key per mailbox for rate limits: `Jeanne+1@X.org` and `jeanne@x.org` are one."""
    local, _at, domain = normalise_email(email).partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def confirmation_max_age() -> dt.timedelta:
    return dt.timedelta(hours=settings.ECOUTE_GUEST_CONFIRMATION_HOURS)


def make_confirmation_token(submission: GuestSubmission) -> str:
    # The fingerprint binds the link to this very content: a reused id cannot be confirmed.
    return signing.dumps(
        {"s": submission.pk, "f": submission.fingerprint[:20]}, salt=CONFIRMATION_SALT
    )


def _send_confirmation_email(submission: GuestSubmission) -> None:
    link = settings.ECOUTE_SITE_URL + reverse(
        "experiences:confirm_guest", args=[make_confirmation_token(submission)]
    )
    body = render_to_string(
        "experiences/email/confirm_guest.txt",
        {
            "submission": submission,
            "title": submission.draft["title"],
            "contact_point": submission.contact_point,
            "link": link,
            "hours": settings.ECOUTE_GUEST_CONFIRMATION_HOURS,
        },
    )
    send_mail(_("Confirmez l'envoi de votre expérience sur Écoute"), body, None, [submission.email])


@transaction.atomic
def submit_guest_experience(
    *,
    email: str,
    postal_code: str,
    contact_point: ContactPoint,
    occurred_on: dt.date,
    channel: str,
    sentiment: str,
    ratings: Ratings,
    title: str,
    body: str,
) -> GuestSubmission:
    """Keep a masked experience until its author opens the link e-mailed to `email`.

    Raises ValidationError for a bad postal code or content, DuplicateSubmission when the same
    address already sent the same story about the same contact point and its link is still
    valid.
    """
    email = normalise_email(email)
    if not POSTAL_CODE_RE.fullmatch(postal_code):
        raise ValidationError(_("Le code postal doit comporter 5 chiffres."), code="postal_code")
    content = prepare_content(
        occurred_on=occurred_on,
        channel=channel,
        sentiment=sentiment,
        ratings=ratings,
        title=title,
        body=body,
    )
    fingerprint = content.fingerprint(email, contact_point.pk)
    expired_before = timezone.now() - confirmation_max_age()
    if GuestSubmission.objects.filter(
        fingerprint=fingerprint, created_at__gte=expired_before
    ).exists():
        raise DuplicateSubmission(
            _(
                "Vous avez déjà envoyé cette expérience : ouvrez le lien de confirmation reçu "
                "par courriel (pensez à regarder dans les indésirables)."
            ),
            code="duplicate",
        )
    # An expired, not yet purged copy must not block sending the story again.
    GuestSubmission.objects.filter(
        fingerprint=fingerprint, confirmed_at__isnull=True, created_at__lt=expired_before
    ).delete()
    try:
        with transaction.atomic():
            submission = GuestSubmission.objects.create(
                email=email,
                postal_code=postal_code,
                contact_point=contact_point,
                draft=content.as_json(),
                fingerprint=fingerprint,
            )
    except IntegrityError as error:  # the same story sent twice at the same moment
        raise DuplicateSubmission(
            _("Vous avez déjà envoyé cette expérience : ouvrez le lien de confirmation reçu."),
            code="duplicate",
        ) from error
    transaction.on_commit(lambda: _send_confirmation_email(submission))
    return submission


class InvalidGuestConfirmation(Exception):
    """The link cannot confirm anything; `reason` says why."""

    def __init__(self, reason: Literal["expired", "invalid", "used"]) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def confirm_guest_experience(*, token: str) -> Experience:
    """Turn a guest submission into a pending experience, exactly once."""
    max_age = confirmation_max_age()
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidGuestConfirmation("expired") from error
    except signing.BadSignature as error:
        raise InvalidGuestConfirmation("invalid") from error
    submission_id = data.get("s") if isinstance(data, dict) else None
    bound_to = data.get("f") if isinstance(data, dict) else None
    if not isinstance(submission_id, int) or not isinstance(bound_to, str) or not bound_to:
        raise InvalidGuestConfirmation("invalid")
    submission = (
        GuestSubmission.objects.select_for_update()
        .select_related("contact_point__organisation")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not submission.fingerprint.startswith(bound_to):
        # A valid signature for a row that is gone: it was purged once expired.
        raise InvalidGuestConfirmation("expired")
    if submission.confirmed_at is not None:
        raise InvalidGuestConfirmation("used")
    if submission.created_at < timezone.now() - max_age:
        raise InvalidGuestConfirmation("expired")
    content = ExperienceContent.from_json(submission.draft)
    contact_point = submission.contact_point
    experience = Experience.objects.create(
        author=None,
        contact_point=contact_point,
        network_id=contact_point.organisation.network_id,
        origin=ExperienceOrigin.USER,
        fingerprint=submission.fingerprint,
        **content.model_fields(),
    )
    submit_for_moderation(target=experience)  # masked before storage: no original kept
    submission.experience = experience
    submission.confirmed_at = timezone.now()
    submission.draft = {}
    submission.save(update_fields=["experience", "confirmed_at", "draft"])
    return experience


@transaction.atomic
def purge_unconfirmed_guest_submissions(*, now: dt.datetime | None = None) -> int:
    """Delete the submissions whose link has expired unopened; returns how many."""
    expired_before = (now or timezone.now()) - confirmation_max_age()
    deleted, _by_model = GuestSubmission.objects.filter(
        confirmed_at__isnull=True, created_at__lt=expired_before
    ).delete()
    return deleted


def guest_contact_retention() -> dt.timedelta:
    return dt.timedelta(days=settings.ECOUTE_GUEST_CONTACT_RETENTION_DAYS)


@transaction.atomic
def purge_guest_contacts(*, now: dt.datetime | None = None) -> int:
    """Delete the e-mail address and postal code of guests who confirmed their experience more
    than ECOUTE_GUEST_CONTACT_RETENTION_DAYS ago; returns how many. The experience stays
    ("Auteur anonyme"); its later notices have nobody to go to."""
    confirmed_before = (now or timezone.now()) - guest_contact_retention()
    deleted, _by_model = GuestSubmission.objects.filter(
        confirmed_at__isnull=False, confirmed_at__lt=confirmed_before
    ).delete()
    return deleted
