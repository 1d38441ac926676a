"""The actions behind the pages: masking, routing, answering once, e-mail, the journal, and the
original file kept out of every served path."""

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ecoute.documents import actions
from ecoute.documents.models import Document, DocumentStatus
from ecoute.documents.storage import path_for
from ecoute.moderation.masking import EMAIL_MASK, PHONE_MASK
from ecoute.moderation.models import ModerationLogEntry
from tests.documents.samples import HTML, jpeg_bytes, pdf_bytes, png_bytes
from tests.documents.world import build_world, login
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _submit(world, **overrides) -> Document:
    return actions.submit_document(
        **{
            "author": world.author,
            "contact_point": world.contact_point,
            "title": "Courrier de régularisation",
            "difficulty": "Je ne comprends pas le montant. Appelez-moi au 06 12 34 56 78 "
            "ou jeanne.martin@example.org",
            "file_data": pdf_bytes(),
        }
        | overrides
    )


def test_submit_masks_personal_data_and_routes_to_the_contact_points_organisation(world):
    document = _submit(world)
    assert PHONE_MASK in document.difficulty and EMAIL_MASK in document.difficulty
    assert "06 12 34 56 78" not in document.difficulty
    assert document.masked_items == 2
    assert document.organisation == world.organisation
    assert document.status == DocumentStatus.PENDING
    assert path_for(document.file_key).read_bytes() == pdf_bytes()


def test_submit_about_an_organisation_without_contact_point(world):
    document = _submit(world, contact_point=None, organisation=world.parent)
    assert (document.organisation, document.contact_point) == (world.parent, None)
    with pytest.raises(ValidationError):
        _submit(world, contact_point=None)


def test_submit_refuses_unconfirmed_accounts_and_bad_files(world, private_storage):
    with pytest.raises(PermissionDenied):
        _submit(world, author=UserFactory(unconfirmed=True))
    with pytest.raises(ValidationError) as error:
        _submit(world, file_data=HTML)
    assert error.value.code == "file"
    with pytest.raises(ValidationError):
        _submit(world, title="   ")
    assert not Document.objects.exists()
    assert not list(private_storage.rglob("documents/*"))


def test_a_failed_insert_leaves_no_file(world, private_storage, monkeypatch):
    def broken_create(**kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Document.objects, "create", broken_create)
    with pytest.raises(IntegrityError):
        _submit(world)
    assert not list(private_storage.rglob("documents/*"))


def test_answer_masks_signs_and_mails_the_submitter_once(world, django_capture_on_commit_callbacks):
    document = DocumentFactory(author=world.author, contact_point=world.contact_point)
    agent = world.users["agent_parent"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer_document(
            author=agent,
            document=document,
            answer="Écrivez-nous à service@example.org, nous vous aidons.",
            simplified_text="Le montant est ce que vous devez rembourser.",
            simplified_file_data=jpeg_bytes(),
        )
    document.refresh_from_db()
    assert EMAIL_MASK in document.answer
    assert document.answering_organisation == world.parent
    assert document.simplified_file_type == "image/jpeg"
    assert path_for(document.simplified_file_key).read_bytes() == jpeg_bytes()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.author.email]
    assert document.get_absolute_url() in message.body
    assert "version simplifiée" in message.body
    with pytest.raises(ValidationError):
        actions.answer_document(author=agent, document=document, answer="Une seconde réponse.")


def test_answer_refuses_others_and_bad_simplified_files(world):
    document = DocumentFactory(author=world.author, contact_point=world.contact_point)
    for role in ("other_usager", "agent_other_org", "moderator"):
        with pytest.raises(PermissionDenied):
            actions.answer_document(author=world.users[role], document=document, answer="Réponse.")
    with pytest.raises(ValidationError):
        actions.answer_document(
            author=world.users["agent"],
            document=document,
            answer="Réponse.",
            simplified_file_data=png_bytes() + b"<html>",
        )
    document.refresh_from_db()
    assert not document.is_answered


def test_moderation_is_logged_and_hiding_needs_a_reason(world):
    document = DocumentFactory(author=world.author, contact_point=world.contact_point)
    moderator = world.users["moderator"]
    with pytest.raises(ValidationError):
        actions.hide_document(actor=moderator, document=document, reason=" ")
    actions.publish_document(actor=moderator, document=document)
    with pytest.raises(ValidationError):
        actions.publish_document(actor=moderator, document=document)
    actions.hide_document(actor=moderator, document=document, reason="Insultes")
    assert list(ModerationLogEntry.objects.values_list("action", "reason").order_by("id")) == [
        ("publish", ""),
        ("hide", "Insultes"),
    ]
    with pytest.raises(PermissionDenied):
        actions.publish_document(actor=world.users["agent"], document=document)


@pytest.mark.parametrize(
    "fields",
    [
        {"file_type": "text/html"},
        {"file_size": 0},
        {"file_size": 10 * 1024 * 1024 + 1},
        {"answer": "Sans date ni organisation"},
        {"simplified_text": "Sans réponse"},
        {"status": DocumentStatus.PUBLISHED, "published_at": None},
        {"status": DocumentStatus.HIDDEN, "hidden_reason": ""},
    ],
)
def test_database_constraints(world, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(contact_point=world.contact_point, **fields)


# Never served ----------------------------------------------------------------------------------


def test_private_files_are_not_reachable_under_static_or_media(client, world, settings):
    document = DocumentFactory(
        author=world.author, contact_point=world.contact_point, published=True
    )
    key = document.file_key
    name = key.rsplit("/", 1)[-1]
    for url in (
        f"/static/{key}",
        f"/static/{name}",
        f"/media/{key}",
        f"/media/{name}",
        f"/{key}",
        f"/private/{key}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    # Only the permission-checked view gives it, and not to a visitor.
    assert client.get(reverse("documents:original", args=[document.pk])).status_code == 404
    login(client, world.author)
    response = client.get(reverse("documents:original", args=[document.pk]))
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_default_private_root_is_outside_served_directories(settings):
    from config.settings import base

    assert not [e for e in run_checks() if e.id == "documents.E001"]
    private = base.PRIVATE_STORAGE_ROOT.resolve()
    for served in (base.STATIC_ROOT, *base.STATICFILES_DIRS):
        assert served is not None
        assert served.resolve() not in private.parents and served.resolve() != private


def test_check_fails_when_private_root_is_served(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "static" / "private"
    assert [e.id for e in run_checks() if e.id.startswith("documents.")] == ["documents.E001"]


def test_keys_cannot_escape_the_private_root():
    for key in ("../../etc/passwd", "documents/../../x", "documents/ABC", ""):
        with pytest.raises(ValueError):
            path_for(key)
