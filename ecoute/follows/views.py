from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.accounts.models import User
from ecoute.catalogue.models import ContactPoint
from ecoute.catalogue.permissions import is_agent
from ecoute.common.http import safe_next_url
from ecoute.common.pagination import keyset_paginate
from ecoute.experiences.models import Experience
from ecoute.experiences.permissions import can_view_experience

from . import actions
from .forms import NotificationSettingsForm
from .queries import follows_of, settings_for
from .templatetags.follows import state_for
from .tokens import InvalidToken, Scope, read_token


def _target(kind: str, pk: int) -> ContactPoint | Experience:
    if kind == "service":
        return get_object_or_404(ContactPoint, pk=pk)
    if kind == "experience":
        return get_object_or_404(Experience, pk=pk)
    raise Http404


def _back(
    request: AuthenticatedHttpRequest, kind: str, pk: int, *, following: bool
) -> HttpResponse:
    target = _target(kind, pk)
    if request.htmx:
        return render(
            request,
            "follows/_follow_button.html",
            {"target": target, "state": state_for(request.user, target)},
        )
    if following:
        messages.success(
            request,
            _("Vous suivez « %(name)s ». Réglez vos e-mails dans vos préférences.")
            % {"name": target},
        )
    else:
        messages.success(request, _("Vous ne suivez plus « %(name)s ».") % {"name": target})
    return redirect(safe_next_url(request, request.POST.get("next"), reverse("follows:list")))


@require_POST
@login_required
@ratelimit(key="user", rate="120/h", method="POST", block=True)
def follow(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(kind, pk)
    if isinstance(target, Experience) and not can_view_experience(request.user, target):
        raise Http404  # do not reveal that a pending or hidden experience exists
    actions.follow_target(user=request.user, target=target)
    return _back(request, kind, pk, following=True)


@require_POST
@login_required
@ratelimit(key="user", rate="120/h", method="POST", block=True)
def unfollow(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    actions.unfollow_target(user=request.user, target=_target(kind, pk))
    return _back(request, kind, pk, following=False)


@require_safe
@login_required
def follow_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = keyset_paginate(
        follows_of(request.user),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("apres"),
        size=25,
    )
    return render(
        request,
        "follows/list.html",
        {
            "page": page,
            "preferences": settings_for(request.user),
            "title": _("Mes abonnements"),
            "breadcrumb": [
                (_("Mon compte"), reverse("accounts:profile")),
                (_("Mes abonnements"), None),
            ],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = settings_for(request.user)
    form = NotificationSettingsForm(
        request.POST or None,
        initial={
            "service_frequency": current.service_frequency,
            "experience_emails": current.experience_emails,
            "agent_alerts": current.agent_alerts,
        },
        is_agent=is_agent(request.user),
    )
    if request.method == "POST" and form.is_valid():
        actions.update_notification_settings(
            user=request.user,
            experience_emails=form.cleaned_data["experience_emails"],
            service_frequency=form.cleaned_data["service_frequency"],
            agent_alerts=form.cleaned_data.get("agent_alerts"),
        )
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("follows:preferences")
    return render(
        request,
        "follows/preferences.html",
        {
            "form": form,
            "title": _("Mes e-mails de suivi"),
            "breadcrumb": [
                (_("Mon compte"), reverse("accounts:profile")),
                (_("Mes abonnements"), reverse("follows:list")),
                (_("Mes e-mails de suivi"), None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


SCOPE_LABELS = {
    Scope.EXPERIENCES: _("les e-mails sur les expériences que vous suivez"),
    Scope.SERVICES: _("les e-mails et résumés sur les services que vous suivez"),
    Scope.AGENT_ALERTS: _("les alertes sur les nouvelles expériences de vos organisations"),
}


# One-click unsubscribe (RFC 8058): mail clients POST without a session or CSRF token; the
# signed token is the authorisation, and unsubscribing twice is harmless.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate="60/h", method="POST", block=True)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    context: dict[str, object] = {"title": _("Se désabonner"), "token": token}
    try:
        request_data = read_token(token)
        user = User.objects.get(pk=request_data.user_id)
    except (InvalidToken, User.DoesNotExist):
        context["error"] = _(
            "Ce lien de désabonnement n'est pas valide. Copiez le lien complet reçu par e-mail, "
            "ou réglez vos e-mails dans « Mes abonnements » une fois connecté."
        )
        return render(request, "follows/unsubscribe.html", context, status=400)
    context["what"] = SCOPE_LABELS[request_data.scope]
    if request.method == "POST":
        actions.unsubscribe(user=user, scope=request_data.scope)
        context["done"] = True
    return render(request, "follows/unsubscribe.html", context)
