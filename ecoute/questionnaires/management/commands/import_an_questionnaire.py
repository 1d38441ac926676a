"""Import the Assemblée nationale's 2016 "égalité femmes-hommes" questionnaire and responses."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.consultations.models import Consultation
from ecoute.questionnaires import actions
from ecoute.questionnaires.importers import (
    AN_DIR,
    BadInput,
    an_consultation,
    import_an_questionnaire,
)
from ecoute.questionnaires.queries import respondent_count


class Command(BaseCommand):
    help = "Importe le questionnaire « Égalité femmes-hommes » (Assemblée nationale, 2016)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, help="Dossier des EGALITE*.brut.json")
        parser.add_argument("--consultation", help="Slug d'une consultation existante")
        parser.add_argument("--topics", action="store_true", help="Calculer aussi les thèmes")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["directory"] or Path(settings.ECOUTE_DATA_DIR) / AN_DIR
        if options["consultation"]:
            consultation = Consultation.objects.filter(slug=options["consultation"]).first()
            if consultation is None:
                raise CommandError(f"Consultation inconnue : {options['consultation']}")
        else:
            consultation = an_consultation()
        try:
            questionnaire = import_an_questionnaire(directory, consultation)
        except BadInput as error:
            raise CommandError(str(error)) from error
        topics = 0
        if options["topics"]:
            for question in questionnaire.questions.all():
                topics += actions.compute_question_topics(question=question)
        self.stdout.write(
            f"{questionnaire.questions.count()} questions, "
            f"{respondent_count(questionnaire)} réponses importées, {topics} thèmes."
        )
