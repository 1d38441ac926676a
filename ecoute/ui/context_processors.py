from django.http import HttpRequest


def roles(request: HttpRequest) -> dict[str, bool]:
    """Role flags the header needs (no query: read from the user row already loaded)."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "is_moderator": authenticated and bool(getattr(user, "is_moderator", False)),
    }
