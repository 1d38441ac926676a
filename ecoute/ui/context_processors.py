from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from ecoute.accounts.models import User
from ecoute.catalogue.permissions import is_agent
from ecoute.moderation.permissions import can_moderate


def roles(request: HttpRequest) -> dict[str, bool]:
    """Role flags the header needs: at most one query, only for signed-in users."""
    # No `user` when the request never reached AuthenticationMiddleware (e.g. some error pages).
    user: User | AnonymousUser | None = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_moderator": False, "is_agent": False}
    return {"is_moderator": can_moderate(user), "is_agent": is_agent(user)}
