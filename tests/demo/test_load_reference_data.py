"""The whole reference data set, loaded once for this module (about 20 s on SQLite).

The load runs inside a transaction opened for the module and rolled back at its end, so other
test modules start from an empty database as usual.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from ecoute.catalogue.models import ContactPoint, Network, Organisation
from ecoute.experiences.models import Experience, ExperienceOrigin, ExperienceStatus
from ecoute.policies.models import Policy
from ecoute.territories.models import Commune, Departement, Region

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        first, second = StringIO(), StringIO()
        call_command("load_reference_data", stdout=first)
        call_command("load_reference_data", stdout=second)
        yield first.getvalue(), second.getvalue()
        transaction.set_rollback(True)


def test_counts(loaded):
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert Commune.objects.count() == 34_875
    assert Network.objects.count() == 37
    assert Organisation.objects.filter(sp_code__isnull=False).count() == 14_763
    assert Experience.objects.count() == 855
    assert ContactPoint.objects.count() > 10_000
    # Baromètre des résultats: 43 mesures (2023) and 59 chantiers (2024).
    assert Policy.objects.count() == 43 + 59


def test_every_parent_is_resolved(loaded):
    # 14,725 of the 14,763 SP+ structures name a parent, all present in the file.
    assert Organisation.objects.filter(sp_code__isnull=False, parent__isnull=False).count() == (
        14_725
    )
    roots = Organisation.objects.filter(parent=None)
    assert all(o.path == f"/{o.pk}/" for o in roots)
    ddsp = Organisation.objects.get(sp_code="3Tn8gzTdcz")
    assert ddsp.path == f"{ddsp.parent.path}{ddsp.pk}/"
    assert ddsp.parent.path == f"{ddsp.parent.parent.path}{ddsp.parent.pk}/"


def test_experiences_await_moderation(loaded):
    imported = Experience.objects.filter(origin=ExperienceOrigin.IMPORTED)
    assert imported.filter(status=ExperienceStatus.PENDING).count() == 855
    assert not imported.exclude(network__slug="pole-emploi").exists()


def test_second_run_reports_no_change(loaded):
    first, second = loaded
    assert "created 34875" in first
    tables = [line for line in second.splitlines() if ": read " in line]
    assert tables, second
    assert all("created 0, updated 0" in line for line in tables), second
