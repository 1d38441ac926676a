import pytest

from .sample_data import build_sample_data_dir


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory: pytest.TempPathFactory):
    """A read-only sample of data/ shared by the import tests (copy it before editing)."""
    return build_sample_data_dir(tmp_path_factory.mktemp("reference-data"))


@pytest.fixture
def editable_data_dir(sample_data_dir, tmp_path):
    import shutil

    return shutil.copytree(sample_data_dir, tmp_path / "data")
