import pytest

from ecoute.answering.suggestions import clear_cache


@pytest.fixture(autouse=True)
def _fresh_suggestion_indexes():
    """Indexes are cached per process: each test builds from its own rows."""
    clear_cache()
    yield
    clear_cache()
