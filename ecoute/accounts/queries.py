"""Read helpers for accounts."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import User


def user_for_identifier(identifier: str) -> User | None:
    """The account a login identifier designates: its e-mail address or its pseudonym, in any
    case. The one lookup used by the login backend and by the login rate limits."""
    identifier = identifier.strip()
    if not identifier:
        return None
    field = "email__iexact" if "@" in identifier else "username__iexact"
    return User.objects.filter(**{field: identifier}).first()


def expired_unconfirmed_accounts(
    *, older_than: dt.timedelta, now: dt.datetime | None = None
) -> QuerySet[User]:
    """Accounts that never confirmed their address within `older_than` of signing up; role
    accounts (staff, superusers, moderators) are left to the administrators."""
    return User.objects.filter(
        email_confirmed_at__isnull=True,
        date_joined__lt=(now or timezone.now()) - older_than,
        is_staff=False,
        is_superuser=False,
        is_moderator=False,
    )
