"""Load the ten moments de vie from data/demarches/moments-de-vie.csv (idempotent, by slug)."""

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ecoute.demarches.models import MomentDeVie

RELATIVE_PATH = Path("demarches") / "moments-de-vie.csv"


class Command(BaseCommand):
    help = "Load (or update) the moments de vie from the data folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="CSV file (default: the data folder's)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"] or Path(settings.ECOUTE_DATA_DIR) / RELATIVE_PATH
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        with path.open(encoding="utf-8") as handle, transaction.atomic():
            rows = list(csv.DictReader(handle, delimiter=";"))
            for row in rows:
                MomentDeVie.objects.update_or_create(
                    slug=row["slug"],
                    defaults={
                        "number": int(row["numero"]),
                        "name": row["nom"],
                        "description": row["description"],
                    },
                )
        self.stdout.write(f"{len(rows)} moments de vie chargés.")
