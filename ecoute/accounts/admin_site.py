"""The admin site, with the same login rate limits as the site's login page."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator

from .ratelimits import login_rate_limited


class EcouteAdminSite(admin.AdminSite):
    @method_decorator(login_rate_limited)
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method == "HEAD" and self.has_permission(request):
            # Django sends a signed-in GET to the index; HEAD answers the same.
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        return super().login(request, extra_context)
