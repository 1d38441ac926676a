from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.common.http import safe_next_url
from ecoute.common.pagination import keyset_paginate

from . import actions, editing
from .editing import editable_texts
from .forms import BulkDecisionForm, QueueFilterForm, ReportForm
from .models import QUEUE_ORDER, TRASH_ORDER, ModerationItem, ModerationLogEntry, ModerationState
from .permissions import can_read_moderation_log, can_report, ensure_can_moderate
from .queries import open_reports_on, queue_counts, queue_items, trash_items, with_item_targets
from .registry import all_moderated, choices_for, queue_links
from .reporting import reportable_by_key

QUEUE_PAGE_SIZE = 20
TRASH_PAGE_SIZE = 50


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
def reports(request: HttpRequest) -> HttpResponse:
    """The former reports page: the queue's "Signalés seulement" filter does its work now
    (the item's page lists the reports and decides). Its queue filters are kept; its own page
    cursor (report order) means nothing in the queue and is dropped."""
    query = QueryDict(mutable=True)
    for name in QueueFilterForm.base_fields:
        if name != "signale" and request.GET.get(name):
            query[name] = request.GET[name]
    query["signale"] = "on"
    return HttpResponsePermanentRedirect(f"{reverse('moderation:queue')}?{query.urlencode()}")


# --- The moderation queue (every kind of contribution), its decisions, the public trash -----


def _queue_filter_form(data: Any) -> QueueFilterForm:
    return QueueFilterForm(
        data,
        kinds=[(m.key, str(m.label_plural).capitalize()) for m in all_moderated()],
        networks=choices_for("network"),
    )


def _render_queue(
    request: HttpRequest, decision_form: BulkDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    filter_form = _queue_filter_form(request.GET)
    if filter_form.is_valid():
        filters = filter_form.cleaned_data
    else:
        status = 400  # the valid filters still apply
        filters = {k: v for k, v in filter_form.cleaned_data.items() if k not in filter_form.errors}
    page = keyset_paginate(
        queue_items(filters, now=timezone.now()),
        ordering=QUEUE_ORDER,
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=QUEUE_PAGE_SIZE,
    )
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "rows": with_item_targets(page.items),
            "filter_form": filter_form,
            "decision_form": decision_form or BulkDecisionForm(),
            "counts": queue_counts(),
            "queue_links": [(label, reverse(name), t) for label, name, t in queue_links()],
            "states": ModerationState.choices,
            "title": _("File de modération"),
            "breadcrumb": [(_("Modération"), None)],
        },
        status=status,
    )


@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    ensure_can_moderate(request.user)
    return _render_queue(request)


@require_POST
@login_required
@ratelimit(key="user", rate="600/h", method="POST", block=True)
def decide(request: HttpRequest) -> HttpResponse:
    """Publish or hide the selected items (a bulk form; one item from its own page)."""
    ensure_can_moderate(request.user)
    form = BulkDecisionForm(request.POST)
    back = safe_next_url(request, request.POST.get("next"), reverse("moderation:queue"))
    if not form.is_valid():
        item_id = request.POST.get("from_item", "")
        if item_id.isdigit():  # the item's own page, with the error beside the field
            item = get_object_or_404(
                ModerationItem.objects.select_related("decided_by"), pk=item_id
            )
            return _render_item(request, item, form, status=400)
        return _render_queue(request, form, status=400)
    ids, reason = form.cleaned_data["items"], form.cleaned_data["reason"]
    if form.cleaned_data["decision"] == "publish":
        result = actions.bulk_publish(actor=request.user, item_ids=ids, reason=reason)  # type: ignore[arg-type]
        done = ngettext("%(n)s élément publié.", "%(n)s éléments publiés.", result.done)
    else:
        result = actions.bulk_hide(actor=request.user, item_ids=ids, reason=reason)  # type: ignore[arg-type]
        done = ngettext("%(n)s élément masqué.", "%(n)s éléments masqués.", result.done)
    if result.done:
        messages.success(request, done % {"n": result.done})
    for title, error in result.errors:
        messages.error(request, f"{title} : {error}")
    return redirect(back)


@require_safe
@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item in full, for a moderator: its text, its masks (editable), its decisions."""
    ensure_can_moderate(request.user)
    item = get_object_or_404(ModerationItem.objects.select_related("decided_by"), pk=pk)
    return _render_item(request, item)


def _render_item(
    request: HttpRequest,
    item: ModerationItem,
    decision_form: BulkDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    row = with_item_targets([item])[0]
    if row.target is None:
        raise Http404
    reports = open_reports_on(item)
    return render(
        request,
        "moderation/item.html",
        {
            "row": row,
            "item": item,
            "texts": editable_texts(item, row.target),
            "reports": reports,
            "decision_form": decision_form or BulkDecisionForm(),
            "title": item.title or row.label,
            "breadcrumb": [
                (_("Modération"), reverse("moderation:queue")),
                (item.title or row.label, None),
            ],
        },
        status=status,
    )


@require_safe
def trash(request: HttpRequest) -> HttpResponse:
    """The public trash: what was hidden, by title, with the reason and the date (never the
    hidden text), as on the Forum de l'action publique."""
    kinds = {m.key: m for m in all_moderated() if m.public_trash}
    kind = request.GET.get("type") or None
    if kind is not None and kind not in kinds:
        kind = None
    page = keyset_paginate(
        trash_items([kind] if kind else list(kinds)),
        ordering=TRASH_ORDER,
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=TRASH_PAGE_SIZE,
    )
    return render(
        request,
        "moderation/trash.html",
        {
            "page": page,
            "kinds": [(key, str(m.label_plural).capitalize()) for key, m in kinds.items()],
            "kind": kind,
            "labels": {key: str(m.label) for key, m in kinds.items()},
            "title": _("Corbeille"),
            "breadcrumb": [(_("Corbeille"), None)],
        },
    )


@require_POST
@login_required
@ratelimit(key="user", rate="600/h", method="POST", block=True)
def edit_masks(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle a span or mask a typed text, then back to the item's page."""
    ensure_can_moderate(request.user)
    item = get_object_or_404(ModerationItem, pk=pk)
    target = with_item_targets([item])[0].target
    if target is None:
        raise Http404
    toggle = request.POST.get("basculer")
    try:
        editing.edit_masks(
            actor=request.user,  # type: ignore[arg-type]
            target=target,
            field=request.POST.get("champ", ""),
            toggle=int(toggle) if toggle and toggle.isdigit() else None,
            add=request.POST.get("ajouter", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Texte public mis à jour."))
    return redirect("moderation:item", pk=item.pk)
