"""Catalogue import on a real sample (Ain, Mayenne, Paris and every SP+ ancestor)."""

import csv

import pytest

from ecoute.catalogue import importers
from ecoute.catalogue.importers import load_catalogue, normalise_postal_code, normalise_url
from ecoute.catalogue.models import Channel, ContactPoint, Network, Organisation
from ecoute.common.text import fold
from ecoute.territories.importers import ImportAborted, load_territories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(sample_data_dir):
    load_territories(sample_data_dir)
    return load_catalogue(sample_data_dir)


def _sample_structures(sample_data_dir):
    path = sample_data_dir / "sp-plus/export-structures.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        return {row[0]: row for row in reader}


def test_every_structure_is_stored_with_its_parent_and_path(sample_data_dir, loaded):
    rows = _sample_structures(sample_data_dir)
    assert Organisation.objects.filter(sp_code__isnull=False).count() == len(rows)
    orgs = {o.sp_code: o for o in Organisation.objects.filter(sp_code__isnull=False)}
    for code, row in rows.items():
        parent = orgs[row[8]].pk if row[8] else None
        assert orgs[code].parent_id == parent, code

    # A known chain: DDSP de la Mayenne → DZSP zone ouest → DCSP → Police nationale root.
    ddsp = Organisation.objects.get(sp_code="3Tn8gzTdcz")
    chain = []
    node = ddsp
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    assert ddsp.path == "/" + "/".join(str(pk) for pk in reversed(chain)) + "/"
    assert ddsp.parent.name == "DZSP ZONE OUEST"
    zone = ddsp.parent
    below_zone = Organisation.objects.filter(path__startswith=zone.path).exclude(pk=zone.pk)
    assert ddsp in below_zone
    assert all(o.path.startswith(zone.path) for o in zone.children.all())

    assert ddsp.network.slug == "police-nationale"
    assert (ddsp.commune_id, ddsp.departement_id, ddsp.region_id) == ("53130", "53", "52")
    assert ddsp.is_active


def test_second_run_changes_nothing(sample_data_dir, loaded):
    assert loaded.changed > 0
    again = load_catalogue(sample_data_dir)
    assert again.changed == 0, again.lines()


def test_counter_contact_points_are_searchable(loaded):
    ddsp_counter = ContactPoint.objects.get(source_key="sp:3Tn8gzTdcz:guichet")
    assert ddsp_counter.channel == Channel.COUNTER
    assert ddsp_counter.address == "7 Place Mendes France"
    assert ddsp_counter.postal_code == "53013"
    assert ddsp_counter.commune_id == "53130"
    for query in ("ddsp de la mayenne", "laval", "mayenne", "53013", "police nationale"):
        assert query in ddsp_counter.search_text
    hits = ContactPoint.objects.filter(search_text__contains=fold("Laval"))
    assert ddsp_counter in hits


def test_paris_arrondissements_map_to_paris(loaded):
    in_paris = Organisation.objects.filter(departement_id="75")
    assert in_paris.exists()
    assert set(in_paris.exclude(commune=None).values_list("commune_id", flat=True)) == {"75056"}


def test_france_services_list_completes_sp_plus(sample_data_dir, loaded):
    network = Network.objects.get(slug="france-services")
    fs_path = sample_data_dir / "territoires/france-services/liste-fs-20240801.csv"
    with fs_path.open(encoding="utf-8", newline="") as handle:
        fs_rows = list(csv.DictReader(handle))
    counters = ContactPoint.objects.filter(source_key__startswith="fs:", channel=Channel.COUNTER)
    assert counters.count() == len(fs_rows)
    assert all(c.organisation.network_id == network.pk for c in counters)
    assert all(c.latitude is not None for c in counters)
    # A structure known to SP+ keeps its SP+ organisation and gets no second counter.
    matched = counters.filter(organisation__sp_code__isnull=False).first()
    assert matched is not None
    code = matched.organisation.sp_code
    assert not ContactPoint.objects.filter(source_key=f"sp:{code}:guichet").exists()
    # Phones become their own contact points.
    phone = ContactPoint.objects.filter(source_key__startswith="fs:", channel=Channel.PHONE)
    assert phone.count() == sum(1 for r in fs_rows if r["telephone"].strip())
    # Those absent from SP+ are organisations of their own under the SP+ head of the network.
    created = Organisation.objects.filter(sp_code=None, identifier_type=importers.FS_ID_TYPE)
    assert created.exists()
    for org in created:
        assert org.network_id == network.pk
        assert org.parent is not None and org.path.startswith(org.parent.path)


def test_website_contact_points(loaded):
    online = ContactPoint.objects.filter(channel=Channel.ONLINE)
    assert online.exists()
    for cp in online:
        assert cp.url.startswith("http")
        assert cp.source_key.endswith(":en_ligne")
        assert cp.url == cp.organisation.website


def test_catalogue_needs_territories(sample_data_dir):
    with pytest.raises(ImportAborted, match="territories"):
        load_catalogue(sample_data_dir)


def test_failure_midway_leaves_previous_state(sample_data_dir, monkeypatch):
    load_territories(sample_data_dir)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importers._CatalogueImport, "_sync_contact_points", explode)
    with pytest.raises(RuntimeError):
        load_catalogue(sample_data_dir)
    assert not Organisation.objects.exists()
    assert not Network.objects.exists()


def test_bad_structure_row_is_skipped_with_line_number(editable_data_dir):
    data_dir = editable_data_dir
    path = data_dir / "sp-plus/export-structures.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(";POLICE NATIONALE;;;;\n")
    lines = path.read_text(encoding="utf-8").count("\n")
    load_territories(data_dir)
    report = load_catalogue(data_dir)
    skipped = [s for t in report.tables for s in t.skipped]
    assert [s.line for s in skipped] == [lines]
    assert "columns" in skipped[0].reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("53013", "53013"), ("4000", "04000"), ("75", ""), ("750004", ""), ("", "")],
)
def test_normalise_postal_code(raw, expected):
    assert normalise_postal_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.urssaf.fr/", "https://www.urssaf.fr/"),
        ("www.impots.gouv.fr", "https://www.impots.gouv.fr"),
        ("https://www.ac-reims.fr/dsden08-les-circ…", "https://www.ac-reims.fr/"),
        ("not a url", ""),
        ("", ""),
        ("https://example.fr/" + "a" * 481, "https://example.fr/" + "a" * 481),  # 500: kept
        ("https://example.fr/" + "a" * 482, ""),  # cutting it would store a broken link
    ],
)
def test_normalise_url(raw, expected):
    assert normalise_url(raw) == expected


def test_france_services_coordinates_off_the_globe_are_ignored(editable_data_dir):
    path = editable_data_dir / "territoires/france-services/liste-fs-20240801.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows[0]["latitude"], rows[1]["longitude"] = "nan", "181"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)

    load_territories(editable_data_dir)
    load_catalogue(editable_data_dir)

    for row in rows[:2]:
        counter = ContactPoint.objects.get(source_key=f"fs:{row['id_fs']}:guichet")
        # The commune's position stands in, as for a counter without coordinates.
        assert (counter.latitude, counter.longitude) == (
            counter.commune.latitude,
            counter.commune.longitude,
        )
    coordinates = ContactPoint.objects.exclude(latitude=None).values_list("latitude", "longitude")
    assert all(abs(lat) <= 90 and abs(lon) <= 180 for lat, lon in coordinates)


def test_renamed_structure_column_aborts_the_import(editable_data_dir):
    path = editable_data_dir / "sp-plus/export-structures.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(";Actif;", ";Active;", 1), encoding="utf-8")
    load_territories(editable_data_dir)

    with pytest.raises(ImportAborted, match="export-structures.csv: missing column.*'Actif'"):
        load_catalogue(editable_data_dir)
    assert not Organisation.objects.exists()
