"""The documents app's part of "download my data" and "delete my account" (registered with
accounts.personal_data from DocumentsConfig.ready). The export gives what the user wrote and
what became of it, not the file's bytes (the user has the file; `/documents/<id>/original/`
still serves it to them while the account exists)."""

from typing import Any

from django.conf import settings

from ecoute.accounts.models import User
from ecoute.accounts.personal_data import PersonalDataSection

from .actions import erase_author_documents
from .models import Document


def export_documents(user: User) -> list[dict[str, Any]]:
    """Every document the user sent, any status. One query whatever the number of rows."""
    documents = (
        Document.objects.filter(author=user)
        .select_related("organisation", "contact_point", "answering_organisation")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": document.pk,
            "url": settings.ECOUTE_SITE_URL + document.get_absolute_url(),
            "service": document.organisation.display_name,
            "contact_point": document.contact_point.name if document.contact_point else None,
            "title": document.title,
            "difficulty": document.difficulty,
            "file": {"type": document.file_type, "size": document.file_size},
            "status": document.status,
            "hidden_reason": document.hidden_reason,
            "created_at": document.created_at,
            "published_at": document.published_at,
            "answer": {
                "service": document.answering_organisation.display_name,
                "body": document.answer,
                "answered_at": document.answered_at,
                "simplified_text": document.simplified_text,
            }
            if document.answering_organisation is not None
            else None,
        }
        for document in documents
    ]


SECTION = PersonalDataSection(
    key="documents", export=export_documents, erase=erase_author_documents
)
