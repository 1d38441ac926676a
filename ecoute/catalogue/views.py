from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoute.common.http import HtmxHttpRequest
from ecoute.common.pagination import keyset_paginate

from .forms import ContactPointSearchForm
from .search import search_contact_points

PAGE_SIZE = 20


@require_safe
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
