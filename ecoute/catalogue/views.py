from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoute.common.http import HtmxHttpRequest
from ecoute.territories.models import Commune

from .engagements import PROGRAMME_ENGAGEMENTS
from .forms import ContactPointSearchForm, NearbySearchForm
from .models import Engagement, Network
from .search import nearest_counters, organisations_page, search_organisations

PAGE_SIZE = 20


def _page(items: list, request: HtmxHttpRequest) -> Page:  # type: ignore[type-arg]
    """One page of a ranked list; a missing or garbage number gives the first page, a number
    past the end the last one (Paginator.get_page)."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _page_range(page: Page | None) -> list[int | str]:  # type: ignore[type-arg]
    if page is None:
        return []
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    form = ContactPointSearchForm(request.GET or None)
    page = None
    organisations = []
    if form.is_valid() and any(form.cleaned_data.values()):
        ids = search_organisations(
            form.cleaned_data["q"],
            departement=form.cleaned_data["departement"],
            channel=form.cleaned_data["channel"],
        )
        page = _page(ids, request)
        organisations = organisations_page(list(page.object_list))
    context = {
        "form": form,
        "page": page,
        "organisations": organisations,
        "page_range": _page_range(page),
        "title": _("Trouver un service"),
        "breadcrumb": [(_("Trouver un service"), None)],
    }
    template = "catalogue/search.html#results" if request.htmx else "catalogue/search.html"
    return render(request, template, context)


@require_safe
def nearby(request: HtmxHttpRequest) -> HttpResponse:
    """Counters nearest a commune or postcode typed by the user (no geolocation needed)."""
    form = NearbySearchForm(request.GET or None)
    commune = None
    others: list[Commune] = []
    page = None
    if form.is_valid():
        commune, others = form.locate()
        if commune is not None and form.is_valid():  # located: no error added
            points = nearest_counters(
                commune.latitude or 0.0,
                commune.longitude or 0.0,
                network=form.cleaned_data["network"],
            )
            page = _page(points, request)
    network = form.cleaned_data.get("network") if hasattr(form, "cleaned_data") else None
    context = {
        "form": form,
        "commune": commune,
        "others": others,
        "place_suffix": f"&network={network}" if network else "",
        "page": page,
        "page_range": _page_range(page),
        "title": _("Près de chez moi"),
        "breadcrumb": [
            (_("Trouver un service"), reverse("catalogue:search")),
            (_("Près de chez moi"), None),
        ],
    }
    return render(request, "catalogue/nearby.html", context)


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
