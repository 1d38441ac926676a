"""Import observatory measurements from a CSV file (semicolon or comma separated, UTF-8):

    demarche;indicateur;valeur;date;source
    declarer-ses-revenus;rgaa;75;2025-10-01;Déclaration d'accessibilité du 1er octobre 2025

`demarche` is the démarche's slug, `indicateur` one of rgaa, dlnuf, aide, disponibilite, `date`
YYYY-MM-DD or DD/MM/YYYY. Every line goes through `record_measurement`; the file is refused
whole, with each faulty line's number and reason, unless every line is valid (--partial keeps
the valid ones)."""

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ecoute.demarches import actions
from ecoute.demarches.models import Demarche

COLUMNS = ["demarche", "indicateur", "valeur", "date", "source"]


class Refused(Exception):
    pass


def parse_date(value: str) -> dt.date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValidationError(f"date illisible « {value} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Import observatory measurements of démarches from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--partial", action="store_true", help="keep the valid lines")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        text = path.read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ";", delimiters=";,")
        reader = csv.DictReader(text.splitlines(), dialect=dialect)
        missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"Colonnes manquantes : {', '.join(missing)}")
        slugs = dict(Demarche.objects.values_list("slug", "pk"))
        errors: list[str] = []
        imported = 0
        try:
            with transaction.atomic():
                for number, row in enumerate(reader, start=2):
                    try:
                        self._import(row, slugs)
                        imported += 1
                    except ValidationError as error:
                        errors.append(f"ligne {number} : {_message(error)}")
                if errors and not options["partial"]:
                    raise Refused
        except Refused:
            raise CommandError(
                "Fichier refusé, rien n'a été importé :\n" + "\n".join(errors)
            ) from None
        for line in errors:
            self.stderr.write(line)
        self.stdout.write(f"{imported} mesures importées, {len(errors)} lignes refusées.")

    def _import(self, row: dict[str, str], slugs: dict[str, int]) -> None:
        slug = (row.get("demarche") or "").strip()
        if slug not in slugs:
            raise ValidationError(f"démarche inconnue « {slug} »")
        with transaction.atomic():
            actions.record_measurement(
                actor=None,
                demarche=Demarche(pk=slugs[slug], slug=slug),
                indicator=(row.get("indicateur") or "").strip(),
                value=row.get("valeur") or "",
                measured_on=parse_date(row.get("date") or ""),
                source=row.get("source") or "",
            )
