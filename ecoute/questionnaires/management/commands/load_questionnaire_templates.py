"""Load the Grand Débat national's four questionnaires as templates."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ecoute.questionnaires.importers import BadInput, load_grand_debat_templates


class Command(BaseCommand):
    help = "Charge les questionnaires du Grand débat national (2019) comme modèles."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_grand_debat_templates(Path(settings.ECOUTE_DATA_DIR))
        except BadInput as error:
            raise CommandError(str(error)) from error
        count = sum(q.questions.count() for q in loaded)
        self.stdout.write(f"{len(loaded)} modèles, {count} questions.")
