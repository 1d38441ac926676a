from django.http import HttpRequest

from ecoute.catalogue.permissions import is_agent


def roles(request: HttpRequest) -> dict[str, bool]:
    """Role flags the header needs: at most one query, only for signed-in users."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "is_moderator": authenticated and bool(getattr(user, "is_moderator", False)),
        "is_agent": authenticated and is_agent(user),
    }
