"""Recount the daily feedback roll-up of the démarches from the feedback rows (repair)."""

from typing import Any

from django.core.management.base import BaseCommand

from ecoute.demarches.actions import rebuild_feedback_days


class Command(BaseCommand):
    help = "Rebuild the daily roll-up of the démarches' feedback."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{rebuild_feedback_days()} jours de cumuls réécrits.")
