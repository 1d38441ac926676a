"""`manage.py load_barometre_resultats`: both editions of the baromètre des résultats."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.policies.importers import load_barometre_resultats
from ecoute.territories.importers import ImportAborted


class Command(BaseCommand):
    help = (
        "Load the baromètre des résultats de l'action publique (2023 Etalab and 2024 DITP "
        "editions) from <data-dir>/barometre-resultats/. Needs the territories. Idempotent; "
        "one transaction; prints rows read, values created/updated/unchanged and rows skipped "
        "with their reasons and line numbers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder holding barometre-resultats/ (default: settings.ECOUTE_DATA_DIR)",
        )
        parser.add_argument(
            "--strict", action="store_true", help="roll everything back if any row is bad"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"] or Path(settings.ECOUTE_DATA_DIR)
        begin = time.perf_counter()
        try:
            report = load_barometre_resultats(data_dir, strict=options["strict"])
        except ImportAborted as error:
            if error.report is not None:
                self.stdout.write("\n".join(error.report.lines()))
            raise CommandError(f"{error} — nothing was saved") from error
        except FileNotFoundError as error:
            raise CommandError(f"missing file {error.filename}") from error
        report.seconds = time.perf_counter() - begin
        self.stdout.write("\n".join(report.lines()))
