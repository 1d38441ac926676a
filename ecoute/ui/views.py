from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ecoute.experiences.queries import latest_published_experiences

STATIC_PAGES = {
    "accessibilite": _("Déclaration d'accessibilité"),
    "mentions-legales": _("Mentions légales"),
    "donnees-personnelles": _("Données personnelles et cookies"),
    "charte": _("Charte de participation"),
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "ui/home.html", {"title": _("Accueil"), "latest": latest_published_experiences()}
    )


@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in STATIC_PAGES:
        raise Http404
    return render(
        request,
        "ui/page.html",
        {
            "title": STATIC_PAGES[slug],
            "page_template": f"ui/pages/{slug}.html",
            "breadcrumb": [(STATIC_PAGES[slug], None)],
        },
    )


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "ui/rate_limited.html", {"title": _("Trop de demandes")}, status=429)
