"""System check: private files must not live where a web server or whitenoise serves files."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


def _served_roots() -> list[Path]:
    roots = [settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", ""), *settings.STATICFILES_DIRS]
    return [Path(root).resolve() for root in roots if root]


@register()
def check_private_storage_root(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    private = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    errors = []
    for served in _served_roots():
        if private == served or served in private.parents:
            errors.append(
                Error(
                    f"PRIVATE_STORAGE_ROOT ({private}) overlaps a served directory ({served}).",
                    hint="Keep submitted documents outside STATIC_ROOT, MEDIA_ROOT and "
                    "STATICFILES_DIRS.",
                    id="documents.E001",
                )
            )
    return errors
