"""Who may do what with the barometer's editions. Every published edition is public."""

from django.contrib.auth.models import AnonymousUser

from ecoute.accounts.models import User


def can_manage_editions(user: User | AnonymousUser) -> bool:
    """Prepare, preview and publish editions, prepare corrections: staff given
    `barometre.publish_edition` (administrators have it). Publishing is for good: a published
    edition never changes."""
    return bool(user.is_active and user.is_staff and user.has_perm("barometre.publish_edition"))
