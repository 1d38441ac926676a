"""The moderation app's part of "download my data" (registered with accounts.personal_data from
ModerationConfig.ready): the reports the user filed.

On account deletion, whichever the choice, a report stays and only loses its reporter
(`Report.reporter` is SET_NULL): a report is a request to the moderators about someone
else's content, not a contribution of the user's, and an open one must still reach the queue
(the content may expose personal data). Its comment was masked when it was filed. The
moderation journal keeps its actors: role accounts cannot delete themselves.
"""

from typing import Any

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .models import Report


def export_reports(user: User) -> list[dict[str, Any]]:
    """One query whatever the number of rows."""
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("content_type")
        .order_by("created_at", "id")
    )
    return [
        {
            "content": report.content_type.model,  # "experience", "answer"
            "content_id": report.object_id,
            "reason": report.reason,
            "comment": report.comment,
            "status": report.status,
            "created_at": report.created_at,
            "handled_at": report.handled_at,
        }
        for report in reports
    ]


SECTION = PersonalDataSection(key="reports", export=export_reports)
