"""What an uploaded file really is, read from its bytes: PDF, PNG, JPEG or WebP, nothing else.

The browser's content type and the file name are ignored. A file is refused when it is empty,
over the size limit, of another type, or a polyglot (bytes that are also read as another format:
HTML or script markup in its first kilobyte, a ZIP archive appended, data after the end of the
image or after the PDF's last `%%EOF`). Images must decode completely with Pillow.
"""

import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image

from .models import MAX_FILE_BYTES, FileType

HEAD_BYTES = 1024
# Browsers and other readers take a file for markup when they find these near its start.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed)\b", re.IGNORECASE
)
# A ZIP archive is found by readers through its end record, in the last 64 KiB + 22 bytes.
_ZIP_END = b"PK\x05\x06"
_ZIP_END_WINDOW = 65_557
# Images bigger than this are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 50_000_000
_PILLOW_FORMATS = {FileType.PNG: "PNG", FileType.JPEG: "JPEG", FileType.WEBP: "WEBP"}


class UnacceptableFile(ValueError):
    """The file is refused; the message says why, in words for the person who sent it."""


@dataclass(frozen=True)
class InspectedFile:
    content_type: FileType
    size: int


def sniff_type(head: bytes) -> FileType | None:
    """The type announced by the magic bytes at offset 0, or None."""
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    return None


def read_limited(chunks: Iterable[bytes], limit: int = MAX_FILE_BYTES) -> bytes:
    """Join `chunks`, stopping as soon as more than `limit` bytes have come."""
    buffer = bytearray()
    for chunk in chunks:
        buffer.extend(chunk)
        if len(buffer) > limit:
            raise UnacceptableFile(too_large_message())
    return bytes(buffer)


def too_large_message() -> str:
    return _("Le fichier dépasse 10 Mo : envoyez un fichier plus léger.")


def inspect_file(data: bytes) -> InspectedFile:
    """Check `data` and return its real type; raise UnacceptableFile otherwise."""
    if not data:
        raise UnacceptableFile(_("Le fichier est vide."))
    if len(data) > MAX_FILE_BYTES:
        raise UnacceptableFile(too_large_message())
    content_type = sniff_type(data[:HEAD_BYTES])
    if content_type is None:
        raise UnacceptableFile(
            _(
                "Ce fichier n'est ni un PDF, ni une image PNG, JPEG ou WebP "
                "(son contenu a été vérifié, pas seulement son nom)."
            )
        )
    if _MARKUP.search(data[:HEAD_BYTES]) or _ZIP_END in data[-_ZIP_END_WINDOW:]:
        raise UnacceptableFile(_("Ce fichier contient aussi un autre format : il est refusé."))
    if content_type == FileType.PDF:
        _check_pdf(data)
    else:
        _check_image(data, content_type)
    return InspectedFile(content_type=content_type, size=len(data))


def _check_pdf(data: bytes) -> None:
    end = data.rfind(b"%%EOF")
    if (
        end == -1
        or data[end + len(b"%%EOF") :].strip(b"\r\n\t \x00")
        or data.rfind(b"startxref", 0, end) == -1
    ):
        raise UnacceptableFile(_("Ce PDF est incomplet ou endommagé."))


def _check_image(data: bytes, content_type: FileType) -> None:
    damaged = UnacceptableFile(_("Cette image est endommagée ou illisible."))
    _check_image_end(data, content_type)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _PILLOW_FORMATS[content_type]:
                    raise damaged
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UnacceptableFile(_("Cette image a trop de pixels."))
                image.load()  # decodes every pixel: truncated or corrupt data fails here
    except UnacceptableFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnacceptableFile(_("Cette image a trop de pixels.")) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise damaged from error


def _check_image_end(data: bytes, content_type: FileType) -> None:
    """Nothing may follow the image's own end (where polyglots hide their second format)."""
    trailing = UnacceptableFile(_("Des données inconnues suivent l'image : elle est refusée."))
    if content_type == FileType.PNG:
        if not data.endswith(b"IEND\xae\x42\x60\x82"):
            raise trailing
    elif content_type == FileType.JPEG:
        if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
            raise trailing
    elif content_type == FileType.WEBP:
        declared = int.from_bytes(data[4:8], "little") + 8
        if declared != len(data):
            raise trailing
