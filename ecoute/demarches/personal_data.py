"""The demarches app's part of "download my data" and "delete my account": the proposals an
account made (feedback is anonymous: nothing links it to anyone)."""

from typing import Any

from django.conf import settings

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .actions import erase_author_proposals
from .models import Proposal


def export_proposals(user: User) -> dict[str, Any]:
    proposals = Proposal.objects.filter(author=user).order_by("created_at", "id")
    return {
        "proposals": [
            {
                "id": proposal.pk,
                "url": settings.ECOUTE_SITE_URL + proposal.get_absolute_url(),
                "name": proposal.name,
                "demarche_url": proposal.url,
                "reason": proposal.reason,
                "moderation": proposal.visibility,
                "status": proposal.status,
                "created_at": proposal.created_at,
            }
            for proposal in proposals
        ]
    }


SECTION = PersonalDataSection(
    key="demarches", export=export_proposals, erase=erase_author_proposals
)
