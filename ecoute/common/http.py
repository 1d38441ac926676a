"""HTTP helpers: typed requests (the attributes middleware adds), safe redirects, client address.

django-htmx's documented pattern: HtmxMiddleware (installed for every request) sets
`request.htmx`, which plain `HttpRequest` does not declare.
"""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


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


@functools.lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _address(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client, the one every rate limit keys on.

    REMOTE_ADDR is the direct peer. Only when that peer is a trusted proxy
    (settings.TRUSTED_PROXIES) is X-Forwarded-For believed, read from the right: each trusted
    hop vouches for the address before it, and the first address that is not a trusted proxy is
    the client. Anything a client writes in the header beyond that is ignored, so nobody can
    pick a fresh bucket by sending a made-up header.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    current = _address(peer)
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if current is None or not trusted:
        return peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        if not any(current in network for network in trusted):
            break
        forwarded = _address(hop)
        if forwarded is None:
            break
        current = forwarded
    return str(current)
