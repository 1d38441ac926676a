"""Who may do what with an account."""

from django.utils.translation import gettext as _

from .models import User
from .personal_data import deletion_blockers


def account_deletion_refusals(user: User) -> list[str]:
    """Why `user` may not delete their own account (empty: they may).

    Role accounts (administrators, moderators) are managed by the administrators: their acts are
    in the moderation journal, which must keep its author. Apps add their own reasons through
    their personal-data section (e.g. answers signed for a service).
    """
    refusals = []
    if user.is_staff or user.is_superuser or user.is_moderator:
        refusals.append(
            _(
                "Ce compte a un rôle d'administration ou de modération : "
                "demandez sa suppression à l'administrateur."
            )
        )
    return refusals + deletion_blockers(user)


def can_delete_own_account(user: User) -> bool:
    return not account_deletion_refusals(user)
