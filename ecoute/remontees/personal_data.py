"""The remontées app's part of "download my data" and "delete my account" (registered with
accounts.personal_data from RemonteesConfig.ready)."""

from typing import Any

from django.conf import settings

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .actions import erase_author_remontees
from .models import Remontee, Support


def export_remontees(user: User) -> dict[str, Any]:
    """The remontées the user raised (any state) and those they supported. Two queries."""
    raised = (
        Remontee.objects.filter(author=user)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    supported = Support.objects.filter(user=user).order_by("created_at", "id")
    return {
        "raised": [
            {
                "id": remontee.pk,
                "url": settings.ECOUTE_SITE_URL + remontee.get_absolute_url(),
                "organisation": remontee.organisation.display_name,
                "kind": remontee.kind,
                "scope": remontee.scope,
                "demarche": remontee.demarche_name,
                "theme": remontee.theme,
                "title": remontee.title,
                "description": remontee.description,
                "moderation": remontee.visibility,
                "hidden_reason": remontee.hidden_reason,
                "status": remontee.status,
                "supports": remontee.support_count,
                "created_at": remontee.created_at,
            }
            for remontee in raised
        ],
        "supported": [
            {"remontee": support.remontee_id, "created_at": support.created_at}
            for support in supported
        ],
    }


SECTION = PersonalDataSection(
    key="remontees", export=export_remontees, erase=erase_author_remontees
)
