from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from ecoute.common.http import HtmxHttpRequest
from ecoute.common.pagination import keyset_paginate

from .engagements import PROGRAMME_ENGAGEMENTS
from .forms import ContactPointSearchForm
from .models import Engagement, Network
from .search import search_contact_points

PAGE_SIZE = 20


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    form = ContactPointSearchForm(request.GET or None)
    page = None
    if form.is_valid() and any(form.cleaned_data.values()):
        results = search_contact_points(
            form.cleaned_data["q"],
            departement=form.cleaned_data["departement"],
            channel=form.cleaned_data["channel"],
        )
        page = keyset_paginate(
            results, ordering=["name", "id"], cursor=request.GET.get("apres"), size=PAGE_SIZE
        )
    context = {
        "form": form,
        "page": page,
        "title": _("Trouver un service"),
        "breadcrumb": [(_("Trouver un service"), None)],
    }
    template = "catalogue/search.html#results" if request.htmx else "catalogue/search.html"
    return render(request, template, context)


@require_safe
def engagement_list(request: HttpRequest) -> HttpResponse:
    """The programme's engagements: national ones, then each network's own."""
    engagements = list(Engagement.objects.select_related("network"))
    national = [e for e in engagements if e.network_id is None]
    by_network: dict[Network, list[Engagement]] = {}
    for engagement in engagements:
        if engagement.network is not None:
            by_network.setdefault(engagement.network, []).append(engagement)
    return render(
        request,
        "catalogue/engagements.html",
        {
            "national": national,
            "missing": max(0, PROGRAMME_ENGAGEMENTS - len(national)),
            "programme_total": PROGRAMME_ENGAGEMENTS,
            "sources": sorted({e.source_url for e in engagements}),
            "by_network": sorted(by_network.items(), key=lambda item: item[0].name),
            "title": _("Les engagements de service"),
            "breadcrumb": [(_("Les engagements de service"), None)],
        },
    )
