"""Account self-service pages: forgotten password, change password and address, download one's
data, delete the account. The "Mon compte" menu (views.profile) links to each of them."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from . import actions
from .http import AuthenticatedHttpRequest
from .oidc import REAUTH_MAX_AGE, recently_signed_in_with_franceconnect
from .permissions import account_deletion_refusals
from .personal_data import export_personal_data
from .selfservice_forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)


def _posted_email(group: str, request: HttpRequest) -> str:
    """Rate-limit key: the address as the account would match it (case and spaces folded), so
    `Jeanne@Example.org ` shares the bucket of `jeanne@example.org`."""
    return actions.normalise_email(request.POST.get("email", ""))


@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=True), name="post")
@method_decorator(ratelimit(key=_posted_email, rate="3/h", method="POST", block=True), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Same answer whether or not the address has an account (Django sends only to existing,
    active accounts and always redirects to the "done" page)."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": gettext_lazy("Mot de passe oublié")}

    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {"site_url": settings.ECOUTE_SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": gettext_lazy("Vérifiez votre messagerie")}


@method_decorator(ratelimit(key="ip", rate="30/h", method="POST", block=True), name="post")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": gettext_lazy("Nouveau mot de passe")}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"title": gettext_lazy("Mot de passe modifié")}


@method_decorator(ratelimit(key="user", rate="10/h", method="POST", block=True), name="post")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Keeps this session signed in (Django updates its hash); other sessions end."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    extra_context = {
        "title": gettext_lazy("Changer de mot de passe"),
        "breadcrumb": [(gettext_lazy("Mon compte"), reverse_lazy("accounts:profile"))],
    }

    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Votre mot de passe est modifié."))
        return response


def _account_breadcrumb(title: str) -> list[tuple[str, str | None]]:
    return [(_("Mon compte"), reverse("accounts:profile")), (title, None)]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="5/h", method="POST", block=True)
def change_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailChangeForm(
        request.POST or None,
        user=request.user,
        recently_reauthenticated=recently_signed_in_with_franceconnect(request, request.user),
    )
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        actions.request_email_change(user=request.user, new_email=new_email)
        messages.info(
            request,
            _(
                "Un lien de confirmation a été envoyé à %(email)s. Votre adresse actuelle reste "
                "celle du compte tant que ce lien n'est pas ouvert."
            )
            % {"email": new_email},
        )
        return redirect("accounts:profile")
    title = _("Changer d'adresse électronique")
    return render(
        request,
        "accounts/email_change.html",
        {
            "form": form,
            "title": title,
            "breadcrumb": _account_breadcrumb(title),
            "reauth_minutes": REAUTH_MAX_AGE // 60,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def confirm_email_change(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = actions.confirm_email_change(token=token)
    except actions.InvalidConfirmation as error:
        message = {
            "expired": _("Ce lien a expiré. Demandez à nouveau le changement d'adresse."),
            "taken": _("Cette adresse est désormais utilisée par un autre compte."),
        }.get(str(error), _("Ce lien n'est pas valide (il a peut-être déjà servi)."))
        return render(
            request,
            "accounts/confirm_failed.html",
            {"title": _("Confirmation impossible"), "message": message},
            status=400,
        )
    messages.success(request, _("Votre adresse est maintenant %(email)s.") % {"email": user.email})
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


@require_safe
@login_required
@ratelimit(key="user", rate="20/h", block=True)
def export_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All one's data as a JSON file (right of access and portability)."""
    data = export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"ecoute-mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    title = _("Supprimer mon compte")
    context: dict[str, object] = {
        "title": title,
        "breadcrumb": _account_breadcrumb(title),
        "reauth_minutes": REAUTH_MAX_AGE // 60,
    }
    refusals = account_deletion_refusals(request.user)
    if refusals:
        context["refusals"] = refusals
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/delete_account.html", context, status=status)
    form = DeleteAccountForm(
        request.POST or None,
        user=request.user,
        recently_reauthenticated=recently_signed_in_with_franceconnect(request, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.delete_account(user=request.user, keep_contributions=form.keep_contributions)
        except actions.AccountDeletionRefused as error:
            context["refusals"] = [str(error)]
            return render(request, "accounts/delete_account.html", context, status=403)
        logout(request)
        messages.success(request, _("Votre compte est supprimé. Merci d'avoir participé."))
        return redirect("ui:home")
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete_account.html", context, status=status)
