"""Typed requests for views: the attributes middleware adds, declared for mypy.

django-htmx's documented pattern: HtmxMiddleware (installed for every request) sets
`request.htmx`, which plain `HttpRequest` does not declare.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def safe_next_url(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """`candidate` if it points to this site, else `fallback` (no open redirect via ?next=)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
