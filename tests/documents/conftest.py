import pytest


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Every document test writes its private files to its own temporary folder."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
