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

from ecoute.common.http import HtmxHttpRequest
from ecoute.common.pagination import keyset_paginate

from . import actions
from .forms import ReportDecisionForm, ReportForm
from .models import ModerationLogEntry
from .permissions import can_read_moderation_log, can_report, ensure_can_moderate
from .queries import open_reports, reports_with_counts, with_targets
from .reporting import reportable_by_key


@require_safe
@login_required
def journal(request: HttpRequest) -> HttpResponse:
    if not can_read_moderation_log(request.user):
        raise PermissionDenied(_("Réservé aux modérateurs."))
    page = keyset_paginate(
        ModerationLogEntry.objects.select_related("actor", "content_type"),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("apres"),
        size=50,
    )
    return render(
        request,
        "moderation/journal.html",
        {
            "page": page,
            "title": _("Journal de modération"),
            "breadcrumb": [(_("Journal de modération"), None)],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="20/h", method="POST", block=True)
def report(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    reportable = reportable_by_key(key)
    if reportable is None:
        raise Http404
    target = get_object_or_404(reportable.queryset(), pk=pk)
    if not reportable.is_visible(request.user, target):
        raise Http404
    if not can_report(request.user):
        raise PermissionDenied(_("Confirmez votre adresse électronique avant de signaler."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_content(
                reporter=request.user,  # type: ignore[arg-type]
                target=target,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Merci pour votre signalement. La modération va l'examiner ; le contenu "
                    "reste visible d'ici là."
                ),
            )
            return redirect(reportable.url(target))
    title = _("Signaler un contenu")
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "target_title": reportable.describe(target),
            "target_label": reportable.label,
            "target_url": reportable.url(target),
            "title": title,
            "breadcrumb": [(reportable.describe(target), reportable.url(target)), (title, None)],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@login_required
def report_queue(request: HttpRequest) -> HttpResponse:
    ensure_can_moderate(request.user)
    page = keyset_paginate(
        open_reports(), ordering=["created_at", "id"], cursor=request.GET.get("apres"), size=20
    )
    page.items = with_targets(page.items)
    return render(
        request,
        "moderation/reports.html",
        {
            "page": page,
            "title": _("Signalements"),
            "breadcrumb": [
                (_("Modération"), reverse("experiences:moderation_queue")),
                (_("Signalements"), None),
            ],
        },
    )


@require_POST
@login_required
@ratelimit(key="user", rate="600/h", method="POST", block=True)
def decide_report(request: HtmxHttpRequest, pk: int, decision: str) -> HttpResponse:
    ensure_can_moderate(request.user)
    report_row = get_object_or_404(reports_with_counts(), pk=pk)
    form = ReportDecisionForm(request.POST)
    error = done = None
    if not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        note = form.cleaned_data["note"]
        try:
            if decision == "uphold":
                closed = actions.uphold_report(actor=request.user, report=report_row, reason=note)  # type: ignore[arg-type]
                done = ngettext(
                    "Contenu masqué, %(n)s signalement retenu.",
                    "Contenu masqué, %(n)s signalements retenus.",
                    closed,
                ) % {"n": closed}
            else:
                closed = actions.dismiss_report(actor=request.user, report=report_row, note=note)  # type: ignore[arg-type]
                done = ngettext(
                    "%(n)s signalement classé sans suite.",
                    "%(n)s signalements classés sans suite.",
                    closed,
                ) % {"n": closed}
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "moderation/reports.html#row",
            {"row": with_targets([report_row])[0], "error": error, "done": done},
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done or "")
    return redirect("moderation:reports")
