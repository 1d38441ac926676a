"""An author's own experiences: "Mes contributions" (in the account), edit, withdraw."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.accounts.models import User
from ecoute.common.pagination import keyset_paginate

from . import actions
from .forms import ExperienceForm
from .models import RATING_FIELDS, Experience
from .permissions import (
    can_edit_experience,
    can_view_experience,
    can_withdraw_experience,
    experiences_by_author,
)
from .queries import with_answers


def _account_breadcrumb(*crumbs: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Mon compte"), reverse("accounts:profile")), *crumbs]


@require_safe
@login_required
def my_contributions(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = keyset_paginate(
        with_answers(experiences_by_author(request.user)),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("apres"),
        size=20,
    )
    for experience in page.items:
        experience.can_edit = can_edit_experience(request.user, experience)
    title = _("Mes contributions")
    return render(
        request,
        "experiences/my_contributions.html",
        {"page": page, "title": title, "breadcrumb": _account_breadcrumb((title, None))},
    )


def _own_experience(
    request: AuthenticatedHttpRequest,
    pk: int,
    allowed: Callable[[User | AnonymousUser, Experience], bool],
) -> Experience:
    """404 for what the user may not even see, 403 for what they see but may not change."""
    experience = get_object_or_404(
        Experience.objects.select_related("contact_point", "network"), pk=pk
    )
    if not can_view_experience(request.user, experience):
        raise Http404
    if not allowed(request.user, experience):
        raise PermissionDenied(_("Seul l'auteur peut modifier ou retirer son expérience."))
    return experience


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="20/h", method="POST", block=True)
def edit_experience(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    experience = _own_experience(request, pk, can_edit_experience)
    initial = {
        "occurred_on": experience.occurred_on,
        "channel": experience.channel,
        "sentiment": experience.sentiment,
        "title": experience.title,
        "body": experience.body,
        **{name: getattr(experience, name) for name in RATING_FIELDS},
    }
    form = ExperienceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_experience(
                actor=request.user,
                experience=experience,
                occurred_on=form.cleaned_data["occurred_on"],
                channel=form.cleaned_data["channel"],
                sentiment=form.cleaned_data["sentiment"],
                ratings=form.ratings(),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Votre expérience est modifiée : elle sera republiée après relecture."),
            )
            return redirect(experience.get_absolute_url())
    title = _("Modifier mon expérience")
    return render(
        request,
        "experiences/edit.html",
        {
            "experience": experience,
            "form": form,
            "title": title,
            "breadcrumb": _account_breadcrumb(
                (_("Mes contributions"), reverse("experiences:my_contributions")), (title, None)
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="20/h", method="POST", block=True)
def withdraw_experience(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    experience = _own_experience(request, pk, can_withdraw_experience)
    if request.method == "POST":
        actions.withdraw_experience(actor=request.user, experience=experience)
        messages.success(request, _("Votre expérience est retirée et supprimée."))
        return redirect("experiences:my_contributions")
    title = _("Retirer mon expérience")
    return render(
        request,
        "experiences/withdraw.html",
        {
            "experience": experience,
            "title": title,
            "breadcrumb": _account_breadcrumb(
                (_("Mes contributions"), reverse("experiences:my_contributions")), (title, None)
            ),
        },
    )
