"""Import the Decidim export of data/consultation-decidim-mel as a closed consultation."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.debates.importers import FOLDER, import_decidim


class Command(BaseCommand):
    help = "Importe un export open data Decidim (débats, commentaires, propositions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--folder",
            default=str(Path(settings.ECOUTE_DATA_DIR) / FOLDER),
            help="Dossier de l'export (debats.csv, commentaires_debats.csv, "
            "propositions-libres.csv).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        for name in ("debats.csv", "commentaires_debats.csv", "propositions-libres.csv"):
            if not (folder / name).is_file():
                raise CommandError(f"Fichier manquant : {folder / name}")
        report = import_decidim(folder)
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(report.summary())
