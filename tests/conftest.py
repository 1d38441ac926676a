import shutil

import pytest
from django.core.cache import cache

from tests.territories.sample_data import build_sample_data_dir


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits live in the cache: every test starts with clean counters."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory: pytest.TempPathFactory):
    """A read-only sample of data/ shared by the import tests (copy it before editing)."""
    return build_sample_data_dir(tmp_path_factory.mktemp("reference-data"))


@pytest.fixture
def editable_data_dir(sample_data_dir, tmp_path):
    """A private copy of the sample, for tests that edit its files."""
    return shutil.copytree(sample_data_dir, tmp_path / "data")


@pytest.fixture
def builder(db):  # noqa: ANN001, ANN201
    """An organiser: staff with the consultations, questionnaires and debates permissions."""
    from tests.factories import staff_with_permissions

    return staff_with_permissions("consultations", "questionnaires", "debates")
