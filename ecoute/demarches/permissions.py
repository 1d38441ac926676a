"""Who may do what in the observatory.

- Anyone, without an account, gives feedback on a démarche (abuse-limited in the view).
- A signed-in account with a confirmed address proposes a démarche to follow.
- Administrators (staff accounts) record observatory measurements, edit démarches and accept or
  decline proposals.
- The feedback button's snippet is shown to administrators and to the agents of the démarche's
  network (the people who can put it at the end of their démarche).
- A proposal is read by everyone once published; before, or once hidden, by its author,
  moderators and administrators.
"""

from django.contrib.auth.models import AnonymousUser

from ecoute.accounts.models import User
from ecoute.catalogue.models import AgentMembership
from ecoute.moderation.permissions import can_moderate

from .models import Demarche, Proposal, Visibility

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active


def is_administrator(user: AnyUser) -> bool:
    return _active(user) and bool(user.is_staff)


def can_record_measurement(user: AnyUser) -> bool:
    return is_administrator(user)


def can_see_embed(user: AnyUser, demarche: Demarche) -> bool:
    """Administrators, and agents of an organisation of the démarche's network."""
    if is_administrator(user):
        return True
    if not isinstance(user, User) or not user.is_active or demarche.network_id is None:
        return False
    return AgentMembership.objects.filter(
        user=user, organisation__network_id=demarche.network_id
    ).exists()


def can_propose(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and user.has_confirmed_email


def can_decide_proposal(user: AnyUser) -> bool:
    return is_administrator(user)


def can_view_proposal(user: AnyUser, proposal: Proposal) -> bool:
    if proposal.visibility == Visibility.PUBLISHED:
        return True
    if not _active(user):
        return False
    return proposal.author_id == user.pk or can_moderate(user) or is_administrator(user)
