"""SP+ Pôle emploi experiences: pending, imported, masked, keyed by their text."""

import pytest
from django.utils import timezone

from ecoute.catalogue.importers import load_catalogue
from ecoute.catalogue.models import Channel
from ecoute.experiences.importers import (
    channel_from_flags,
    load_spplus_experiences,
    make_title,
    source_key,
)
from ecoute.experiences.models import Experience, ExperienceOrigin, ExperienceStatus
from ecoute.moderation.models import ModerationItem, Priority
from ecoute.territories.importers import ImportAborted, load_territories
from tests.territories.sample_data import SAMPLE_EXPERIENCES

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(sample_data_dir):
    load_territories(sample_data_dir)
    load_catalogue(sample_data_dir)


def test_experiences_are_imported_pending_and_masked(sample_data_dir, catalogue):
    report = load_spplus_experiences(sample_data_dir)

    assert report.tables[0].created == SAMPLE_EXPERIENCES
    experiences = Experience.objects.all()
    assert experiences.count() == SAMPLE_EXPERIENCES
    for experience in experiences:
        assert experience.status == ExperienceStatus.PENDING
        assert experience.origin == ExperienceOrigin.IMPORTED
        assert experience.network.slug == "pole-emploi"
        assert experience.contact_point is None and experience.author is None
        assert experience.rating_satisfaction is None
        assert experience.source_key.startswith("spplus-pe:")
        assert experience.title[0].isupper()
    # Each one waits in the moderation queue as an imported text (lowest priority).
    items = ModerationItem.objects.filter(kind="experience", awaiting=True, origin="imported")
    assert items.count() == SAMPLE_EXPERIENCES
    assert set(items.values_list("priority", flat=True)) == {Priority.IMPORTED}
    first = Experience.objects.get(source_key__startswith="spplus-pe:", body__startswith="alors")
    assert first.title == "Alors que nous recevons un avis d impots…"
    assert first.channel == Channel.ONLINE


def test_reimport_creates_nothing_and_keeps_moderation(sample_data_dir, catalogue):
    load_spplus_experiences(sample_data_dir)
    published = Experience.objects.first()
    published.status = ExperienceStatus.PUBLISHED
    published.published_at = timezone.now()  # a database constraint since decision 0012
    published.body = "edited by a moderator"
    published.save()

    again = load_spplus_experiences(sample_data_dir)

    assert again.changed == 0
    published.refresh_from_db()
    assert published.status == ExperienceStatus.PUBLISHED
    assert published.body == "edited by a moderator"


def test_needs_the_pole_emploi_network(sample_data_dir):
    with pytest.raises(ImportAborted, match="pole-emploi"):
        load_spplus_experiences(sample_data_dir)


def test_phone_numbers_are_masked(sample_data_dir, catalogue, tmp_path):
    path = tmp_path / "sp-plus" / "experiences-pole-emploi-normalisees.csv"
    path.parent.mkdir()
    header = (
        (sample_data_dir / "sp-plus/experiences-pole-emploi-normalisees.csv")
        .read_text(encoding="utf-8")
        .splitlines()[0]
    )
    path.write_text(
        header + "\nappelez moi au 06 12 34 56 78 merci;0;0;1;0;0;0;0;[];x;-1\n", encoding="utf-8"
    )
    load_spplus_experiences(tmp_path)
    experience = Experience.objects.get()
    assert "06 12 34 56 78" not in experience.body
    assert experience.masked_items == 1
    assert experience.channel == Channel.PHONE


@pytest.mark.parametrize(
    ("flags", "channel"),
    [
        ({"demarche en ligne": "1", "accueil": "1"}, Channel.ONLINE),
        ({"compte ou espace personnel": "1"}, Channel.ONLINE),
        ({"telephone": "1", "courrier": "1"}, Channel.PHONE),
        ({"e-mail": "1", "accueil": "1"}, Channel.MAIL),
        ({"accueil": "1"}, Channel.COUNTER),
        ({"reseaux sociaux": "1"}, ""),
    ],
)
def test_channel_priority(flags, channel):
    assert channel_from_flags(flags) == channel


def test_title_and_key():
    assert make_title("le site ne marche pas") == "Le site ne marche pas"
    assert make_title("un deux trois quatre cinq six sept huit neuf") == (
        "Un deux trois quatre cinq six sept huit…"
    )
    assert source_key("abc") == source_key("abc") != source_key("abd")
    assert len(source_key("abc")) == len("spplus-pe:") + 16


def test_renamed_column_aborts_the_import(sample_data_dir, catalogue, tmp_path):
    path = tmp_path / "sp-plus" / "experiences-pole-emploi-normalisees.csv"
    path.parent.mkdir()
    source = (sample_data_dir / "sp-plus/experiences-pole-emploi-normalisees.csv").read_text(
        encoding="utf-8"
    )
    path.write_text(source.replace("Description;", "Texte;", 1), encoding="utf-8")

    # Without the check, every row would be skipped as "empty Description".
    with pytest.raises(ImportAborted, match="missing column.*'Description'"):
        load_spplus_experiences(tmp_path)
    assert not Experience.objects.exists()


def _write_rows(sample_data_dir, tmp_path, texts):
    path = tmp_path / "sp-plus" / "experiences-pole-emploi-normalisees.csv"
    path.parent.mkdir(exist_ok=True)
    header = (
        (sample_data_dir / "sp-plus/experiences-pole-emploi-normalisees.csv")
        .read_text(encoding="utf-8")
        .splitlines()[0]
    )
    lines = [f"{text};1;0;0;0;0;0;0;[];x;-1" for text in texts]
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")


def test_names_addresses_and_file_numbers_are_masked(sample_data_dir, catalogue, tmp_path):
    _write_rows(
        sample_data_dir,
        tmp_path,
        [
            "mme dupont de pole emploi m a dit que mon numero allocataire 1234567 etait faux "
            "j habite 12 rue des lilas 69003 lyon"
        ],
    )
    load_spplus_experiences(tmp_path)
    body = Experience.objects.get().body
    assert body == (
        "mme [nom masqué] de pole emploi m a dit que mon numero allocataire "
        "[numéro de dossier masqué] etait faux j habite [adresse masquée]"
    )
    assert Experience.objects.get().masked_items == 3


def test_rows_are_masked_and_written_by_chunk(
    sample_data_dir, catalogue, tmp_path, monkeypatch, django_assert_max_num_queries
):
    import ecoute.experiences.importers as importers

    calls = []
    real_mask_many = importers.mask_many

    def counting_mask_many(texts):
        texts = list(texts)
        calls.append(len(texts))
        return real_mask_many(texts)

    monkeypatch.setattr(importers, "mask_many", counting_mask_many)
    texts = [f"texte numero {i} de l usager mme martin" for i in range(25)]
    _write_rows(sample_data_dir, tmp_path, [*texts, texts[3], texts[20]])

    # 25 rows in 3 chunks: one key lookup and one INSERT per chunk, never one per row.
    with django_assert_max_num_queries(12):
        report = load_spplus_experiences(tmp_path, chunk_size=10)

    assert calls == [10, 10, 5]
    stats = report.tables[0]
    assert (stats.read, stats.created, len(stats.skipped)) == (27, 25, 2)
    assert Experience.objects.count() == 25
    assert not Experience.objects.filter(body__contains="martin").exists()

    calls.clear()
    again = load_spplus_experiences(tmp_path, chunk_size=10)
    assert again.tables[0].created == 0 and again.tables[0].unchanged == 25
    assert sum(calls) == 0  # stored texts are not masked again
