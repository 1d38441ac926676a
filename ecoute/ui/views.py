from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "ui/home.html", {"title": _("Accueil")})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(
        request,
        "ui/rate_limited.html",
        {"title": _("Trop de demandes")},
        status=429,
    )
