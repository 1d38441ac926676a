"""Public pages of consultations: the list, a consultation, its participants, its results, the
agenda and its iCalendar feeds. Organisers build consultations in the admin."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.common.http import safe_next_url
from ecoute.common.pagination import keyset_paginate

from . import actions
from .agenda import AgendaHalf, agenda, agenda_pages, phase_entry
from .forms import ConsultationFilterForm, ListedForm
from .ical import calendar_bytes
from .models import Consultation, Participation, PhaseKind
from .parts import parts_of
from .permissions import can_manage_consultations, participation_refusal, visible_consultations
from .queries import ConsultationFilters, for_list, participant_count

PAGE_SIZE = 20
DRAFTS_SHOWN = 20
PARTICIPANTS_PAGE_SIZE = 50
ICAL_TYPE = "text/calendar; charset=utf-8"


def _breadcrumb(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Consultations"), reverse("consultations:list")), *items]


def _filter_form(request: HttpRequest) -> ConsultationFilterForm:
    return ConsultationFilterForm(request.GET or None)


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    """The consultation if the visitor may see it (drafts: organisers only), else 404."""
    return get_object_or_404(
        for_list(visible_consultations(request.user)).prefetch_related("phases"), slug=slug
    )


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    filters = form.filters()
    published = Consultation.objects.published().filter(filters.condition())
    page = keyset_paginate(
        for_list(published),
        ordering=["-published_at", "-id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=PAGE_SIZE,
    )
    drafts: list[Consultation] = []
    if can_manage_consultations(request.user) and not filters.status:
        unpublished = Consultation.objects.filter(published_at__isnull=True)
        drafts = list(
            for_list(unpublished.filter(filters.condition())).order_by("-created_at", "-id")[
                :DRAFTS_SHOWN
            ]
        )
    title = _("Consultations")
    return render(
        request,
        "consultations/list.html",
        {
            "form": form,
            "page": page,
            "total": published.count(),
            "drafts": drafts,
            "filtered": filters != ConsultationFilters(),
            "title": title,
            "breadcrumb": [(title, None)],
        },
        status=400 if form.errors else 200,
    )


def _invitation(request: HttpRequest, consultation: Consultation) -> tuple[str, str]:
    """(absolute URL, mailto: link with a prefilled subject and body): the visitor's own
    e-mail program sends it, the server sends nothing."""
    url = request.build_absolute_uri(consultation.get_absolute_url())
    subject = _("Participez à la consultation « %(title)s »") % {"title": consultation.title}
    body = _(
        "Bonjour,\n\nJe vous invite à participer à la consultation « %(title)s » sur Écoute :\n"
        "%(url)s\n"
    ) % {"title": consultation.title, "url": url}
    return url, "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


@require_safe
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    today = timezone.localdate()
    phases = list(consultation.phases.all())
    open_now = any(p.kind == PhaseKind.PARTICIPATION and p.is_current(today) for p in phases)
    url, mailto = _invitation(request, consultation)
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "phases": [(phase, phase.is_current(today)) for phase in phases],
            "parts": parts_of(consultation),
            "refusal": participation_refusal(request.user, consultation, today),
            "needs_login": open_now and not request.user.is_authenticated,
            "can_manage": can_manage_consultations(request.user),
            "participants": participant_count(consultation),
            "share_url": url,
            "mailto": mailto,
            "title": consultation.title,
            "breadcrumb": _breadcrumb((consultation.title, None)),
        },
    )


@require_safe
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    page = keyset_paginate(
        Participation.objects.filter(consultation=consultation, is_listed=True).select_related(
            "user"
        ),
        ordering=["-first_at", "-id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=PARTICIPANTS_PAGE_SIZE,
    )
    own = None
    if request.user.is_authenticated:
        own = Participation.objects.filter(consultation=consultation, user=request.user).first()
    title = _("Participants")
    return render(
        request,
        "consultations/participants.html",
        {
            "consultation": consultation,
            "page": page,
            "count": participant_count(consultation),
            "own": own,
            "title": f"{title} — {consultation.title}",
            "breadcrumb": _breadcrumb(
                (consultation.title, consultation.get_absolute_url()), (title, None)
            ),
        },
    )


@require_POST
@login_required
def set_listed(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    if not Participation.objects.filter(consultation=consultation, user=request.user).exists():
        raise PermissionDenied(_("Vous n'avez pas participé à cette consultation."))
    form = ListedForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choix d'affichage invalide."), status=400)
    listed = form.cleaned_data["listed"]
    actions.set_listed(user=request.user, consultation=consultation, listed=listed)
    back = reverse("consultations:participants", args=[consultation.slug])
    messages.success(
        request,
        _("Votre pseudonyme est affiché dans la liste des participants.")
        if listed
        else _("Votre pseudonyme n'est plus affiché ; votre participation reste comptée."),
    )
    return redirect(safe_next_url(request, request.POST.get("retour"), back))


@require_safe
@login_required
def my_participations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The consultations the account took part in, each with its pseudonym's hide / show."""
    page = keyset_paginate(
        Participation.objects.filter(user=request.user).select_related(
            "consultation", "consultation__theme"
        ),
        ordering=["-first_at", "-id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=PARTICIPANTS_PAGE_SIZE,
    )
    title = _("Mes participations aux consultations")
    return render(
        request,
        "consultations/mine.html",
        {"page": page, "title": title, "breadcrumb": _breadcrumb((title, None))},
    )


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    published = consultation.results_published_at is not None
    title = _("Résultats")
    return render(
        request,
        "consultations/results.html",
        {
            "consultation": consultation,
            "published": published,
            "parts": parts_of(consultation) if published else [],
            "participants": participant_count(consultation) if published else 0,
            "title": f"{title} — {consultation.title}",
            "breadcrumb": _breadcrumb(
                (consultation.title, consultation.get_absolute_url()), (title, None)
            ),
        },
        status=200 if published else 404,
    )


def _page_number(request: HttpRequest, name: str) -> int:
    """A page number from the query string; anything else is page 1 (a stale or edited link
    still shows the agenda)."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 4 else 1


def _pager(request: HttpRequest, half: AgendaHalf, name: str) -> dict[str, str]:
    """Links to the previous and next page of one half: the filters and the other half's page
    stay as they are, and the link lands on the half's heading."""

    def link(page: int) -> str:
        query = request.GET.copy()
        query[name] = str(page)
        return f"?{query.urlencode()}#{name}"

    return {
        "previous": link(half.page - 1) if half.has_previous else "",
        "next": link(half.page + 1) if half.has_next else "",
    }


@require_safe
def agenda_page(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    upcoming, past = agenda_pages(
        form.filters(),
        upcoming_page=_page_number(request, "a_venir"),
        past_page=_page_number(request, "passe"),
    )
    title = _("Agenda")
    query = request.GET.copy()  # the feed follows the filters, not the pages
    for name in ("a_venir", "passe"):
        query.pop(name, None)
    return render(
        request,
        "consultations/agenda.html",
        {
            "form": form,
            "upcoming": upcoming,
            "past": past,
            "upcoming_pager": _pager(request, upcoming, "a_venir"),
            "past_pager": _pager(request, past, "passe"),
            "today": timezone.localdate(),
            "ics_url": reverse("consultations:agenda_ics")
            + (f"?{query.urlencode()}" if query else ""),
            "title": title,
            "breadcrumb": [(title, None)],
        },
        status=400 if form.errors else 200,
    )


def _ical_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICAL_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def agenda_ics(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    if form.errors:
        return HttpResponse(_("Filtres invalides."), status=400)
    upcoming, past = agenda(form.filters())
    body = calendar_bytes(
        [*upcoming, *past], name=_("Agenda d'Écoute"), site_url=settings.ECOUTE_SITE_URL
    )
    return _ical_response(body, "agenda.ics")


@require_safe
def consultation_ics(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    phases = list(consultation.phases.all())
    for phase in phases:
        phase.consultation = consultation  # already loaded with its theme and départements
    body = calendar_bytes(
        [phase_entry(phase) for phase in phases],
        name=consultation.title,
        site_url=settings.ECOUTE_SITE_URL,
    )
    return _ical_response(body, f"{consultation.slug}.ics")
