"""Bad uploads get a clear form error, and nothing is stored; good ones are stored privately
with the type read from their bytes."""

import io
import zipfile
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ecoute.documents.files import UnacceptableFile, inspect_file
from ecoute.documents.models import MAX_FILE_BYTES, Document
from ecoute.documents.storage import path_for
from tests.documents.samples import HTML, jpeg_bytes, pdf_bytes, png_bytes, webp_bytes
from tests.factories import ContactPointFactory, UserFactory

MB = 1024 * 1024


def submit_data(data: bytes | None = None, name: str = "formulaire.pdf", **overrides) -> dict:
    upload = SimpleUploadedFile(
        name, pdf_bytes() if data is None else data, content_type="application/pdf"
    )
    return {
        "title": "Formulaire de demande d'aide au logement",
        "difficulty": "Je ne comprends pas la rubrique « ressources N-2 » ni les pièces à joindre.",
        "file": upload,
    } | overrides


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def submit(client):
    client.force_login(UserFactory())
    url = reverse("documents:submit", args=[ContactPointFactory().pk])

    def post(data: dict):
        return client.post(url, data)

    return post


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML)
    return buffer.getvalue()


# Unit: what the bytes are ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (pdf_bytes, "application/pdf"),
        (png_bytes, "image/png"),
        (jpeg_bytes, "image/jpeg"),
        (webp_bytes, "image/webp"),
    ],
)
def test_each_accepted_type_is_recognised(make, content_type):
    data = make()
    inspected = inspect_file(data)
    assert (inspected.content_type, inspected.size) == (content_type, len(data))


BAD_FILES = {
    "empty": b"",
    "text named .pdf": b"Ceci n'est pas un PDF, juste du texte.\n",
    "html named .png": HTML,
    "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "pdf magic then html": b"%PDF-1.4\n" + HTML + b"\nstartxref\n0\n%%EOF",
    "pdf without end": pdf_bytes()[:-200],
    "pdf with data after %%EOF": pdf_bytes() + HTML,
    "pdf + zip polyglot": pdf_bytes() + _zip(),
    "jpeg + zip polyglot": jpeg_bytes() + _zip(),
    "png + html after IEND": png_bytes() + HTML,
    "truncated png": png_bytes()[:60] + png_bytes()[-12:],
    "png magic only": b"\x89PNG\r\n\x1a\n" + b"\x00" * 50 + b"IEND\xae\x42\x60\x82",
    "webp with wrong size": webp_bytes() + b"\x00\x00",
    "html in jpeg comment": b"\xff\xd8\xff\xfe\x00\x20<script>alert(1)</script>" + jpeg_bytes()[2:],
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused(name):
    with pytest.raises(UnacceptableFile):
        inspect_file(BAD_FILES[name])


def test_decompression_bomb_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, format="PNG")  # 100 M pixels, a few KB
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(UnacceptableFile, match="trop de pixels"):
        inspect_file(buffer.getvalue())


def test_over_the_limit_is_refused():
    with pytest.raises(UnacceptableFile, match="10 Mo"):
        inspect_file(pdf_bytes() + b"\n" * MAX_FILE_BYTES)


# Through the form ------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "vide.pdf", "vide"),
        (b"%%% pas un pdf %%%" * 10, "faux.pdf", "ni un PDF"),
        (HTML, "image.png", "ni un PDF"),
        (png_bytes() + b"donnees cachees", "image.png", "Des données inconnues suivent l'image"),
        (jpeg_bytes() + _zip(), "photo.jpg", "aussi un autre format"),
    ],
)
def test_bad_upload_is_a_form_error(submit, private_storage, data, name, message):
    response = submit(submit_data(data, name))
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert escape(message) in response.content.decode()
    assert not Document.objects.exists()
    assert _stored_files(private_storage) == []


def test_missing_file_is_a_form_error(submit, private_storage):
    data = submit_data()
    del data["file"]
    response = submit(data)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Choisissez un fichier."]


def test_eleven_megabytes_are_refused_before_the_body_is_read(submit, private_storage):
    response = submit(submit_data(b"%PDF-1.4\n" + b"0" * (11 * MB)))
    assert response.status_code == 413
    assert "Le fichier dépasse 10 Mo" in response.content.decode()
    assert not Document.objects.exists()
    assert _stored_files(private_storage) == []


def test_a_file_over_the_limit_within_the_request_allowance_is_dropped_while_streamed(
    submit, private_storage
):
    # Just over 10 Mo: the request's Content-Length passes, the upload handler drops the file.
    response = submit(submit_data(b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES))
    assert response.status_code == 413
    assert response.context["form"].errors["file"] == [
        "Le fichier dépasse 10 Mo : envoyez un fichier plus léger."
    ]
    assert not Document.objects.exists()


def test_a_file_at_the_limit_is_accepted(submit, private_storage):
    data = pdf_bytes()
    padded = data.replace(b"%%EOF", b"%%EOF" + b"\n" * (MAX_FILE_BYTES - len(data)))
    assert len(padded) == MAX_FILE_BYTES
    response = submit(submit_data(padded))
    assert response.status_code == 302
    assert Document.objects.get().file_size == MAX_FILE_BYTES


@pytest.mark.parametrize(
    ("make", "name", "stored_type"),
    [
        (pdf_bytes, "formulaire.pdf", "application/pdf"),
        (jpeg_bytes, "photo.jpg", "image/jpeg"),
        (webp_bytes, "capture.webp", "image/webp"),
        # The name and the browser's type say PDF; the bytes say PNG: the bytes win.
        (png_bytes, "courrier.pdf", "image/png"),
    ],
)
def test_good_upload_is_stored_privately_with_its_real_type(
    submit, private_storage, make, name, stored_type
):
    response = submit(submit_data(make(), name))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file_type == stored_type
    stored = path_for(document.file_key)
    assert stored.read_bytes() == make()
    assert private_storage in stored.parents
    assert name not in str(stored)  # random name, not the user's
    assert stored.stat().st_mode & 0o077 == 0  # readable by the app's user only


def test_csrf_is_still_checked_on_uploads(private_storage):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    contact_point = ContactPointFactory()
    response = client.post(reverse("documents:submit", args=[contact_point.pk]), submit_data())
    assert response.status_code == 403
    assert not Document.objects.exists()
    document_url = reverse("documents:answer", args=[1])
    assert client.post(document_url, {"answer": "Une réponse."}).status_code == 403
