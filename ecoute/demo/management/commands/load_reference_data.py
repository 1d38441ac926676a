"""`manage.py load_reference_data`: territories, SP+ catalogue, engagements, SP+ experiences,
agents' resources, the baromètre des résultats."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.catalogue.engagements import load_engagements
from ecoute.catalogue.importers import load_catalogue
from ecoute.experiences.importers import load_spplus_experiences
from ecoute.policies.importers import load_barometre_resultats
from ecoute.resources.importers import load_resources
from ecoute.territories.importers import DatasetReport, ImportAborted, load_territories

# In dependency order: each dataset needs the ones before it.
DATASETS: dict[str, Callable[..., DatasetReport]] = {
    "territories": load_territories,
    "catalogue": load_catalogue,
    "engagements": load_engagements,
    "experiences": load_spplus_experiences,
    "resources": load_resources,
    "barometre": load_barometre_resultats,
}


class Command(BaseCommand):
    help = (
        "Load the reference data shipped in data/ (INSEE territories, Services Publics + "
        "directory and France services, Services Publics + engagements, SP+ Pôle emploi "
        "experiences, agents' guides and training modules, the baromètre des résultats de "
        "l'action publique 2023 and 2024). Idempotent: a second run changes "
        "nothing. Each dataset is one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            choices=list(DATASETS),
            help="load only this dataset (repeatable); default: all, in dependency order",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="abort a dataset (rolling it back) if any of its rows is bad",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder holding the data sets (default: settings.ECOUTE_DATA_DIR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"] or Path(settings.ECOUTE_DATA_DIR)
        selected = [name for name in DATASETS if not options["only"] or name in options["only"]]
        start = time.perf_counter()
        for name in selected:
            begin = time.perf_counter()
            try:
                report = DATASETS[name](data_dir, strict=options["strict"])
            except ImportAborted as error:
                if error.report is not None:
                    error.report.seconds = time.perf_counter() - begin
                    self.stdout.write("\n".join(error.report.lines()))
                raise CommandError(
                    f"{name}: {error} — nothing of this dataset was saved"
                ) from error
            except FileNotFoundError as error:
                raise CommandError(f"{name}: missing file {error.filename}") from error
            report.seconds = time.perf_counter() - begin
            self.stdout.write("\n".join(report.lines()))
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded in {time.perf_counter() - start:.1f} s")
        )
