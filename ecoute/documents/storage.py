"""Private files: written under settings.PRIVATE_STORAGE_ROOT with random names, never under a
served path (see checks.py), read back only by the download views after a permission check."""

import os
import re
import secrets
from pathlib import Path

from django.conf import settings

_KEY = re.compile(r"^documents/[0-9a-f]{32}$")


def private_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT)


def path_for(key: str) -> Path:
    """The file behind `key`; refuses anything that is not a key we made (no path traversal)."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a private file key: {key!r}")
    return private_root() / key


def save_private_file(data: bytes) -> str:
    """Write `data` under a new random name, readable by this process's user only."""
    key = f"documents/{secrets.token_hex(16)}"
    path = path_for(key)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_EXCL: never overwrite; 0o600: not readable by other local users.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return key


def delete_private_file(key: str) -> None:
    path_for(key).unlink(missing_ok=True)
