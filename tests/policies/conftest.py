import pytest

from ecoute.policies.importers import load_barometre_resultats
from tests.factories import DepartementFactory, RegionFactory

from .sample import build_sample


@pytest.fixture(scope="session")
def barometre_dir(tmp_path_factory: pytest.TempPathFactory):
    """A read-only extract of data/barometre-resultats/ (copy it before editing)."""
    return build_sample(tmp_path_factory.mktemp("barometre"))


@pytest.fixture
def territories(db):
    RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    DepartementFactory(code="01", name="Ain", region__code="84")
    DepartementFactory(
        code="53", name="Mayenne", region=RegionFactory(code="52", name="Pays de la Loire")
    )


@pytest.fixture
def loaded(territories, barometre_dir):
    return load_barometre_resultats(barometre_dir)
