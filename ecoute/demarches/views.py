"""Pages of the observatory: the table (and its CSV), a démarche, its feedback form ("Je donne
mon avis", no account, no JavaScript), the moments de vie, and the proposals of démarches."""

import csv
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.common.http import client_ip
from ecoute.common.pagination import keyset_paginate

from . import actions, indicators
from .difficulties import difficulty_counts, visible_difficulties
from .forms import (
    SORT_SATISFACTION,
    SORT_VOLUME,
    AcceptForm,
    DeclineForm,
    FeedbackForm,
    ObservatoryFilterForm,
    ProposalForm,
)
from .models import (
    Demarche,
    FeedbackComment,
    MomentDeVie,
    Proposal,
    ProposalStatus,
    Satisfaction,
)
from .permissions import can_decide_proposal, can_propose, can_see_embed, can_view_proposal
from .queries import LEVEL_ORDER, Row, level_counts, min_reviews, observatory_rows

# The State's observatory follows ~250 démarches: the table reads at most this many (filtered),
# computes their figures in two queries and pages them in memory.
MAX_DEMARCHES = 500
TABLE_PAGE_SIZE = 50
COMMENTS_SHOWN = 20
PAGE_SIZE = 20
GENERATED_MARK = "données de démonstration générées"


def _breadcrumb(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Démarches en ligne"), reverse("demarches:list")), *items]


def _administrations() -> list[str]:
    return list(
        Demarche.objects.order_by("administration")
        .values_list("administration", flat=True)
        .distinct()[:MAX_DEMARCHES]
    )


def _sorted_rows(form: ObservatoryFilterForm) -> list[Row]:
    demarches = list(
        Demarche.objects.filter(**form.filters())
        .select_related("network")
        .order_by("name", "id")[:MAX_DEMARCHES]
    )
    rows = observatory_rows(demarches)
    sort = form.sort()
    if sort == SORT_SATISFACTION:
        rows.sort(key=lambda row: -(row.stats.score if row.stats.score is not None else -1))
    elif sort == SORT_VOLUME:
        rows.sort(key=lambda row: -(row.demarche.annual_volume or -1))
    return rows


def _filter_form(request: HttpRequest) -> ObservatoryFilterForm:
    return ObservatoryFilterForm(request.GET or None, administrations=_administrations())


@require_safe
def observatory(request: HttpRequest) -> HttpResponse:
    """Every followed démarche with each indicator's value and level."""
    form = _filter_form(request)
    rows = _sorted_rows(form)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    start = (number - 1) * TABLE_PAGE_SIZE
    title = _("Observatoire des démarches en ligne")
    return render(
        request,
        "demarches/list.html",
        {
            "form": form,
            "rows": rows[start : start + TABLE_PAGE_SIZE],
            "total": len(rows),
            "page_number": number,
            "has_next": start + TABLE_PAGE_SIZE < len(rows),
            "headers": [indicators.DEFINITIONS[code] for code in indicators.ORDER],
            "any_generated": any(row.generated for row in rows),
            "summary": level_counts(rows),
            "levels": LEVEL_ORDER,
            "min_reviews": min_reviews(),
            "title": title,
            "breadcrumb": [(title, None)],
        },
        status=400 if form.errors else 200,
    )


@require_safe
def observatory_csv(request: HttpRequest) -> HttpResponse:
    """The table as CSV (semicolon-separated, UTF-8 with BOM for spreadsheets)."""
    rows = _sorted_rows(_filter_form(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="observatoire-demarches.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    header = ["demarche", "administration", "adresse", "volumetrie_annuelle", "avis_12_mois"]
    for code in indicators.ORDER:
        header += [f"{code}_valeur", f"{code}_niveau"]
    writer.writerow([*header, "donnees_generees"])
    for row in rows:
        line: list[object] = [
            row.demarche.name,
            row.demarche.administration,
            row.demarche.url,
            row.demarche.annual_volume or "",
            row.stats.count,
        ]
        for cell in row.cells:
            value = "" if cell.value is None else cell.value
            if isinstance(value, bool):
                value = "oui" if value else "non"
            line += [value, cell.level.value]
        writer.writerow([*line, "oui" if row.generated else "non"])
    return response


@require_safe
def demarche_detail(request: HttpRequest, slug: str) -> HttpResponse:
    demarche = get_object_or_404(
        Demarche.objects.select_related("network").prefetch_related("moments"), slug=slug
    )
    row = observatory_rows([demarche])[0]
    comments = list(
        FeedbackComment.objects.published()
        .filter(demarche=demarche)
        .select_related("feedback")
        .order_by("-published_at", "-id")[:COMMENTS_SHOWN]
    )
    feedback_url = request.build_absolute_uri(reverse("demarches:feedback", args=[slug]))
    return render(
        request,
        "demarches/detail.html",
        {
            "demarche": demarche,
            "row": row,
            "definitions": indicators.DEFINITIONS,
            "comments": comments,
            "difficulty_count": difficulty_counts([demarche.pk]).get(demarche.pk, 0),
            "difficulties": visible_difficulties([demarche.pk], request.user),
            "show_embed": can_see_embed(request.user, demarche),
            "feedback_url": feedback_url,
            "satisfaction_choices": Satisfaction.choices,
            "min_reviews": min_reviews(),
            "title": demarche.name,
            "breadcrumb": _breadcrumb((demarche.name, None)),
        },
    )


def daily_address_key(group: str, request: HttpRequest) -> str:
    """Rate-limit key of a feedback sender without keeping their address: the client address
    hashed with a salt that changes every day (derived from SECRET_KEY), so that the key
    cannot be linked to an address nor to the same sender another day. The cache holds it
    at most an hour; nothing is written to the database."""
    salt = salted_hmac("ecoute.demarches.feedback", timezone.localdate().isoformat()).hexdigest()
    return hashlib.sha256(f"{salt}:{client_ip(request)}".encode()).hexdigest()


def _per_demarche_key(group: str, request: HttpRequest) -> str:
    slug = request.resolver_match.kwargs.get("slug", "") if request.resolver_match else ""
    return f"{daily_address_key(group, request)}:{slug}"


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key=_per_demarche_key, rate="20/h", method="POST", block=True)
@ratelimit(key=daily_address_key, rate="60/h", method="POST", block=True)
def give_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """« Je donne mon avis »: no account, no JavaScript. A GET may carry `satisfaction` (the
    embedded snippet's smileys submit it): it only pre-fills the form; nothing is stored
    before the visitor sends it from this page, with this site's CSRF token."""
    demarche = get_object_or_404(Demarche, slug=slug)
    if request.method == "POST":
        form = FeedbackForm(request.POST)
    else:
        initial = {}
        if request.GET.get("satisfaction") in Satisfaction.values:
            initial["satisfaction"] = request.GET["satisfaction"]
        form = FeedbackForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = actions.submit_feedback(
                demarche=demarche,
                satisfaction=data["satisfaction"],
                clarity=data["clarity"],
                help=data["help"],
                comment=data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            comment = getattr(feedback, "comment", None)
            if comment is not None and comment.masked_items:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d donnée personnelle a été masquée dans votre commentaire.",
                        "%(n)d données personnelles ont été masquées dans votre commentaire.",
                        comment.masked_items,
                    )
                    % {"n": comment.masked_items},
                )
            query = "?commentaire=1" if comment is not None else ""
            return redirect(reverse("demarches:thanks", args=[slug]) + query)
    title = _("Je donne mon avis")
    return render(
        request,
        "demarches/feedback.html",
        {
            "demarche": demarche,
            "form": form,
            "title": title,
            "breadcrumb": _breadcrumb((demarche.name, demarche.get_absolute_url()), (title, None)),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def feedback_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    demarche = get_object_or_404(Demarche, slug=slug)
    title = _("Merci pour votre avis")
    return render(
        request,
        "demarches/thanks.html",
        {
            "demarche": demarche,
            "with_comment": request.GET.get("commentaire") == "1",
            "title": title,
            "breadcrumb": _breadcrumb((demarche.name, demarche.get_absolute_url()), (title, None)),
        },
    )


# --- Moments de vie ------------------------------------------------------------------------


@require_safe
def moments(request: HttpRequest) -> HttpResponse:
    moments = MomentDeVie.objects.annotate(demarche_count=Count("demarches")).order_by("number")
    title = _("Les moments de vie")
    return render(
        request,
        "demarches/moments.html",
        {"moments": moments, "title": title, "breadcrumb": [(title, None)]},
    )


@require_safe
def moment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A moment de vie: its démarches with their indicators, the services behind them, and the
    irritants raised about them (published feedback comments, agents' difficulties)."""
    moment = get_object_or_404(MomentDeVie, slug=slug)
    demarches = list(
        moment.demarches.select_related("network").order_by("name", "id")[:MAX_DEMARCHES]
    )
    ids = [demarche.pk for demarche in demarches]
    rows = observatory_rows(demarches)
    networks = sorted(
        {demarche.network.name for demarche in demarches if demarche.network is not None}
    )
    administrations = sorted({demarche.administration for demarche in demarches})
    comments = list(
        FeedbackComment.objects.published()
        .filter(demarche_id__in=ids)
        .select_related("demarche")
        .order_by("-published_at", "-id")[:COMMENTS_SHOWN]
    )
    counts = difficulty_counts(ids)
    title = moment.name
    return render(
        request,
        "demarches/moment.html",
        {
            "moment": moment,
            "rows": rows,
            "headers": [indicators.DEFINITIONS[code] for code in indicators.ORDER],
            "any_generated": any(row.generated for row in rows),
            "summary": level_counts(rows),
            "levels": LEVEL_ORDER,
            "networks": networks,
            "administrations": administrations,
            "comments": comments,
            "difficulty_total": sum(counts.values()),
            "difficulties": visible_difficulties(ids, request.user),
            "min_reviews": min_reviews(),
            "title": title,
            "breadcrumb": [(_("Les moments de vie"), reverse("demarches:moments")), (title, None)],
        },
    )


# --- Proposals -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_propose(request.user):
        raise PermissionDenied(_("Confirmez d'abord votre adresse électronique."))
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.propose_demarche(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Proposition envoyée. Elle sera publiée une fois relue par la modération."),
            )
            return redirect(proposal)
    title = _("Proposer une démarche à suivre")
    return render(
        request,
        "demarches/propose.html",
        {"form": form, "title": title, "breadcrumb": _breadcrumb((title, None))},
        status=400 if form.errors else 200,
    )


@require_safe
def proposals(request: HttpRequest) -> HttpResponse:
    page = keyset_paginate(
        Proposal.objects.published().select_related("demarche"),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=PAGE_SIZE,
    )
    title = _("Démarches proposées par les usagers")
    return render(
        request,
        "demarches/proposals.html",
        {
            "page": page,
            "can_propose": request.user.is_authenticated,
            "title": title,
            "breadcrumb": _breadcrumb((title, None)),
        },
    )


@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("demarche"), pk=pk)
    if not can_view_proposal(request.user, proposal):
        raise PermissionDenied(_("Cette proposition n'est pas publiée."))
    decides = can_decide_proposal(request.user) and proposal.status == ProposalStatus.PROPOSED
    return render(
        request,
        "demarches/proposal.html",
        _proposal_context(proposal, decides, AcceptForm() if decides else None, None),
    )


def _proposal_context(
    proposal: Proposal, decides: bool, accept: Any, decline: Any
) -> dict[str, Any]:
    return {
        "proposal": proposal,
        "decides": decides,
        "accept_form": accept or AcceptForm(),
        "decline_form": decline or DeclineForm(),
        "title": proposal.name,
        "breadcrumb": _breadcrumb(
            (_("Démarches proposées par les usagers"), reverse("demarches:proposals")),
            (proposal.name, None),
        ),
    }


@require_POST
@login_required
def decide_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An administrator accepts (creating the démarche) or declines a proposal."""
    proposal = get_object_or_404(Proposal, pk=pk)
    if not can_decide_proposal(request.user):
        raise PermissionDenied(_("Réservé aux administrateurs."))
    accepting = request.POST.get("decision") == "accepter"
    form: AcceptForm | DeclineForm = (
        AcceptForm(request.POST) if accepting else DeclineForm(request.POST)
    )
    if form.is_valid():
        try:
            if accepting:
                demarche = actions.accept_proposal(
                    actor=request.user, proposal=proposal, **form.cleaned_data
                )
                messages.success(
                    request, _("Démarche créée : complétez-la (réseau, moments de vie, mesures).")
                )
                return redirect(demarche)
            actions.decline_proposal(actor=request.user, proposal=proposal, **form.cleaned_data)
            messages.success(request, _("Proposition non retenue, motif publié."))
            return redirect(proposal)
        except ValidationError as error:
            form.add_error(None, error)
    context = _proposal_context(
        proposal, True, form if accepting else None, None if accepting else form
    )
    return render(request, "demarches/proposal.html", context, status=400)
