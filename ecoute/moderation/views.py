from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoute.common.pagination import keyset_paginate

from .models import ModerationLogEntry
from .permissions import can_read_moderation_log


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
