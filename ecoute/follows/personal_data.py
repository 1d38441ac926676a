"""The follows app's part of "download my data" (registered with accounts.personal_data from
FollowsConfig.ready). Follows, e-mail preferences and digest records are the account's own
settings, not contributions: they go with the account (on_delete=CASCADE) whichever way the
user deletes it, so there is nothing to erase here."""

from typing import Any

from django.conf import settings

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection
from ecoute.catalogue.models import ContactPoint

from .models import DigestDelivery, Follow, NotificationSettings


def _follow(follow: Follow) -> dict[str, Any]:
    target = follow.target
    if isinstance(target, ContactPoint):
        kind, name = "contact_point", target.name
    else:
        kind, name = "experience", target.title
    return {
        "kind": kind,
        "id": target.pk,
        "name": name,
        "url": settings.ECOUTE_SITE_URL + target.get_absolute_url(),
        "since": follow.created_at,
    }


def export_follows(user: User) -> dict[str, Any]:
    """What the account follows, its e-mail choices (the defaults when it never chose) and the
    digests recorded for it. Three queries whatever the number of rows."""
    follows = (
        Follow.objects.filter(user=user)
        .select_related("contact_point", "experience")
        .order_by("created_at", "id")
    )
    preferences = NotificationSettings.objects.filter(user=user).first()
    if preferences is None:
        preferences = NotificationSettings(user=user)  # unsaved: the defaults
    digests = DigestDelivery.objects.filter(user=user).order_by("window_end", "id")
    return {
        "following": [_follow(follow) for follow in follows],
        "notification_settings": {
            "experience_emails": preferences.experience_emails,
            "service_frequency": preferences.service_frequency,
            "agent_alerts": preferences.agent_alerts,
            "chosen_at": preferences.updated_at,
        },
        "digests": [
            {
                "scope": digest.scope,
                "frequency": digest.frequency,
                "period_start": digest.period_start,
                "window_start": digest.window_start,
                "window_end": digest.window_end,
                "experience_count": digest.experience_count,
                "answer_count": digest.answer_count,
                "sent_at": digest.sent_at,
            }
            for digest in digests
        ],
    }


SECTION = PersonalDataSection(key="follows", export=export_follows)
