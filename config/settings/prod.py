"""Production: HTTPS only, secrets from the environment (SECRET_KEY and ALLOWED_HOSTS required)."""

from .base import *  # noqa: F403
from .env import env_bool, env_int

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
TASKS = {  # noqa: F405
    "default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"},
}
