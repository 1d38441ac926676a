"""Test profile: fast hashing, in-memory e-mail, same security middleware as production."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Each test starts with fresh rate-limit counters (tests clear the cache).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Serve static files straight from the apps (no collectstatic outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# On SQLite, a file rather than shared-cache memory: threads in the concurrency tests then get
# real SQLite locking (they wait), not shared-cache table locks (which fail at once).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405

# No index files in tests unless a test writes them (into its own temporary directory).
ECOUTE_ANSWER_INDEX_DIR = BASE_DIR / "var" / "test-answer-index"  # noqa: F405

# One rating is enough to show a value in tests (the journeys rate once); the tests of the
# minimum sample set their own.
ECOUTE_INDICATOR_MIN_SAMPLE = 1
ECOUTE_TRANSPARENCY_CACHE_SECONDS = env_int(  # noqa: F405
    "ECOUTE_TRANSPARENCY_CACHE_SECONDS", 0
)  # tests change the data between requests; benches may set it
