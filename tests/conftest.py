import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits live in the cache: every test starts with clean counters."""
    cache.clear()
    yield
    cache.clear()
