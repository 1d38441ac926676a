"""Signed one-click unsubscribe tokens: they identify an account and a kind of e-mail.

No expiry: an unsubscribe link must keep working as long as the e-mail is in a mailbox.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core import signing

_SALT = "ecoute.follows.unsubscribe"


class Scope(StrEnum):
    EXPERIENCES = "experiences"  # e-mails about followed experiences
    SERVICES = "services"  # e-mails and digests about followed contact points
    AGENT_ALERTS = "agent_alerts"  # agents: new experiences on their organisations' services


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    scope: Scope


class InvalidToken(Exception):
    pass


def make_token(*, user_id: int, scope: Scope) -> str:
    return signing.dumps({"u": user_id, "s": scope.value}, salt=_SALT)


def read_token(token: str) -> Unsubscribe:
    """Raises InvalidToken for anything not signed by us (tampered, truncated, garbage)."""
    try:
        data = signing.loads(token, salt=_SALT)
        return Unsubscribe(user_id=int(data["u"]), scope=Scope(data["s"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken(str(error)) from error
