"""The inbox's part of "download my data" (registered from InboxConfig.ready): the internal
notes an agent wrote and the experiences assigned to them. Both are the service's working
records: when the account goes they stay, unsigned (author and assignee SET_NULL)."""

from typing import Any

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .models import Handling, InternalNote


def export_inbox(user: User) -> dict[str, Any]:
    """Two queries whatever the number of rows."""
    notes = InternalNote.objects.filter(author=user).order_by("created_at", "id")
    assigned = Handling.objects.filter(assignee=user).order_by("assigned_at", "experience_id")
    return {
        "internal_notes": [
            {
                "experience_id": note.experience_id,
                "organisation_id": note.organisation_id,
                "body": note.body,
                "written_at": note.created_at,
            }
            for note in notes
        ],
        "assigned_experiences": [
            {"experience_id": handling.experience_id, "assigned_at": handling.assigned_at}
            for handling in assigned
        ],
    }


SECTION = PersonalDataSection(key="inbox", export=export_inbox)
