"""Load the ten moments de vie from data/demarches/moments-de-vie.csv (idempotent, by slug)."""

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.demarches.actions import MomentRow, load_moments_de_vie

RELATIVE_PATH = Path("demarches") / "moments-de-vie.csv"


class Command(BaseCommand):
    help = "Load (or update) the moments de vie from the data folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="CSV file (default: the data folder's)")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete the moments absent from the file (their démarches lose the link).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"] or Path(settings.ECOUTE_DATA_DIR) / RELATIVE_PATH
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        with path.open(encoding="utf-8") as handle:
            rows = [
                MomentRow(
                    slug=row["slug"],
                    number=int(row["numero"]),
                    name=row["nom"],
                    description=row["description"],
                )
                for row in csv.DictReader(handle, delimiter=";")
            ]
        absent = load_moments_de_vie(rows=rows, prune=options["prune"])
        self.stdout.write(f"{len(rows)} moments de vie chargés.")
        if absent:
            verb = "supprimés" if options["prune"] else "gardés (--prune pour les supprimer)"
            self.stdout.write(f"Absents du fichier, {verb} : {', '.join(absent)}.")
