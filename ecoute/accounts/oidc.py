"""FranceConnect (OpenID Connect) as an identity option, through mozilla-django-oidc.

Configured entirely by settings (`FRANCECONNECT_*` environment variables, see README); with no
client id the option is off: no button, and its URLs answer 404. A FranceConnect identity is an
`ExternalIdentity` (provider + `sub`, unique): the first login links it to the account with the
same e-mail address or creates one; the next ones find it by `sub` alone.
"""

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from .models import ExternalIdentity, IdentityProvider, User

logger = logging.getLogger(__name__)

REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


def franceconnect_enabled() -> bool:
    """True when every endpoint and the client credentials are configured."""
    return all(getattr(settings, name, "") for name in REQUIRED_SETTINGS)


# Re-authentication of accounts without a password (created through FranceConnect): a
# FranceConnect login completed in this session within the last REAUTH_MAX_AGE seconds stands
# for the password on the "change address" and "delete my account" pages.
REAUTH_SESSION_KEY = "ecoute_franceconnect_login"
REAUTH_MAX_AGE = 10 * 60


def record_franceconnect_login(request: HttpRequest, user: User) -> None:
    request.session[REAUTH_SESSION_KEY] = {"user": user.pk, "at": time.time()}


def recently_signed_in_with_franceconnect(request: HttpRequest, user: User) -> bool:
    """True when `user` completed a FranceConnect login in this session less than
    REAUTH_MAX_AGE seconds ago."""
    login = request.session.get(REAUTH_SESSION_KEY)
    if not isinstance(login, dict) or login.get("user") != user.pk:
        return False
    at = login.get("at")
    return isinstance(at, int | float) and 0 <= time.time() - at < REAUTH_MAX_AGE


class FranceConnectRefused(Exception):
    """The identity is valid but cannot be used here; the message says why, to the user."""


def _free_pseudonym() -> str:
    # Public pseudonyms must not reveal the civil identity FranceConnect gives us.
    for _attempt in range(20):
        candidate = f"Usager-{get_random_string(6, '0123456789abcdefghjkmnpqrstuvwxyz')}"
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    raise FranceConnectRefused(_("Impossible de créer un compte pour le moment. Réessayez."))


@transaction.atomic
def sign_in_with_franceconnect(*, subject: str, email: str, email_verified: bool | None) -> User:
    """The account of a FranceConnect identity: found by `sub`, else linked by e-mail address,
    else created (pseudonym generated, address confirmed, no password).

    Linking to an account whose address was never confirmed drops its password: whoever chose
    it had not proved they own the address.
    """
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=IdentityProvider.FRANCECONNECT, subject=subject)
        .first()
    )
    if identity is not None:
        return identity.user
    email = email.strip().lower()
    if not email:
        raise FranceConnectRefused(_("FranceConnect n'a pas transmis d'adresse électronique."))
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    now = timezone.now()
    if user is None:
        user = User(username=_free_pseudonym(), email=email, email_confirmed_at=now)
        user.set_unusable_password()
        user.save()
    else:
        if email_verified is False:
            raise FranceConnectRefused(
                _(
                    "Un compte existe avec cette adresse, que FranceConnect ne garantit pas : "
                    "connectez-vous avec votre mot de passe."
                )
            )
        if user.external_identities.filter(provider=IdentityProvider.FRANCECONNECT).exists():
            raise FranceConnectRefused(
                _("Ce compte est déjà lié à une autre identité FranceConnect.")
            )
        if user.email_confirmed_at is None:
            user.email_confirmed_at = now
            user.set_unusable_password()
            user.save(update_fields=["email_confirmed_at", "password"])
    try:
        with transaction.atomic():
            ExternalIdentity.objects.create(
                user=user, provider=IdentityProvider.FRANCECONNECT, subject=subject
            )
    except IntegrityError:
        # The same identity signed in twice at once: the other request linked it.
        return (
            ExternalIdentity.objects.select_related("user")
            .get(provider=IdentityProvider.FRANCECONNECT, subject=subject)
            .user
        )
    return user


class FranceConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the authorization code flow (and nothing else).

    Always listed in AUTHENTICATION_BACKENDS: when FranceConnect is not configured it
    authenticates nobody instead of refusing to start.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if franceconnect_enabled():
            super().__init__(*args, **kwargs)
        else:
            from django.contrib.auth import get_user_model

            self.UserModel = get_user_model()

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        nonce: str | None = None,
        code_verifier: str | None = None,
        **credentials: Any,
    ) -> AbstractBaseUser | None:
        # Password logins pass credentials; only the OIDC callback passes none of them.
        if credentials or request is None or not franceconnect_enabled():
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id_token: it must be for us, from the configured issuer
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("id_token audience is not this client")
            issuer = getattr(settings, "OIDC_OP_ISSUER", "")
            if issuer and payload.get("iss") != issuer:
                raise SuspiciousOperation("id_token issuer is not the configured provider")
            if not payload.get("sub"):
                raise SuspiciousOperation("id_token has no sub")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo sub differs from the id_token sub")
        verified = claims.get("email_verified")
        return sign_in_with_franceconnect(
            subject=str(payload["sub"]),
            email=str(claims.get("email") or ""),
            email_verified=None if verified is None else bool(verified),
        )


def _failure(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "accounts/franceconnect_failed.html",
        {"title": _("Connexion avec FranceConnect impossible"), "message": message},
        status=status,
    )


class LoginView(OIDCAuthenticationRequestView):
    """Redirects to FranceConnect with state, nonce and `next` kept in the session."""

    http_method_names = ["get", "head"]

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not franceconnect_enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """FranceConnect's redirect back: a bad state, nonce or token is a clear 400, not a 500."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        if not franceconnect_enabled():
            raise Http404
        try:
            return super().get(request)
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("FranceConnect callback refused: %s", error)
            return _failure(
                request,
                _(
                    "La réponse de FranceConnect ne correspond pas à votre demande de connexion "
                    "(lien déjà utilisé, session expirée ou réponse altérée). Recommencez la "
                    "connexion."
                ),
                status=400,
            )
        except FranceConnectRefused as error:
            return _failure(request, str(error), status=400)
        except requests.RequestException as error:
            logger.error("FranceConnect unreachable: %s", error)
            return _failure(
                request,
                _(
                    "FranceConnect ne répond pas pour le moment. Réessayez plus tard, ou "
                    "connectez-vous avec votre mot de passe."
                ),
                status=502,
            )

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        record_franceconnect_login(self.request, self.user)
        return response

    def login_failure(self) -> HttpResponse:
        return _failure(
            self.request,
            _(
                "La connexion avec FranceConnect n'a pas abouti : elle a été annulée, ou votre "
                "session a expiré. Recommencez la connexion."
            ),
            status=400,
        )


class LogoutView(OIDCLogoutView):
    """POST only; also ends the FranceConnect session when the user came through it."""

    http_method_names = ["post"]


def provider_logout_url(request: HttpRequest) -> str:
    """OIDC_OP_LOGOUT_URL_METHOD: FranceConnect's end_session_endpoint when the user signed in
    through it (its id_token is in the session), else the usual page after logout."""
    local = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    if not (franceconnect_enabled() and endpoint and id_token):
        return local
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": secrets.token_urlsafe(16),
            "post_logout_redirect_uri": settings.ECOUTE_SITE_URL + local,
        }
    )
    return f"{endpoint}?{query}"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


class FranceConnectFormActionMiddleware:
    """Lets the site's forms lead to FranceConnect.

    Browsers apply the CSP `form-action` directive to the redirects that follow a form
    submission: the login button (a form) and the logout button (a POST form on every page)
    redirect to the provider, so its origins are added to `form-action` while FranceConnect is
    configured. Listed right after django-csp's middleware, which builds the header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if franceconnect_enabled():
            endpoints = [
                settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
                getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", ""),
            ]
            origins = sorted({origin for url in endpoints if (origin := _origin(url))})
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update  # type: ignore[attr-defined]
        return response
