"""Every state change of a complex document: submit, answer, publish, hide.

Texts are masked (`moderation.masking`) before they are stored; files are checked by content
(`files.inspect_file`) and written to private storage before the row, and removed again if the
transaction fails. The submitter is e-mailed after commit when the organisation answers.
"""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import ContactPoint, Organisation
from ecoute.moderation.actions import record_moderation_act
from ecoute.moderation.masking import mask_personal_data
from ecoute.moderation.models import ModerationAction
from ecoute.moderation.permissions import can_moderate

from . import storage
from .files import UnacceptableFile, inspect_file
from .models import Document, DocumentStatus
from .permissions import acting_organisation, can_handle_document, can_submit_document
from .tasks import send_document_answered

TITLE_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 5000
SIMPLIFIED_MAX_LENGTH = 20000


def _text(value: str, *, maximum: int, required: bool, what: str) -> str:
    value = value.strip()
    if (required and not value) or len(value) > maximum:
        raise ValidationError(
            _("%(what)s : texte vide ou trop long.") % {"what": what}, code="length"
        )
    return value


@contextmanager
def _stored(data: bytes) -> Iterator[tuple[str, str, int]]:
    """Check and store `data`; yield (key, content type, size). The file is deleted
    again when the block that writes its row fails. Actions are their own transactions: a
    caller wrapping one in a larger atomic block that rolls back afterwards leaves an
    unreferenced file, never a row without its file."""
    try:
        inspected = inspect_file(data)
    except UnacceptableFile as error:
        raise ValidationError(str(error), code="file") from error
    key = storage.save_private_file(data)
    try:
        yield key, inspected.content_type.value, inspected.size
    except BaseException:
        storage.delete_private_file(key)
        raise


@transaction.atomic
def submit_document(
    *,
    author: User,
    title: str,
    difficulty: str,
    file_data: bytes,
    contact_point: ContactPoint | None = None,
    organisation: Organisation | None = None,
) -> Document:
    """Store a document routed to the contact point's organisation (or to `organisation`)."""
    if not can_submit_document(author):
        raise PermissionDenied(
            _("Confirmez votre adresse électronique avant d'envoyer un document.")
        )
    if contact_point is not None:
        organisation = contact_point.organisation
    if organisation is None:
        raise ValidationError(_("Indiquez le service concerné."), code="organisation")
    masked_title = mask_personal_data(
        _text(title, maximum=TITLE_MAX_LENGTH, required=True, what=_("Titre"))
    )
    masked_difficulty = mask_personal_data(
        _text(difficulty, maximum=TEXT_MAX_LENGTH, required=True, what=_("Difficulté"))
    )
    with _stored(file_data) as (key, content_type, size):
        return Document.objects.create(
            author=author,
            organisation=organisation,
            contact_point=contact_point,
            title=masked_title.text,
            difficulty=masked_difficulty.text,
            masked_items=masked_title.count + masked_difficulty.count,
            file_key=key,
            file_type=content_type,
            file_size=size,
        )


@transaction.atomic
def answer_document(
    *,
    author: User,
    document: Document,
    answer: str,
    simplified_text: str = "",
    simplified_file_data: bytes | None = None,
) -> Document:
    """The organisation answers (public text, masked) and may publish a simplified version
    (text and/or file). Once per document; the submitter is e-mailed after commit."""
    _lock(document)
    if document.is_answered:
        raise ValidationError(_("Ce document a déjà reçu une réponse."), code="already_answered")
    if not can_handle_document(author, document):
        raise PermissionDenied(_("Vous ne pouvez répondre que pour vos propres services."))
    organisation = acting_organisation(author, document)
    masked_answer = mask_personal_data(
        _text(answer, maximum=TEXT_MAX_LENGTH, required=True, what=_("Réponse"))
    )
    masked_simplified = mask_personal_data(
        _text(
            simplified_text,
            maximum=SIMPLIFIED_MAX_LENGTH,
            required=False,
            what=_("Version simplifiée"),
        )
    )
    no_file: tuple[str, str, int | None] = ("", "", None)
    stored = nullcontext(no_file) if simplified_file_data is None else _stored(simplified_file_data)
    with stored as (key, content_type, size):
        document.answer = masked_answer.text
        document.answered_by = author
        document.answering_organisation = organisation
        document.answered_at = timezone.now()
        document.simplified_text = masked_simplified.text
        document.simplified_file_key = key
        document.simplified_file_type = content_type
        document.simplified_file_size = size
        document.save(
            update_fields=[
                "answer",
                "answered_by",
                "answering_organisation",
                "answered_at",
                "simplified_text",
                "simplified_file_key",
                "simplified_file_type",
                "simplified_file_size",
            ]
        )
    if document.author_id is not None:
        document_id = document.pk
        transaction.on_commit(lambda: send_document_answered.enqueue(document_id=document_id))
    return document


# Every column but the foreign keys, so related objects loaded by the caller stay cached.
_RELOADED_FIELDS = [
    field.attname for field in Document._meta.concrete_fields if not field.is_relation
]


def _lock(document: Document) -> None:
    """Lock the row and reload its state: two agents or moderators acting at once are
    serialised and the second sees the first one's change."""
    document.refresh_from_db(
        fields=_RELOADED_FIELDS, from_queryset=Document.objects.select_for_update()
    )


@transaction.atomic
def publish_document(*, actor: User, document: Document, reason: str = "") -> Document:
    """Publish the public part (title, difficulty, answer, simplified version); logged."""
    if not can_moderate(actor):
        raise PermissionDenied(_("Seuls les modérateurs peuvent publier."))
    _lock(document)
    if document.status == DocumentStatus.PUBLISHED:
        raise ValidationError(_("Ce document est déjà publié."), code="already_published")
    document.status = DocumentStatus.PUBLISHED
    document.published_at = timezone.now()
    document.hidden_reason = ""
    document.save(update_fields=["status", "published_at", "hidden_reason"])
    record_moderation_act(
        actor=actor, action=ModerationAction.PUBLISH, target=document, reason=reason
    )
    return document


@transaction.atomic
def hide_document(*, actor: User, document: Document, reason: str) -> Document:
    """Hide the document from the public and from the organisation's queue; logged."""
    if not can_moderate(actor):
        raise PermissionDenied(_("Seuls les modérateurs peuvent masquer."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du masquage."), code="reason_required")
    _lock(document)
    if document.status == DocumentStatus.HIDDEN:
        raise ValidationError(_("Ce document est déjà masqué."), code="already_hidden")
    document.status = DocumentStatus.HIDDEN
    document.hidden_reason = reason
    document.save(update_fields=["status", "hidden_reason"])
    record_moderation_act(actor=actor, action=ModerationAction.HIDE, target=document, reason=reason)
    return document


def erase_author_documents(*, user: User, keep_contributions: bool) -> None:
    """Account deletion, inside its transaction (accounts.personal_data).

    keep_contributions=True: the documents stay with the organisation that received them (and
    their public part, if published), the author unlinked. False: the documents are deleted
    with their files (the original and any simplified version), the files only once the
    deletion is committed, so a rolled-back deletion keeps every file its rows point at.
    """
    documents = Document.objects.filter(author=user)
    if keep_contributions:
        documents.update(author=None)
        return
    keys = [
        key
        for original, simplified in documents.select_for_update()
        .order_by("pk")
        .values_list("file_key", "simplified_file_key")
        for key in (original, simplified)
        if key
    ]
    documents.delete()
    transaction.on_commit(lambda: _delete_files(keys))


def _delete_files(keys: list[str]) -> None:
    for key in keys:
        storage.delete_private_file(key)
