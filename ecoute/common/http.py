"""Typed requests for views: the attributes middleware adds, declared for mypy.

django-htmx's documented pattern: HtmxMiddleware (installed for every request) sets
`request.htmx`, which plain `HttpRequest` does not declare.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
