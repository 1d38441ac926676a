"""import_decidim: counts equal the files', no citizen names, idempotent, bad rows named."""

import csv
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ecoute.consultations.models import Status
from ecoute.debates.models import Argument, Contribution, Section, Side
from ecoute.moderation.models import ModerationItem

pytestmark = pytest.mark.django_db
SOURCE = Path(settings.BASE_DIR) / "data" / "consultation-decidim-mel"


def rows(name):
    with (SOURCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_import_counts_equal_the_files_and_is_idempotent(client):
    out = StringIO()
    call_command("import_decidim", stdout=out, stderr=StringIO())
    debates, comments, proposals = (
        rows("debats.csv"),
        rows("commentaires_debats.csv"),
        rows("propositions-libres.csv"),
    )
    assert "0 ligne(s) écartée(s)" in out.getvalue()
    debates_section = Section.objects.get(slug="debats")
    proposals_section = Section.objects.get(slug="propositions-libres")
    assert Contribution.objects.filter(section=debates_section).count() == len(debates) == 29
    assert Argument.objects.count() == len(comments) == 693
    assert Argument.objects.filter(side=Side.FOR).count() == 93
    assert Argument.objects.filter(side=Side.AGAINST).count() == 26
    assert Argument.objects.filter(side=Side.NEUTRAL).count() == 574
    imported = Contribution.objects.filter(section=proposals_section)
    assert imported.count() == len(proposals) == 196
    assert sum(c.votes_for for c in imported) == sum(int(r["votes"]) for r in proposals) == 498
    assert sum(c.arguments_count for c in Contribution.objects.all()) == 693
    assert ModerationItem.objects.filter(origin="imported").count() == 29 + 693 + 196
    consultation = debates_section.consultation
    assert consultation.status() == Status.CLOSED

    # No citizen name anywhere on the pages.
    names = {r["author/name"] for r in comments if len(r["author/name"]) > 4}
    debate = Contribution.objects.filter(section=debates_section).order_by("-arguments_count")[0]
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "Participant·e (import Decidim)" in page
    assert not [name for name in names if f">{name}<" in page or f" {name} ·" in page]
    assert client.get(proposals_section.get_absolute_url()).status_code == 200

    call_command("import_decidim", stdout=StringIO(), stderr=StringIO())
    assert Contribution.objects.count() == 29 + 196 and Argument.objects.count() == 693


def test_bad_rows_are_reported_with_their_line(tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(SOURCE, folder)
    path = folder / "propositions-libres.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text.append('999;;"";"";;"";"";Titre;Corps;beaucoup;0;2019-01-24 22:29:15 +0100;u;111;""\n')
    path.write_text("".join(text), encoding="utf-8")
    err = StringIO()
    call_command("import_decidim", folder=str(folder), stdout=StringIO(), stderr=err)
    assert f"propositions-libres.csv, ligne {len(text)} : soutiens illisibles" in err.getvalue()
    assert Contribution.objects.filter(section__slug="propositions-libres").count() == 196
