"""The admin site, with the same login rate limits as the site's login page."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator

from .ratelimits import login_rate_limited


class EcouteAdminSite(admin.AdminSite):
    @method_decorator(login_rate_limited)
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return super().login(request, extra_context)
