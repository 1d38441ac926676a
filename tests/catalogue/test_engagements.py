"""Services Publics + engagements: loading data/engagements/, the service page, /engagements/."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from ecoute.catalogue.engagements import ENGAGEMENTS_CSV, load_engagements
from ecoute.catalogue.models import Engagement
from ecoute.territories.importers import ImportAborted
from tests.factories import ContactPointFactory, EngagementFactory, NetworkFactory

pytestmark = pytest.mark.django_db

HEADER = "code;number;axis;title;network;indicator_code;source_url\n"
SOURCE = "https://www.plus.transformation.gouv.fr/engagement/1"


def _data_dir(tmp_path: Path, body: str) -> Path:
    (tmp_path / ENGAGEMENTS_CSV).parent.mkdir(parents=True)
    (tmp_path / ENGAGEMENTS_CSV).write_text(HEADER + body, encoding="utf-8")
    return tmp_path


def test_shipped_engagements_load_once(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(Path(settings.ECOUTE_DATA_DIR) / "engagements", data_dir / "engagements")
    first = load_engagements(data_dir)
    assert first.tables[0].created == 7 and not first.skipped
    assert list(Engagement.objects.values_list("number", flat=True)) == list(range(1, 8))
    one = Engagement.objects.get(number=1)
    assert one.title == (
        "Dans le respect mutuel, vous êtes accueillis avec bienveillance "
        "et avez le droit à l’erreur"
    )
    assert one.network is None and one.indicator_code == ""
    second = load_engagements(data_dir)
    assert second.changed == 0 and second.tables[0].unchanged == 7


def test_a_changed_wording_is_updated_not_duplicated(tmp_path):
    load_engagements(_data_dir(tmp_path / "a", f"spp-1;1;Axe;Ancien intitulé;;;{SOURCE}\n"))
    new_row = f"spp-1;1;Axe;Nouvel intitulé;;;{SOURCE}\n"
    report = load_engagements(_data_dir(tmp_path / "b", new_row))
    assert report.tables[0].updated == 1
    assert list(Engagement.objects.values_list("title", flat=True)) == ["Nouvel intitulé"]


def test_network_engagements_and_bad_rows(tmp_path):
    NetworkFactory(slug="cnaf", name="CNAF")
    body = (
        f"caf-1;1;;Engagement du réseau;cnaf;delai-reponse;{SOURCE}\n"
        f"x-1;1;;Réseau inconnu;inconnu;;{SOURCE}\n"
        f"x-2;zero;;Numéro illisible;;;{SOURCE}\n"
        "x-3;2;;Source non https;;;http://example.org\n"
        f"x-4;1;;Même numéro que caf-1;cnaf;;{SOURCE}\n"
    )
    report = load_engagements(_data_dir(tmp_path, body))
    assert report.tables[0].created == 1
    assert len(report.tables[0].skipped) == 4
    engagement = Engagement.objects.get()
    assert engagement.network.slug == "cnaf" and engagement.indicator_code == "delai-reponse"
    with pytest.raises(ImportAborted):
        load_engagements(_data_dir(tmp_path / "strict", body), strict=True)


def test_numbers_are_unique_per_scope_in_the_database():
    network = NetworkFactory()
    EngagementFactory(number=1)
    EngagementFactory(number=1, network=network)  # same number, other scope: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(number=1, network=network)
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(number=0)


def test_service_page_shows_national_and_own_network_engagements_as_to_be_measured(client):
    contact_point = ContactPointFactory()
    national = EngagementFactory(number=1, title="Engagement commun")
    own = EngagementFactory(
        number=1, network=contact_point.organisation.network, title="Engagement du réseau"
    )
    other = EngagementFactory(number=1, network=NetworkFactory(), title="Engagement d'un autre")
    page = client.get(contact_point.get_absolute_url()).content.decode()
    section = page[page.index('data-testid="engagements"') :]
    assert f'data-testid="engagement-{national.code}"' in section
    assert f'data-testid="engagement-{own.code}"' in section
    assert other.code not in page
    assert section.count("Mesure à venir") == 2
    assert 'href="/engagements/"' in section


def test_service_page_without_engagements_has_no_empty_section(client):
    page = client.get(ContactPointFactory().get_absolute_url()).content.decode()
    assert 'data-testid="engagements"' not in page


def test_engagements_page_lists_national_then_network_ones_and_says_what_is_missing(
    client, django_assert_num_queries
):
    for number in range(1, 8):
        EngagementFactory(number=number)
    network = NetworkFactory(name="CNAF")
    EngagementFactory(number=1, network=network, title="Engagement propre à la CNAF")
    with django_assert_num_queries(3):  # the engagements, and django-dsfr's site config (2)
        page = client.get("/engagements/").content.decode()
    national = page[page.index('data-testid="national-engagements"') :]
    assert national.count("Mesure à venir") == 8
    assert "Engagements propres au réseau CNAF" in page
    assert "1 n&#x27;a pas encore pu être" in page or "1 n'a pas encore pu être" in page
    EngagementFactory(number=8)
    assert 'data-testid="engagements-missing"' not in client.get("/engagements/").content.decode()


def test_engagements_page_query_count_does_not_grow(client, django_assert_num_queries):
    EngagementFactory(number=1)
    with django_assert_num_queries(3):
        client.get("/engagements/")
    for number in range(2, 26):
        EngagementFactory(number=number, network=NetworkFactory())
    with django_assert_num_queries(3):
        client.get("/engagements/")
