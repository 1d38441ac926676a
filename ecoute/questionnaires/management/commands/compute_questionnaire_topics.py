"""Group the free texts of questionnaires by topic (ecoute.analysis); run after imports or
once a consultation closes (a periodic job)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ecoute.questionnaires import actions
from ecoute.questionnaires.models import Question, QuestionKind


class Command(BaseCommand):
    help = "Calcule les thèmes des réponses libres des questionnaires."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--questionnaire", type=int, help="Un seul questionnaire (id)")

    def handle(self, *args: Any, **options: Any) -> None:
        questions = Question.objects.filter(questionnaire__is_template=False).exclude(
            kind=QuestionKind.SCALE
        )
        if options["questionnaire"]:
            questions = questions.filter(questionnaire_id=options["questionnaire"])
        for question in questions.order_by("id"):
            count = actions.compute_question_topics(question=question)
            if count:
                self.stdout.write(f"Question {question.pk} : {count} thèmes.")
