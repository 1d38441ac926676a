"""Read helpers for accounts."""

from .models import User


def user_for_identifier(identifier: str) -> User | None:
    """The account a login identifier designates: its e-mail address or its pseudonym, in any
    case. The one lookup used by the login backend and by the login rate limits."""
    identifier = identifier.strip()
    if not identifier:
        return None
    field = "email__iexact" if "@" in identifier else "username__iexact"
    return User.objects.filter(**{field: identifier}).first()
