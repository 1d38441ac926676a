"""A small, real OpenID Connect provider for the FranceConnect tests.

It listens on 127.0.0.1 (a free port) in a thread and serves what a relying party uses:
discovery, authorize (auto-approves as `provider.user`), token (code → RS256-signed id_token),
userinfo (JSON, or a signed JWT as FranceConnect v2 answers), JWKS and end_session. Tests
change `provider.user` or `provider.tamper` to play a given identity or a misbehaving provider.
"""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "ecoute-test-client"
CLIENT_SECRET = "ecoute-test-secret"  # noqa: S105 - test provider only


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    claims: dict[str, Any]


@dataclass
class OIDCProvider:
    user: dict[str, Any] = field(
        default_factory=lambda: {
            "sub": "fc-sub-jeanne",
            "email": "jeanne.martin@example.org",
            "email_verified": True,
            "given_name": "Jeanne",
            "family_name": "Martin",
        }
    )
    # id_token overrides ("nonce", "aud", "iss", "exp") and switches ("foreign_key",
    # "userinfo_sub", "userinfo_jwt", "deny").
    tamper: dict[str, Any] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    logout_requests: list[dict[str, str]] = field(default_factory=list)
    kid: str = "test-key-1"

    def __post_init__(self) -> None:
        self.key = _new_key()
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # Lifecycle
    def start(self) -> "OIDCProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # What the provider publishes
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "end_session_endpoint": f"{self.url}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "given_name", "family_name"],
        }

    def jwks(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [public | {"kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def sign(self, claims: dict[str, Any]) -> str:
        key = _new_key() if self.tamper.get("foreign_key") else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    # Endpoints
    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.authorize_requests.append(query)
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}, b"invalid_request"
        redirect_uri, state = query["redirect_uri"], query.get("state", "")
        if self.tamper.get("deny"):
            params = {"error": "access_denied", "state": state}
        else:
            code = secrets.token_urlsafe(16)
            self.grants[code] = Grant(CLIENT_ID, redirect_uri, query.get("nonce"), dict(self.user))
            params = {"code": code, "state": state}
        return 302, {"Location": f"{redirect_uri}?{urlencode(params)}"}, b""

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        grant = self.grants.pop(form.get("code", ""), None)  # single use
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            return _json(400, {"error": "invalid_grant"})
        now = int(time.time())
        id_claims = {
            "iss": self.url,
            "sub": grant.claims["sub"],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 60,
            "nonce": grant.nonce,
            "acr": "eidas1",
        }
        id_claims |= {
            name: self.tamper[name]
            for name in ("nonce", "aud", "iss", "exp")
            if name in self.tamper
        }
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant.claims
        return _json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 60,
                "id_token": self.sign(id_claims),
            },
        )

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], bytes]:
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return _json(401, {"error": "invalid_token"})
        claims = dict(claims)
        if "userinfo_sub" in self.tamper:
            claims["sub"] = self.tamper["userinfo_sub"]
        if self.tamper.get("userinfo_jwt"):
            token = self.sign(claims | {"iss": self.url, "aud": CLIENT_ID})
            return 200, {"Content-Type": "application/jwt"}, token.encode()
        return _json(200, claims)

    def logout(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.logout_requests.append(query)
        target = query.get("post_logout_redirect_uri")
        if not target:
            return 200, {"Content-Type": "text/plain"}, b"logged out"
        return 302, {"Location": f"{target}?{urlencode({'state': query.get('state', '')})}"}, b""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _reply(self, answer: tuple[int, dict[str, str], bytes]) -> None:
                status, headers, body = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                routes = {
                    "/.well-known/openid-configuration": lambda: _json(200, provider.discovery()),
                    "/jwks": lambda: _json(200, provider.jwks()),
                    "/authorize": lambda: provider.authorize(query),
                    "/userinfo": lambda: provider.userinfo(self.headers.get("Authorization", "")),
                    "/logout": lambda: provider.logout(query),
                }
                route = routes.get(parts.path)
                self._reply(route() if route else (404, {}, b"not found"))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self._reply(provider.token(form))
                else:
                    self._reply((404, {}, b"not found"))

        return Handler


def configure_client(settings: Any, provider: OIDCProvider) -> None:
    """Point the FranceConnect settings at `provider`, from its discovery document, as an
    operator would (pytest-django's `settings` fixture restores them after the test)."""
    discovery = requests.get(f"{provider.url}/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_OP_LOGOUT_ENDPOINT = discovery["end_session_endpoint"]


def _json(status: int, data: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()
