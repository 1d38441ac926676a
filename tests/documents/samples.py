"""Real files of each accepted type (made with Pillow), and the bad ones a hostile user sends."""

import functools
import io

from PIL import Image


@functools.cache  # the same bytes every time (Pillow stamps PDFs with the time)
def _image(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A one-page PDF as a scanner would make it (Pillow writes a complete PDF)."""
    return _image("PDF")


def png_bytes() -> bytes:
    return _image("PNG")


def jpeg_bytes() -> bytes:
    return _image("JPEG")


def webp_bytes() -> bytes:
    return _image("WEBP")


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
