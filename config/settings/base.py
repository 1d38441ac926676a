"""Settings shared by every profile. Secure by default; dev and test relax what they must."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from .env import env_bool, env_date, env_float, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ecoute.accounts.apps.EcouteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # search lookups (trigram_similar); inert on SQLite
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "widget_tweaks",
    "dsfr",
    "ecoute.ui",
    "ecoute.accounts",
    "ecoute.territories",
    "ecoute.catalogue",
    "ecoute.moderation",
    "ecoute.experiences",
    "ecoute.documents",
    "ecoute.follows",
    "ecoute.remontees",
    "ecoute.resources",
    "ecoute.answering",
    "ecoute.inbox",
    "ecoute.france_services",
    "ecoute.demarches",
    "ecoute.policies",
    "ecoute.indicators",
    "ecoute.barometre",
    "ecoute.consultations",
    "ecoute.questionnaires",
    "ecoute.debates",
    "ecoute.analysis",
    "ecoute.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ecoute.ui.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ecoute.accounts.oidc.FranceConnectFormActionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "dsfr.context_processors.site_config",
                "ecoute.ui.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'ecoute.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite: a transaction takes the write lock when it begins
    # (IMMEDIATE), so it waits for the lock (`timeout` seconds) instead of failing with
    # "database is locked" when a read turns into a write; WAL lets readers run meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The experience list's indexes carry non-key columns (INCLUDE) for PostgreSQL's
    # index-only counts; SQLite builds them without those columns, as intended (decision 0007).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ecoute.accounts.backends.EmailOrPseudonymBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "ui:home"
# Argon2 first (Django's recommendation); the PBKDF2 hashers after it still verify old hashes,
# which Django rehashes with Argon2 at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# Each language is named in itself (the selector shows the name to its speakers).
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail: the console in the demo, SMTP in production (configured from the environment).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Écoute <ne-pas-repondre@ecoute.example>")

# Cache backs the rate limits; a shared cache (Redis) is required with several app servers.
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("CACHE_LOCATION", "ecoute"),
    }
}
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "ecoute.ui.views.rate_limited"
# Rate limits key on the real client address: X-Forwarded-For is believed only when the
# direct peer is one of these proxies (CIDRs); empty = the peer itself (REMOTE_ADDR).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])
RATELIMIT_IP_META_KEY = "ecoute.common.http.client_ip"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Security: on everywhere; dev relaxes only what plain HTTP needs.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per task state change is noise at INFO; failures are still logged.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

# Project settings
# DSFR: mark optional fields rather than required ones (the DSFR recommendation).
DSFR_MARK_OPTIONAL_FIELDS = True

ECOUTE_DATA_DIR = Path(env_str("ECOUTE_DATA_DIR", str(BASE_DIR / "data")))
ECOUTE_DUPLICATE_WINDOW_SECONDS = 60
# Complex documents' original files: outside every served directory (checked at start-up).
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(BASE_DIR / "var" / "private")))
# Where `manage.py build_answer_suggestions` writes each network's index of answered
# experiences (read by the answer-writing page; ecoute/answering/README.md).
ECOUTE_ANSWER_INDEX_DIR = Path(
    env_str("ECOUTE_ANSWER_INDEX_DIR", str(BASE_DIR / "var" / "answer-index"))
)
ECOUTE_SITE_URL = env_str("ECOUTE_SITE_URL", "http://127.0.0.1:8000")

# Who publishes this instance (legal notice, personal data, accessibility statement). The
# defaults describe the demo honestly; a real deployment sets each one (README, Configuration).
ECOUTE_PUBLISHER = env_str(
    "ECOUTE_PUBLISHER", "Instance de démonstration d'Écoute (non officielle)"
)
ECOUTE_PUBLISHER_ADDRESS = env_str(
    "ECOUTE_PUBLISHER_ADDRESS", "Adresse non renseignée (démonstration)"
)
ECOUTE_PUBLICATION_DIRECTOR = env_str(
    "ECOUTE_PUBLICATION_DIRECTOR", "La personne qui exploite cette démonstration"
)
ECOUTE_HOST_NAME = env_str("ECOUTE_HOST_NAME", "Poste local de démonstration")
ECOUTE_HOST_ADDRESS = env_str("ECOUTE_HOST_ADDRESS", "Serveur de l'exploitant de la démonstration")
ECOUTE_CONTACT_EMAIL = env_str("ECOUTE_CONTACT_EMAIL", "contact@ecoute.example")
ECOUTE_DPO_EMAIL = env_str("ECOUTE_DPO_EMAIL", "dpo@ecoute.example")
# ISO date of the last accessibility assessment shown in the accessibility statement.
ECOUTE_ACCESSIBILITY_AUDIT_DATE = env_date("ECOUTE_ACCESSIBILITY_AUDIT_DATE", "2026-11-24")
# Accounts never confirmed within this many days of sign-up are deleted by the periodic job
# `manage.py purge_unconfirmed_accounts` (the confirmation link itself lasts 3 days).
ECOUTE_UNCONFIRMED_ACCOUNT_DAYS = env_int("ECOUTE_UNCONFIRMED_ACCOUNT_DAYS", 7)
# Online démarches: a satisfaction score is shown only from this many reviews over the rolling
# window (the State's observatory: 100 reviews over 12 months).
ECOUTE_DEMARCHE_MIN_REVIEWS = env_int("ECOUTE_DEMARCHE_MIN_REVIEWS", 100)
ECOUTE_DEMARCHE_REVIEW_WINDOW_DAYS = env_int("ECOUTE_DEMARCHE_REVIEW_WINDOW_DAYS", 365)

# Experiences told without an account: how long the e-mailed link stays valid (then purged).
ECOUTE_GUEST_CONFIRMATION_HOURS = env_int("ECOUTE_GUEST_CONFIRMATION_HOURS", 48)
# Days a confirmed guest's e-mail address and postal code are kept after confirmation (they
# serve to notify of publication and answers); then purge_personal_data deletes them.
ECOUTE_GUEST_CONTACT_RETENTION_DAYS = env_int("ECOUTE_GUEST_CONTACT_RETENTION_DAYS", 365)

# Agents' immediate alerts: a new experience opens a batch sent this many minutes later (by
# `send_agent_alerts`, run every few minutes); what is published meanwhile joins it.
ECOUTE_AGENT_ALERT_DELAY_MINUTES = env_int("ECOUTE_AGENT_ALERT_DELAY_MINUTES", 10)

# PostgreSQL: the longest the experience list may spend counting its results (milliseconds;
# 0 = no limit). Over it the list says "au moins N" (experiences.queries.count_results).
EXPERIENCE_COUNT_BUDGET_MS = env_int("EXPERIENCE_COUNT_BUDGET_MS", 300)

# FranceConnect (OpenID Connect, mozilla-django-oidc). Off while FRANCECONNECT_CLIENT_ID is
# empty: no button, its URLs answer 404. Endpoints come from the provider's discovery document.
OIDC_RP_CLIENT_ID = env_str("FRANCECONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("FRANCECONNECT_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env_str("FRANCECONNECT_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("FRANCECONNECT_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("FRANCECONNECT_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("FRANCECONNECT_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("FRANCECONNECT_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = env_str("FRANCECONNECT_END_SESSION_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("FRANCECONNECT_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("FRANCECONNECT_SCOPES", "openid email given_name family_name")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": env_str("FRANCECONNECT_ACR_VALUES", "eidas1")}
OIDC_AUTHENTICATION_CALLBACK_URL = "franceconnect:callback"
OIDC_OP_LOGOUT_URL_METHOD = "ecoute.accounts.oidc.provider_logout_url"
OIDC_STORE_ID_TOKEN = True  # id_token_hint of the provider logout
OIDC_TIMEOUT = env_int("FRANCECONNECT_TIMEOUT", 10)
AUTHENTICATION_BACKENDS += ["ecoute.accounts.oidc.FranceConnectBackend"]

# Agents' inbox (ecoute/inbox): the answer delay an organisation announces when it sets none
# (Organisation.answer_delay_days), and how many days past that delay an unanswered experience
# escalates to the parent organisation (periodic job `manage.py escalate_overdue_experiences`).
ECOUTE_ANSWER_DELAY_DAYS = env_int("ECOUTE_ANSWER_DELAY_DAYS", 15)
ECOUTE_ESCALATION_DELAY_DAYS = env_int("ECOUTE_ESCALATION_DELAY_DAYS", 7)
# France services coverage (decision 0019): travel time = straight-line distance x detour
# factor / speed. 1.3 is the usual mean ratio of road to straight-line distance (F. Héran, "Des
# distances à vol d'oiseau aux distances réelles", Flux 76-77, 2009); 50 km/h a mean door-to-door
# car speed between rural roads and town streets.
ECOUTE_FS_DETOUR_FACTOR = env_float("ECOUTE_FS_DETOUR_FACTOR", 1.3)
ECOUTE_FS_SPEED_KMH = env_float("ECOUTE_FS_SPEED_KMH", 50.0)
# Indicators (ecoute/indicators): a value computed from fewer ratings or measurements is
# flagged "échantillon insuffisant" and not published.
ECOUTE_INDICATOR_MIN_SAMPLE = env_int("ECOUTE_INDICATOR_MIN_SAMPLE", 10)
# The transparency rate of a semester (indicators/transparency.py) is kept this many seconds in
# the cache: it reads every counter's roll-up rows of the semester (0.3 s for France at 10 M
# experiences) and changes only as ratings arrive. 0: computed on every request.
ECOUTE_TRANSPARENCY_CACHE_SECONDS = env_int("ECOUTE_TRANSPARENCY_CACHE_SECONDS", 600)
