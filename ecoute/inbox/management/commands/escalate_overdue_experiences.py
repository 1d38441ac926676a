"""`manage.py escalate_overdue_experiences`: move every unanswered experience whose answer
delay ran out ECOUTE_ESCALATION_DELAY_DAYS ago up to the parent organisation (periodic job,
hourly or daily; idempotent; see README "Periodic jobs" and ecoute/inbox/README.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ecoute.inbox.actions import escalate_overdue_experiences


class Command(BaseCommand):
    help = "Escalade à l'organisation parente les expériences sans réponse après le délai."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=10_000, help="au plus ce nombre par passage"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        moved = escalate_overdue_experiences(limit=options["limit"])
        self.stdout.write(f"{moved} expérience(s) escaladée(s).")
