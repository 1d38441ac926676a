"""`manage.py rebuild_answer_statistics`: recount the answer roll-ups (repair tool; the actions
keep them current). One streamed pass over the published experiences."""

from typing import Any

from django.core.management.base import BaseCommand

from ...answer_statistics import rebuild_answer_statistics


class Command(BaseCommand):
    help = "Recount answer rate and first-answer delays per organisation and network."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = rebuild_answer_statistics()
        self.stdout.write(f"{rows} answer statistics rows written.")
