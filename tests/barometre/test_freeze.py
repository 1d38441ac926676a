"""Editions are frozen once published: by the actions, and by the database itself (triggers);
later data or corrections make a new edition, and a published page never changes."""

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoute.barometre import actions
from ecoute.barometre.models import Edition, EditionStatus, Figure, FigureScope
from ecoute.indicators.rollups import rebuild
from tests.factories import ContactPointFactory, OrganisationFactory

from .conftest import IN_S1, S1, S2, rate

pytestmark = pytest.mark.django_db


def _published(semester, actor=None, note=None):
    edition = actions.prepare_edition(semester=semester, actor=actor, note=note)
    return actions.publish_edition(edition=edition, actor=actor)


def _national(edition, slug="satisfaction"):
    return edition.figures.get(scope_kind=FigureScope.NATION, indicator=slug)


def test_prepare_freezes_the_semester_for_nation_networks_and_departements(rated, publisher):
    edition = actions.prepare_edition(semester=S1, actor=publisher)
    assert (edition.status, edition.version, edition.label) == ("draft", 1, "2025-S1")
    assert edition.prepared_by == publisher
    assert edition.minimum_sample == 1  # test settings
    national = _national(edition)
    assert (national.numerator, national.denominator, national.total) == (2, 4, 12)
    assert national.sufficient
    assert edition.figures.filter(scope_kind=FigureScope.NATION).count() == 8
    network = edition.figures.get(scope_kind=FigureScope.NETWORK, indicator="satisfaction")
    assert (network.scope_key, network.scope_name) == (
        str(rated.organisation.network_id),
        "Caisses d'allocations familiales",
    )
    departement = edition.figures.get(scope_kind=FigureScope.DEPARTEMENT, indicator="satisfaction")
    assert departement.scope_key == rated.departement.code
    # Performance indicators have no measurement: the national line says 0/0, not sufficient.
    assert not _national(edition, "taux-decroche").sufficient


def test_a_draft_is_prepared_again_from_the_current_roll_ups(rated, publisher):
    first = actions.prepare_edition(semester=S1, actor=publisher)
    rate(rated, IN_S1, 5, 5)
    again = actions.prepare_edition(semester=S1, actor=publisher)
    assert again.pk == first.pk
    assert Edition.objects.count() == 1
    assert (_national(again).numerator, _national(again).denominator) == (4, 6)


def test_the_minimum_sample_is_the_one_in_force_when_frozen(rated, settings):
    settings.ECOUTE_INDICATOR_MIN_SAMPLE = 10
    edition = _published(S1)
    assert edition.minimum_sample == 10
    assert not _national(edition).sufficient
    settings.ECOUTE_INDICATOR_MIN_SAMPLE = 1  # a later change does not publish the value
    page = edition_page(edition)
    assert "échantillon insuffisant (4 avis, minimum 10)" in page
    assert "50,0" not in page


def edition_page(edition):
    """The edition's content (from its title to the results navigation: no token, no nonce)."""
    response = Client().get(edition.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<h1") : page.index('data-testid="results-nav"')]


def test_later_data_never_changes_a_published_edition(rated, publisher):
    edition = _published(S1, publisher)
    before = edition_page(edition)
    assert 'data-testid="value-satisfaction"' in before
    assert "50,0" in before
    counts = list(edition.figures.order_by("pk").values_list("numerator", "denominator", "total"))

    # New experiences of the same semester, in a new département and network, and a rebuild.
    other = ContactPointFactory(organisation=OrganisationFactory(name="Autre"))
    rate(rated, IN_S1, 5, 5, 5, 5)
    rate(other, IN_S1, 5, 5)
    rebuild()

    assert (
        list(edition.figures.order_by("pk").values_list("numerator", "denominator", "total"))
        == counts
    )
    assert edition_page(edition) == before
    with pytest.raises(actions.EditionError, match="déjà publiée"):
        actions.prepare_edition(semester=S1, actor=publisher)


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(rated, publisher, client):
    first = _published(S1, publisher)
    rate(rated, IN_S1, 5, 5)
    with pytest.raises(actions.EditionError, match="pourquoi"):
        actions.prepare_correction(edition=first, actor=publisher, reason="  ")
    correction = actions.prepare_correction(
        edition=first, actor=publisher, reason="Avis publiés en retard"
    )
    assert (correction.version, correction.status, correction.supersedes) == (2, "draft", first)
    assert (_national(correction).numerator, _national(correction).denominator) == (4, 6)
    with pytest.raises(actions.EditionError, match="déjà en préparation"):
        actions.prepare_correction(edition=first, actor=publisher, reason="encore")
    # Until it is published, readers get version 1.
    assert client.get("/barometre/2025-S1/").url == first.get_absolute_url()

    actions.publish_edition(edition=correction, actor=publisher)
    first.refresh_from_db()
    assert (first.status, first.is_current) == (EditionStatus.PUBLISHED, False)
    assert client.get("/barometre/2025-S1/").url == correction.get_absolute_url()
    old = client.get(first.get_absolute_url()).content.decode()
    assert "remplacée par la version 2" in old
    assert "50,0" in old  # its figures did not move
    new = client.get(correction.get_absolute_url()).content.decode()
    assert "Cette version corrige la version 1 : Avis publiés en retard" in new
    assert "66,7" in new
    with pytest.raises(actions.EditionError, match="Seule l'édition en vigueur"):
        actions.prepare_correction(edition=first, actor=publisher, reason="x")


def test_publication_waits_for_the_end_of_the_semester(place, publisher):
    today = timezone.localdate()
    current = today.replace(month=1 if today.month <= 6 else 7, day=1)
    rate(place, today, 5)
    draft = actions.prepare_edition(semester=current, actor=publisher)
    with pytest.raises(actions.EditionError, match="n'est pas terminé"):
        actions.publish_edition(edition=draft, actor=publisher)
    future = current.replace(year=current.year + 1)
    with pytest.raises(actions.EditionError, match="pas encore commencé"):
        actions.prepare_edition(semester=future, actor=publisher)


def test_an_empty_edition_is_not_published_and_a_published_one_not_twice(rated, publisher):
    empty = actions.prepare_edition(semester=S1.replace(year=2024), actor=publisher)
    with pytest.raises(actions.EditionError, match="aucune valeur"):
        actions.publish_edition(edition=empty, actor=publisher)
    edition = _published(S1, publisher)
    with pytest.raises(actions.EditionError, match="déjà publiée"):
        actions.publish_edition(edition=edition, actor=publisher)


def test_the_database_refuses_to_change_a_published_edition(rated, publisher):
    edition = _published(S1, publisher)
    figure = _national(edition)
    attempts = [
        lambda: Figure.objects.filter(pk=figure.pk).update(numerator=0),
        lambda: Figure.objects.filter(pk=figure.pk).delete(),
        lambda: Figure.objects.create(
            edition=edition,
            indicator="satisfaction",
            scope_kind=FigureScope.DEPARTEMENT,
            scope_key="99",
            scope_name="x",
            numerator=1,
            denominator=1,
            sufficient=True,
        ),
        lambda: Edition.objects.filter(pk=edition.pk).update(minimum_sample=50),
        lambda: Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.DRAFT),
        lambda: Edition.objects.filter(pk=edition.pk).update(note="réécrite"),
        lambda: Edition.objects.filter(pk=edition.pk).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert _national(edition).numerator == 2
    # Saving it unchanged is harmless; being replaced (is_current -> false) is allowed.
    edition.save()
    Edition.objects.filter(pk=edition.pk).update(is_current=False)
    with pytest.raises(DatabaseError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(is_current=True)


def test_a_draft_may_change_and_be_deleted(rated, publisher):
    draft = actions.prepare_edition(semester=S2, actor=publisher)
    Figure.objects.filter(edition=draft).update(numerator=0)
    draft.delete()
    assert not Figure.objects.exists()


def test_database_constraints_hold_the_invariants(rated, publisher):
    first = _published(S1, publisher)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():  # two editions in force
        Edition.objects.create(
            year=2025, half=1, version=2, status="published", is_current=True,
            published_at=now, prepared_at=now, minimum_sample=1,
            supersedes=first, correction_reason="x",
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():  # published without a date
        Edition.objects.create(
            year=2025, half=2, status="published", prepared_at=now, minimum_sample=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # no such half
        Edition.objects.create(year=2025, half=3, prepared_at=now, minimum_sample=1)
    with pytest.raises(IntegrityError), transaction.atomic():  # a correction without reason
        Edition.objects.create(
            year=2025, half=1, version=2, prepared_at=now, minimum_sample=1, supersedes=first
        )
    Edition.objects.create(year=2025, half=2, prepared_at=now, minimum_sample=1)
    with pytest.raises(IntegrityError), transaction.atomic():  # two drafts of one semester
        Edition.objects.create(year=2025, half=2, version=2, prepared_at=now, minimum_sample=1,
                               supersedes=first, correction_reason="x")  # fmt: skip


def test_deleting_the_publishers_account_keeps_the_edition(rated, publisher):
    edition = _published(S1, publisher)
    publisher.delete()
    edition.refresh_from_db()
    assert edition.published_by is None
    assert edition.is_published


def test_the_page_of_a_scope_reads_frozen_names(rated, publisher, client):
    edition = _published(S1, publisher)
    network = rated.organisation.network
    network.name = "Nouveau nom"
    network.save()
    url = reverse("barometre:network", args=[edition.label, edition.version, network.slug])
    assert "Caisses d&#x27;allocations familiales" in client.get(url).content.decode()


def test_the_change_is_measured_against_the_edition_frozen_at_publication(rated, publisher):
    # 2025-S1 published first: nothing to compare with, for good.
    later = _published(S1, publisher)
    assert later.compared_to is None
    before = edition_page(later)
    assert "pas d&#x27;édition précédente" in before
    rate(rated, dt.date(2024, 9, 10), 5)
    _published(dt.date(2024, 7, 1), publisher)  # an earlier semester published afterwards
    assert edition_page(later) == before

    # 2025-S2 is compared with 2025-S1 v1; a correction of 2025-S1 does not move that.
    third = _published(S2, publisher)
    assert third.compared_to == later
    third_page = edition_page(third)
    assert "en hausse de 25,0 points" in third_page
    rate(rated, IN_S1, 5, 5, 5, 5)
    correction = actions.prepare_correction(edition=later, actor=publisher, reason="Retard")
    actions.publish_edition(edition=correction, actor=publisher)
    assert edition_page(third) == third_page
