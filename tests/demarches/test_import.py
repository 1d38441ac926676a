"""`import_demarche_measurements`: a CSV of observatory figures, refused whole with
line-numbered French reasons, or imported through `record_measurement`."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecoute.demarches.models import Measurement, MomentDeVie

from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db


def _write(tmp_path, text: str):
    path = tmp_path / "mesures.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_every_line(tmp_path):
    DemarcheFactory(slug="revenus")
    path = _write(
        tmp_path,
        "demarche;indicateur;valeur;date;source\n"
        "revenus;rgaa;75,5;2025-10-01;Déclaration d'accessibilité\n"
        "revenus;dlnuf;2;01/10/2025;Audit DINUM\n",
    )
    out = StringIO()
    call_command("import_demarche_measurements", str(path), stdout=out)
    assert "2 mesures importées, 0 lignes refusées." in out.getvalue()
    assert sorted(Measurement.objects.values_list("indicator", "value")) == [
        ("dlnuf", Decimal("2.000")),
        ("rgaa", Decimal("75.500")),
    ]


def test_refuses_the_whole_file_with_numbered_reasons(tmp_path):
    DemarcheFactory(slug="revenus")
    path = _write(
        tmp_path,
        "demarche,indicateur,valeur,date,source\n"
        "revenus,rgaa,80,2025-10-01,Audit\n"
        "inconnue,rgaa,80,2025-10-01,Audit\n"
        "revenus,aide,120,2025-10-01,Audit\n"
        "revenus,disponibilite,99.9,hier,Audit\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_demarche_measurements", str(path))
    message = str(error.value)
    assert "rien n'a été importé" in message
    assert "ligne 3 : démarche inconnue « inconnue »" in message
    assert "ligne 4 : Un pourcentage ne dépasse pas 100." in message
    assert "ligne 5 : date illisible « hier »" in message
    assert not Measurement.objects.exists()
    call_command("import_demarche_measurements", str(path), "--partial", stderr=StringIO())
    assert Measurement.objects.count() == 1


def test_missing_columns_and_file(tmp_path):
    with pytest.raises(CommandError, match="Colonnes manquantes : date, source"):
        call_command(
            "import_demarche_measurements", str(_write(tmp_path, "demarche;indicateur;valeur\n"))
        )
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_demarche_measurements", str(tmp_path / "absent.csv"))


def test_moments_de_vie_load_from_the_data_folder_idempotently():
    call_command("load_moments_de_vie", stdout=StringIO())
    call_command("load_moments_de_vie", stdout=StringIO())
    assert MomentDeVie.objects.count() == 10
    assert MomentDeVie.objects.get(number=1).name == "Je deviens parent"
