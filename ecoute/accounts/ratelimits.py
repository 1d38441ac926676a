"""Login rate limits, shared by the site's login page and the admin's.

Two buckets, with the same limits wherever one logs in:

- per client address (`common.http.client_ip`, through django-ratelimit's "ip" key): every
  login POST counts;
- per account: the account the identifier resolves to (pseudonym in any case and e-mail address
  share one bucket; an identifier matching no account is case-folded), and only failed attempts
  count. Failures are recorded from Django's `user_login_failed` signal, sent by
  `authenticate()` when no backend accepts the credentials (connected in `apps.py`).
"""

import functools
import unicodedata
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from .queries import user_for_identifier

LOGIN_IP_RATE = "20/h"
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


def _login_blocked(request: HttpRequest) -> bool:
    by_ip = get_usage(request, group=_IP_GROUP, key="ip", rate=LOGIN_IP_RATE, increment=True)
    if by_ip is not None and by_ip["should_limit"]:
        return True
    by_account = _account_usage(request, request.POST.get("username", ""), increment=False)
    # Checked before the attempt without counting it: the limit is reached at `limit` failures.
    return by_account is not None and by_account["count"] >= by_account["limit"]


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
    """`user_login_failed` receiver: count the failure against the account it designates."""
    identifier = credentials.get("username")
    if request is None or not isinstance(identifier, str):
        return
    _account_usage(request, identifier, increment=True)
