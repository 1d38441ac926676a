"""Refuse oversized uploads early: before the body is read (Content-Length), and while it is
streamed (a file handler that stops counting at the limit, for clients that lie or chunk)."""

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from .models import MAX_FILE_BYTES

# Room for the other fields and the multipart boundaries around a file at the limit.
FORM_OVERHEAD_BYTES = 64 * 1024


def declared_too_large(request: HttpRequest) -> bool:
    """The request announces more than a file at the limit plus the form: refuse it unread."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_FILE_BYTES + FORM_OVERHEAD_BYTES


class SizeLimitUploadHandler(FileUploadHandler):
    """First upload handler: skips (drops) any file that goes past MAX_FILE_BYTES."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False
        self._received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self._received += len(raw_data)
        if self._received > MAX_FILE_BYTES:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_upload_size(request: HttpRequest) -> SizeLimitUploadHandler:
    """Install the handler; call before anything reads request.POST or request.FILES."""
    handler = SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler
