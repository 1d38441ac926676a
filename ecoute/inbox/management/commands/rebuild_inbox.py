"""`manage.py rebuild_inbox`: rewrite every inbox entry from the experiences and their
handling (repair tool; the actions keep the entries current)."""

from typing import Any

from django.core.management.base import BaseCommand

from ecoute.inbox.entries import rebuild_all


class Command(BaseCommand):
    help = "Reconstruit les entrées des boîtes de réception des agents."

    def handle(self, *args: Any, **options: Any) -> None:
        seen = rebuild_all()
        self.stdout.write(f"{seen} expérience(s) publiée(s) reprise(s).")
