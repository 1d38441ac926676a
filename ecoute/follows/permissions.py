"""Who may follow what."""

from django.contrib.auth.models import AnonymousUser

from ecoute.accounts.models import User
from ecoute.catalogue.models import ContactPoint
from ecoute.experiences.models import Experience
from ecoute.experiences.permissions import can_view_experience


def can_follow(user: User | AnonymousUser, target: ContactPoint | Experience) -> bool:
    """A signed-in account with a confirmed address (following sends e-mails) may follow an
    active contact point or an experience it can see."""
    if not isinstance(user, User) or not user.is_active or not user.has_confirmed_email:
        return False
    if isinstance(target, ContactPoint):
        return target.is_active
    return can_view_experience(user, target)


def can_receive_notifications(user: User) -> bool:
    return user.is_active and user.has_confirmed_email
