"""The guides and modules shipped in data/resources/: loaded, published, never overwritten."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ecoute.resources.importers import load_resources, parse_resource
from ecoute.resources.models import PublicationStatus, Resource, TrainingModule
from ecoute.resources.rendering import render_markdown

pytestmark = pytest.mark.django_db
DATA = Path(settings.ECOUTE_DATA_DIR)


def test_the_shipped_content_loads_published_and_twice_changes_nothing():
    report = load_resources(DATA)
    assert report.skipped == 0
    resources = Resource.objects.published()
    assert resources.count() >= 4
    slugs = set(resources.values_list("slug", flat=True))
    assert {
        "repondre-a-un-avis-negatif",
        "droit-a-l-erreur",
        "orienter-vers-le-bon-service",
        "proteger-les-donnees-personnelles",
    } <= slugs
    assert TrainingModule.objects.published().count() >= 2
    for module in TrainingModule.objects.all():
        assert module.steps.count() >= 2
    for resource in resources:
        assert "## Sources" in resource.body  # every guide cites its sources
        assert "<h2>Sources</h2>" in render_markdown(resource.body)
    again = load_resources(DATA)
    assert again.changed == 0


def test_an_edited_resource_is_kept_on_reload():
    load_resources(DATA)
    Resource.objects.filter(slug="droit-a-l-erreur").update(title="Titre revu")
    load_resources(DATA)
    assert Resource.objects.get(slug="droit-a-l-erreur").title == "Titre revu"


def test_load_reference_data_loads_only_resources(capsys):
    call_command("load_reference_data", only=["resources"])
    assert "[resources]" in capsys.readouterr().out
    assert Resource.objects.filter(status=PublicationStatus.PUBLISHED).exists()


def test_a_bad_file_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "resources"
    (folder / "resources").mkdir(parents=True)
    (folder / "catalogue.json").write_text(
        '{"categories": [{"slug": "c", "name": "C"}], "modules": '
        '[{"slug": "m", "title": "M", "summary": "s", "estimated_minutes": 5, "steps": ["x"]}]}'
    )
    (folder / "resources" / "x.md").write_text("titre: X\n---\ntexte\n")
    report = load_resources(tmp_path)
    assert report.skipped == 2  # the resource (header incomplete), then its module
    assert any("missing header keys" in line for line in report.lines())


@pytest.mark.parametrize(
    "text", ["titre: X\ncategorie: c\nordre: 1\nresume: r\ntexte sans séparateur", "x\n---\ny"]
)
def test_parse_refuses_a_malformed_header(text):
    with pytest.raises(ValueError):
        parse_resource(text)
