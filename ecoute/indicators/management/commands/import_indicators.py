from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.indicators.actions import import_measurements


class Command(BaseCommand):
    help = (
        "Import performance measurements from a CSV file (one line per organisation or contact "
        "point × indicator × month; docs/indicators-import.md). The whole file is checked "
        "first: nothing is stored when a line is wrong. Importing the same file again changes "
        "nothing; a corrected value keeps its history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}") from error
        report = import_measurements(actor=None, source=path.name, content=content)
        for line in report.lines_text():
            self.stderr.write(line)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
