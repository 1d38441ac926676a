"""Who may see, download, answer and moderate complex documents.

- Submit: a signed-in account with a confirmed e-mail address.
- The original file: its submitter, moderators, and agents of the organisation it was routed to
  or of one above it, never anyone else, whatever the status.
- The public part (title, difficulty, answer, simplified version): everyone once published.
- Answer: agents of the organisation or above, once, unless moderation hid the document.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation
from ecoute.catalogue.permissions import get_acting_organisation, organisations_for_agent
from ecoute.moderation.permissions import can_moderate

from .models import Document, DocumentStatus


def can_submit_document(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_active and user.has_confirmed_email


def is_author(user: User | AnonymousUser, document: Document) -> bool:
    return user.is_authenticated and document.author_id == user.pk


def acting_organisation(user: User | AnonymousUser, document: Document) -> Organisation | None:
    """The organisation in whose name `user` handles `document` (the routed one or above)."""
    return get_acting_organisation(user, document.organisation)


def can_handle_document(user: User | AnonymousUser, document: Document) -> bool:
    """An agent of the routed organisation (or above) handles what moderation has not hidden."""
    return (
        document.status != DocumentStatus.HIDDEN and acting_organisation(user, document) is not None
    )


def can_download_original(user: User | AnonymousUser, document: Document) -> bool:
    return is_author(user, document) or can_moderate(user) or can_handle_document(user, document)


def can_view_document(user: User | AnonymousUser, document: Document) -> bool:
    """Its page: public once published; before, for whoever may read the original."""
    return document.status == DocumentStatus.PUBLISHED or can_download_original(user, document)


def can_answer_document(user: User | AnonymousUser, document: Document) -> bool:
    return not document.is_answered and can_handle_document(user, document)


def can_publish_document(user: User | AnonymousUser, document: Document) -> bool:
    return document.status != DocumentStatus.PUBLISHED and can_moderate(user)


def can_hide_document(user: User | AnonymousUser, document: Document) -> bool:
    return document.status != DocumentStatus.HIDDEN and can_moderate(user)


def documents_for_agent(user: User) -> QuerySet[Document]:
    """The queue of an agent: documents routed to their organisations or below, not hidden."""
    return Document.objects.exclude(status=DocumentStatus.HIDDEN).filter(
        organisation__in=organisations_for_agent(user)
    )
