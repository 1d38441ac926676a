"""Every role on every read and write of a complex document."""

import pytest
from django.core import mail
from django.urls import reverse

from ecoute.documents.models import Document, DocumentStatus
from ecoute.documents.storage import save_private_file
from ecoute.moderation.models import ModerationLogEntry
from tests.documents.samples import png_bytes
from tests.documents.world import ROLES, build_world, login
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL = [*ROLES, "author"]


@pytest.fixture
def world():
    return build_world()


def _user(world, role):
    return world.author if role == "author" else world.users[role]


def _document(world, status: str, **kwargs) -> Document:
    traits = {"published": status == "published", "hidden": status == "hidden"}
    return DocumentFactory(
        author=world.author, contact_point=world.contact_point, **traits, **kwargs
    )


def _content(response) -> bytes:
    """Read a file response to its end, which closes the file (the test client's wrapper)."""
    return b"".join(response.streaming_content)


# Reads ------------------------------------------------------------------------------------------

# Who sees the page and the original, by status. The original never becomes public.
PAGE = {
    "pending": {"agent", "agent_parent", "moderator", "author"},
    "published": set(ALL),
    "hidden": {"moderator", "author"},
}
ORIGINAL = {
    "pending": {"agent", "agent_parent", "moderator", "author"},
    "published": {"agent", "agent_parent", "moderator", "author"},
    "hidden": {"moderator", "author"},
}


@pytest.mark.parametrize("status", ["pending", "published", "hidden"])
@pytest.mark.parametrize("role", ALL)
def test_document_page(client, world, role, status):
    document = _document(world, status)
    login(client, _user(world, role))
    response = client.get(document.get_absolute_url())
    assert response.status_code == (200 if role in PAGE[status] else 404)
    if response.status_code == 200:
        assert document.difficulty in response.content.decode()
        has_link = reverse("documents:original", args=[document.pk]) in response.content.decode()
        assert has_link == (role in ORIGINAL[status])


@pytest.mark.parametrize("status", ["pending", "published", "hidden"])
@pytest.mark.parametrize("role", ALL)
def test_original_file(client, world, role, status):
    document = _document(world, status)
    login(client, _user(world, role))
    response = client.get(reverse("documents:original", args=[document.pk]))
    if role not in ORIGINAL[status]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert _content(response).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="document-{document.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize("status", ["pending", "published", "hidden"])
@pytest.mark.parametrize("role", ALL)
def test_simplified_file_is_public_with_the_page(client, world, role, status):
    key = save_private_file(png_bytes())
    document = _document(
        world,
        status,
        answered=True,
        simplified_file_key=key,
        simplified_file_type="image/png",
        simplified_file_size=len(png_bytes()),
    )
    login(client, _user(world, role))
    response = client.get(reverse("documents:simplified_file", args=[document.pk]))
    assert response.status_code == (200 if role in PAGE[status] else 404)
    if response.status_code == 200:
        assert _content(response) == png_bytes()
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_head_works_where_get_does(client, world):
    document = _document(world, "published")
    login(client, world.author)
    for url in (
        document.get_absolute_url(),
        reverse("documents:list"),
        reverse("documents:original", args=[document.pk]),
        reverse("documents:submit", args=[world.contact_point.pk]),
    ):
        response = client.head(url)
        assert response.status_code == 200, url
        assert (_content(response) if response.streaming else response.content) == b""


AGENT_QUEUE = {"anonymous": 302, "other_usager": 403, "moderator": 403, "author": 403}


@pytest.mark.parametrize("role", ALL)
def test_agent_queue(client, world, role):
    routed = _document(world, "pending")
    hidden = _document(world, "hidden")
    login(client, _user(world, role))
    response = client.get(reverse("documents:agent_queue"))
    assert response.status_code == AGENT_QUEUE.get(role, 200)
    if response.status_code == 200:
        shown = {document.pk for document in response.context["page"].items}
        expected = {routed.pk} if role in {"agent", "agent_parent"} else set()
        assert shown == expected
        assert hidden.pk not in shown


@pytest.mark.parametrize("role", ALL)
def test_moderation_queue(client, world, role):
    pending = _document(world, "pending")
    _document(world, "published")
    login(client, _user(world, role))
    response = client.get(reverse("documents:moderation_queue"))
    expected = {"anonymous": 302, "moderator": 200}.get(role, 403)
    assert response.status_code == expected
    if expected == 200:
        assert [document.pk for document in response.context["page"].items] == [pending.pk]


def test_public_list_shows_published_documents_only(client, world):
    published = _document(world, "published")
    _document(world, "pending")
    _document(world, "hidden")
    response = client.get(reverse("documents:list"))
    assert [document.pk for document in response.context["page"].items] == [published.pk]


# Writes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ALL, "unconfirmed"])
def test_submit(client, world, role):
    from tests.documents.test_uploads import submit_data

    user = UserFactory(unconfirmed=True) if role == "unconfirmed" else _user(world, role)
    login(client, user)
    url = reverse("documents:submit", args=[world.contact_point.pk])
    response = client.post(url, submit_data())
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert not Document.objects.exists()
    elif role == "unconfirmed":
        assert response.status_code == 403
        assert not Document.objects.exists()
    else:  # any confirmed account may send one (agents and moderators are usagers too)
        document = Document.objects.get()
        assert response.status_code == 302
        assert response["Location"] == document.get_absolute_url()
        assert document.author == user
        assert document.organisation == world.organisation
        assert document.status == DocumentStatus.PENDING


ANSWER = {
    "anonymous": 302,
    "other_usager": 403,
    "agent_other_org": 403,
    "agent": 302,
    "agent_parent": 302,
    "moderator": 403,
    "author": 403,
}


@pytest.mark.parametrize("role", ALL)
def test_answer(client, world, role, django_capture_on_commit_callbacks):
    document = _document(world, "published")
    login(client, _user(world, role))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:answer", args=[document.pk]),
            {"answer": "Voici ce que demande chaque rubrique.", "simplified_text": "Trois étapes."},
        )
    assert response.status_code == ANSWER[role]
    document.refresh_from_db()
    if role in {"agent", "agent_parent"}:
        signed_by = world.organisation if role == "agent" else world.parent
        assert document.answering_organisation == signed_by
        assert document.answered_by == _user(world, role)
        assert document.simplified_text == "Trois étapes."
        assert [message.to for message in mail.outbox] == [[world.author.email]]
    else:
        assert not document.is_answered
        assert mail.outbox == []


@pytest.mark.parametrize("role", ["agent", "agent_parent"])
def test_agents_cannot_answer_a_hidden_document(client, world, role):
    document = _document(world, "hidden")
    login(client, _user(world, role))
    response = client.post(
        reverse("documents:answer", args=[document.pk]), {"answer": "Réponse assez longue."}
    )
    assert response.status_code == 404
    document.refresh_from_db()
    assert not document.is_answered


@pytest.mark.parametrize("decision", ["publish", "hide"])
@pytest.mark.parametrize("role", ALL)
def test_moderate(client, world, role, decision):
    document = _document(world, "pending")
    login(client, _user(world, role))
    response = client.post(
        reverse(f"documents:{decision}", args=[document.pk]), {"reason": "Contenu hors sujet"}
    )
    document.refresh_from_db()
    if role == "moderator":
        assert response.status_code == 302
        assert document.status == ("published" if decision == "publish" else "hidden")
        entry = ModerationLogEntry.objects.get()
        assert (entry.actor, entry.action, entry.target) == (_user(world, role), decision, document)
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert document.status == DocumentStatus.PENDING
        assert not ModerationLogEntry.objects.exists()
