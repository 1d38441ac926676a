"""Retention of personal data: what is no longer needed is deleted after its configured period,
by one periodic job (`manage.py purge_personal_data`, README "Periodic jobs").

- accounts never confirmed: `ECOUTE_UNCONFIRMED_ACCOUNT_DAYS` after sign-up, then deleted
  (accounts.actions.purge_unconfirmed_accounts);
- experiences told without an account and never confirmed: `ECOUTE_GUEST_CONFIRMATION_HOURS`,
  then deleted (guests.purge_unconfirmed_guest_submissions);
- e-mail and postal code of a confirmed guest: `ECOUTE_GUEST_CONTACT_RETENTION_DAYS` after
  confirmation, then deleted; the experience stays (guests.purge_guest_contacts);
- sessions (they may hold a draft typed before logging in): deleted once expired
  (`SESSION_COOKIE_AGE`).

IP addresses are stored nowhere in the database: rate limits count in the cache under hashed
keys that expire with their window (an hour at most), and the application logs no address
(the web server's and proxy's access logs are the host's to rotate).

Experiences imports accounts, not the reverse: this module is the one place that runs every
purge. Each purge is idempotent (a second run finds nothing left) and takes `now` so that tests
travel in time.
"""

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from ecoute.accounts.actions import purge_unconfirmed_accounts

from .guests import purge_guest_contacts, purge_unconfirmed_guest_submissions


def purge_expired_sessions(*, now: dt.datetime | None = None) -> int:
    """Delete expired sessions from a database session store; returns how many (0 for stores
    that expire by themselves, such as the cache)."""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore
    model = getattr(store, "get_model_class", None)
    if model is None:
        store.clear_expired()
        return 0
    deleted, _by_model = model().objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted


def purge_personal_data(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every retention purge; returns how many rows each deleted."""
    now = now or timezone.now()
    return {
        "unconfirmed_accounts": purge_unconfirmed_accounts(
            older_than=dt.timedelta(days=settings.ECOUTE_UNCONFIRMED_ACCOUNT_DAYS), now=now
        ),
        "unconfirmed_guest_experiences": purge_unconfirmed_guest_submissions(now=now),
        "guest_contacts": purge_guest_contacts(now=now),
        "expired_sessions": purge_expired_sessions(now=now),
    }
