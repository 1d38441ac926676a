from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ecoute.experiences.queries import latest_published_experiences

from .sitemap import public_pages

# URL name (in the "ui" namespace) -> title; the body is ui/pages/<url name>.html.
STATIC_PAGES: dict[str, Promise] = {
    "legal_notice": _("Mentions légales"),
    "personal_data": _("Données personnelles"),
    "accessibility": _("Déclaration d'accessibilité"),
    "terms": _("Conditions d'utilisation"),
    "help": _("Aide"),
}
# The first static pages lived under /pages/<slug>/: those addresses keep working.
OLD_SLUGS = {
    "accessibilite": "accessibility",
    "mentions-legales": "legal_notice",
    "donnees-personnelles": "personal_data",
    "charte": "terms",
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "ui/home.html", {"title": _("Accueil"), "latest": latest_published_experiences()}
    )


@require_safe
def static_page(request: HttpRequest, name: str) -> HttpResponse:
    title = STATIC_PAGES[name]
    return render(
        request,
        "ui/page.html",
        {
            "title": title,
            "page_template": f"ui/pages/{name}.html",
            "breadcrumb": [(title, None)],
            "site": site_identity(),
        },
    )


@require_safe
def old_page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in OLD_SLUGS:
        raise Http404
    return HttpResponsePermanentRedirect(reverse(f"ui:{OLD_SLUGS[slug]}"))


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    title = _("Plan du site")
    return render(
        request,
        "ui/sitemap.html",
        {"title": title, "breadcrumb": [(title, None)], "sections": public_pages()},
    )


def site_identity() -> dict[str, object]:
    """Who publishes and hosts this instance, from settings (README, Configuration)."""
    return {
        "publisher": settings.ECOUTE_PUBLISHER,
        "publisher_address": settings.ECOUTE_PUBLISHER_ADDRESS,
        "director": settings.ECOUTE_PUBLICATION_DIRECTOR,
        "host_name": settings.ECOUTE_HOST_NAME,
        "host_address": settings.ECOUTE_HOST_ADDRESS,
        "contact_email": settings.ECOUTE_CONTACT_EMAIL,
        "dpo_email": settings.ECOUTE_DPO_EMAIL,
        "audit_date": settings.ECOUTE_ACCESSIBILITY_AUDIT_DATE,
        "site_url": settings.ECOUTE_SITE_URL,
        # Retention periods as configured (personal data page; experiences/retention.py).
        "unconfirmed_account_days": settings.ECOUTE_UNCONFIRMED_ACCOUNT_DAYS,
        "guest_confirmation_hours": settings.ECOUTE_GUEST_CONFIRMATION_HOURS,
        "guest_contact_days": settings.ECOUTE_GUEST_CONTACT_RETENTION_DAYS,
    }


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "ui/rate_limited.html", {"title": _("Trop de demandes")}, status=429)
