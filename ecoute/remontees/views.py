"""Pages of the remontées: the agents' list, a remontée, the raise form, the steering view
(managers), the public summaries. Every write goes through `actions`; every rule through
`permissions`."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.catalogue.models import Network, Organisation
from ecoute.common.http import safe_next_url
from ecoute.common.pagination import keyset_paginate

from . import actions
from .forms import (
    SORT_ORDERINGS,
    AgentFilterForm,
    FilterForm,
    PublicFilterForm,
    RaiseForm,
    StatusForm,
    SummaryForm,
)
from .models import PublicSummary, Remontee, Theme
from .permissions import (
    can_browse_remontees,
    can_raise_remontee,
    can_set_status,
    can_steer_remontees,
    can_view_remontee,
    can_write_summary,
    is_author,
    is_steering,
    managed_remontees,
    network_ids_for_agent,
    raising_organisations,
    visible_remontees,
)
from .queries import counts_by_status, mark_supports, steering_tables

PAGE_SIZE = 20


def _breadcrumb(*crumbs: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Remontées des agents"), reverse("remontees:list")), *crumbs]


def _page(request: HttpRequest, queryset: Any, ordering: list[str]) -> Any:
    return keyset_paginate(
        queryset,
        ordering=ordering,
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=PAGE_SIZE,
    )


@require_safe
@login_required
def remontee_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    network_ids = network_ids_for_agent(user)
    if not can_browse_remontees(user, network_ids=network_ids):
        raise PermissionDenied(_("Réservé aux agents des services."))
    visible = visible_remontees(user, network_ids=network_ids)
    networks = (
        Network.objects.all() if is_steering(user) else Network.objects.filter(pk__in=network_ids)
    )
    form = AgentFilterForm(
        request.GET or None,
        networks=networks.order_by("name"),
        organisations=Organisation.objects.only("id", "name", "public_name")
        .filter(pk__in=visible.values("organisation_id"))
        .order_by("name"),
    )
    filters = form.filters()
    queryset = visible.filter(**{k: v for k, v in filters.items() if k != "status"})
    if form.is_bound and form.cleaned_data.get("mine"):
        queryset = queryset.filter(author=user)
    total, status_counts = counts_by_status(queryset, selected=filters.get("status"))
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    page = _page(
        request,
        queryset.select_related("organisation", "network"),
        SORT_ORDERINGS[form.sort()],
    )
    mark_supports(user, page.items, network_ids)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "status_counts": status_counts,
        "can_raise": can_raise_remontee(user, network_ids=network_ids),
        "is_steering": can_steer_remontees(user),
        "title": _("Remontées des agents"),
        "breadcrumb": [(_("Remontées des agents"), None)],
    }
    return render(request, "remontees/list.html", context, status=400 if form.errors else 200)


def _masked_warning(request: HttpRequest, masked_items: int) -> None:
    if masked_items:
        messages.warning(
            request,
            ngettext(
                "%(n)d donnée personnelle a été masquée avant l'enregistrement.",
                "%(n)d données personnelles ont été masquées avant l'enregistrement.",
                masked_items,
            )
            % {"n": masked_items},
        )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def raise_remontee(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_raise_remontee(user):
        raise PermissionDenied(
            _("Réservé aux agents des services dont l'adresse électronique est confirmée.")
        )
    organisations = raising_organisations(user)
    form = RaiseForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            remontee = actions.raise_remontee(
                author=user,
                organisation=data["organisation"],
                kind=data["kind"],
                scope=data["scope"],
                theme=data["theme"],
                title=data["title"],
                description=data["description"],
                demarche_name=data["demarche_name"],
                demarche=data["demarche"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Remontée envoyée. Elle sera visible des agents de votre réseau une fois "
                    "relue par la modération."
                ),
            )
            _masked_warning(request, remontee.masked_items)
            return redirect(remontee)
    title = _("Faire une remontée")
    return render(
        request,
        "remontees/raise.html",
        {"form": form, "title": title, "breadcrumb": _breadcrumb((title, None))},
        status=400 if form.errors else 200,
    )


def _visible_or_404(request: HttpRequest, pk: int) -> tuple[Remontee, set[int]]:
    remontee = get_object_or_404(Remontee.objects.select_related("organisation", "network"), pk=pk)
    network_ids = network_ids_for_agent(request.user)
    if not can_view_remontee(request.user, remontee, network_ids=network_ids):
        raise Http404
    return remontee, network_ids


@require_safe
@login_required
def remontee_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    remontee, network_ids = _visible_or_404(request, pk)
    mark_supports(request.user, [remontee], network_ids)
    summary = PublicSummary.objects.filter(remontee=remontee).first()
    follows_up = can_set_status(request.user, remontee)  # and writes the public summary
    return render(
        request,
        "remontees/detail.html",
        {
            "remontee": remontee,
            "is_author": is_author(request.user, remontee),
            "changes": remontee.changes.select_related("actor"),
            "summary": summary,
            "status_form": StatusForm(initial={"status": remontee.status}) if follows_up else None,
            "can_write_summary": follows_up,
            "title": remontee.title,
            "breadcrumb": _breadcrumb((remontee.title, None)),
        },
    )


@require_POST
@login_required
@ratelimit(key="user", rate="120/h", method="POST", block=True)
def support(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    remontee, network_ids = _visible_or_404(request, pk)
    active = request.POST.get("actif") == "1"
    actions.set_support(user=request.user, remontee=remontee, active=active)
    if request.htmx:
        mark_supports(request.user, [remontee], network_ids)
        return render(request, "remontees/_support.html", {"remontee": remontee})
    return redirect(safe_next_url(request, request.POST.get("next"), remontee.get_absolute_url()))


@require_POST
@login_required
@ratelimit(key="user", rate="300/h", method="POST", block=True)
def set_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    remontee, _network_ids = _visible_or_404(request, pk)
    if not can_set_status(request.user, remontee):
        raise PermissionDenied(_("Réservé aux responsables de cette organisation."))
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un statut dans la liste."))
        return redirect(remontee)
    try:
        change = actions.set_remontee_status(
            actor=request.user,
            remontee=remontee,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Statut changé : %(status)s. L'auteur en est informé.")
            % {"status": change.get_to_status_display()},
        )
    return redirect(remontee)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def write_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    remontee, _network_ids = _visible_or_404(request, pk)
    if not can_write_summary(request.user, remontee):
        raise PermissionDenied(_("Réservé aux responsables de cette organisation."))
    summary = PublicSummary.objects.filter(remontee=remontee).first()
    initial = {"title": summary.title, "body": summary.body} if summary else {}
    form = SummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            written = actions.write_public_summary(
                actor=request.user,
                remontee=remontee,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Synthèse envoyée : elle sera publique une fois relue par la modération."),
            )
            _masked_warning(request, written.masked_items)
            return redirect(remontee)
    title = _("Synthèse publique")
    return render(
        request,
        "remontees/summary_form.html",
        {
            "form": form,
            "remontee": remontee,
            "summary": summary,
            "title": title,
            "breadcrumb": _breadcrumb((remontee.title, remontee.get_absolute_url()), (title, None)),
        },
        status=400 if form.errors else 200,
    )


@require_safe
@login_required
def steering(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers and steering: published remontées by organisation, network and theme."""
    if not can_steer_remontees(request.user):
        raise PermissionDenied(_("Réservé aux responsables et au pilotage."))
    managed = managed_remontees(request.user)
    form = FilterForm(
        request.GET or None,
        networks=Network.objects.order_by("name"),
        organisations=Organisation.objects.only("id", "name", "public_name")
        .filter(pk__in=managed.values("organisation_id"))
        .order_by("name"),
    )
    filters = form.filters()
    queryset = managed.filter(**{k: v for k, v in filters.items() if k != "status"})
    tables = steering_tables(queryset)
    total, status_counts = counts_by_status(queryset, selected=filters.get("status"))
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    page = _page(
        request,
        queryset.select_related("organisation", "network"),
        SORT_ORDERINGS[form.sort()],
    )
    title = _("Pilotage des remontées")
    return render(
        request,
        "remontees/steering.html",
        {
            "form": form,
            "page": page,
            "total": total,
            "status_counts": status_counts,
            "tables": tables,
            "title": title,
            "breadcrumb": _breadcrumb((title, None)),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def public_summaries(request: HttpRequest) -> HttpResponse:
    """What organisations chose to say in public about their agents' remontées."""
    form = PublicFilterForm(request.GET or None)
    queryset = PublicSummary.objects.published().filter(**form.filters())
    page = _page(
        request,
        queryset.select_related("network", "remontee__organisation"),
        ["-published_at", "-id"],
    )
    title = _("Ce que les agents font remonter")
    return render(
        request,
        "remontees/public.html",
        {
            "form": form,
            "page": page,
            "themes": Theme,
            "title": title,
            "breadcrumb": [(title, None)],
        },
        status=400 if form.errors else 200,
    )
