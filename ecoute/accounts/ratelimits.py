"""Login rate limits, shared by the site's login page and the admin's.

Two buckets, with the same limits wherever one logs in:

- per client address (`common.http.client_ip`, through django-ratelimit's "ip" key): the failed
  attempts from that address, whatever account they name (guessing across accounts);
- per account: the account the identifier resolves to (pseudonym in any case and e-mail address
  share one bucket; an identifier matching no account is case-folded), its failed attempts.

Only failures count, in both buckets: a France services counter or a library where many people
log in from one address is not locked out by their successful logins. Failures are recorded
from Django's `user_login_failed` signal, sent by `authenticate()` when no backend accepts the
credentials (connected in `apps.py`). A bucket is full at `limit` failures: the next POST is
refused (429) before the password is even checked.
"""

import functools
import unicodedata
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from .queries import user_for_identifier

LOGIN_IP_FAILURE_RATE = "30/h"
LOGIN_ACCOUNT_FAILURE_RATE = "10/h"
_IP_GROUP = "ecoute.accounts.login.ip"
_ACCOUNT_GROUP = "ecoute.accounts.login.account"


def login_identity(identifier: str) -> str:
    """The rate-limit key of a login identifier: the account it designates, else its folded
    form (Unicode-normalised, spaces collapsed, case-folded)."""
    user = user_for_identifier(identifier)
    if user is not None:
        return f"account:{user.pk}"
    folded = " ".join(unicodedata.normalize("NFKC", identifier).split()).casefold()
    return f"unknown:{folded}"


def _account_usage(request: HttpRequest, identifier: str, *, increment: bool) -> dict | None:
    identity = login_identity(identifier)
    return get_usage(
        request,
        group=_ACCOUNT_GROUP,
        key=lambda _group, _request: identity,
        rate=LOGIN_ACCOUNT_FAILURE_RATE,
        increment=increment,
    )


def _ip_usage(request: HttpRequest, *, increment: bool) -> dict | None:
    return get_usage(
        request, group=_IP_GROUP, key="ip", rate=LOGIN_IP_FAILURE_RATE, increment=increment
    )


def _full(usage: dict | None) -> bool:
    return usage is not None and usage["count"] >= usage["limit"]


def _login_blocked(request: HttpRequest) -> bool:
    # Checked before the attempt without counting it: a bucket is full at `limit` failures.
    if _full(_ip_usage(request, increment=False)):
        return True
    return _full(_account_usage(request, request.POST.get("username", ""), increment=False))


def login_rate_limited(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Refuse a login POST (429) once the client address or the account is over its limit."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and _login_blocked(request):
            raise Ratelimited
        return view(request, *args, **kwargs)

    return wrapped


def record_login_failure(
    sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """`user_login_failed` receiver: count the failure against the client address and the
    account it designates."""
    identifier = credentials.get("username")
    if request is None or not isinstance(identifier, str):
        return
    _ip_usage(request, increment=True)
    _account_usage(request, identifier, increment=True)
