from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.common.http import safe_next_url

from . import actions
from .forms import LoginForm, ResendConfirmationForm, SignupForm
from .http import AuthenticatedHttpRequest
from .menu import account_links
from .ratelimits import login_rate_limited


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("ui:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Same answer whether or not the address has an account (see actions.sign_up).
            actions.sign_up(
                pseudonym=form.cleaned_data["pseudonym"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                next_url=safe_next_url(request, request.GET.get("next"), ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "title": _("Créer un compte")})


@require_safe
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/signup_done.html", {"title": _("Vérifiez votre boîte de réception")}
    )


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = actions.confirm_email(token=token)
    except actions.InvalidConfirmation as error:
        message = (
            _("Ce lien de confirmation a expiré. Demandez-en un nouveau.")
            if str(error) == "expired"
            else _("Ce lien de confirmation n'est pas valide.")
        )
        return render(
            request,
            "accounts/confirm_failed.html",
            {"title": _("Confirmation impossible"), "message": message},
            status=400,
        )
    messages.success(request, _("Votre adresse %(email)s est confirmée.") % {"email": user.email})
    next_url = safe_next_url(request, request.GET.get("next"), "")
    if request.user.is_authenticated:
        return redirect(next_url or reverse("accounts:profile"))
    login_url = reverse("accounts:login")
    return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate="5/h", method="POST", block=True)
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.resend_confirmation(email=form.cleaned_data["email"])
        # Same answer whether or not the address exists: no account enumeration.
        messages.info(
            request,
            _("Si un compte non confirmé existe pour cette adresse, un lien vient d'être envoyé."),
        )
        return redirect("accounts:login")
    return render(
        request, "accounts/resend.html", {"form": form, "title": _("Recevoir un nouveau lien")}
    )


@method_decorator(login_rate_limited, name="post")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": _("Se connecter")}


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The "Mon compte" menu: who you are, and a link to each section of the account."""
    memberships = request.user.memberships.select_related("organisation")
    return render(
        request,
        "accounts/profile.html",
        {"title": _("Mon compte"), "memberships": memberships, "account_links": account_links()},
    )
