"""`manage.py purge_unconfirmed_experiences`: delete experiences told without an account whose
confirmation link expired unopened (periodic job, hourly; see README "Periodic jobs")."""

from typing import Any

from django.core.management.base import BaseCommand

from ecoute.experiences.guests import purge_unconfirmed_guest_submissions


class Command(BaseCommand):
    help = "Supprime les expériences sans compte dont le lien de confirmation a expiré."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_unconfirmed_guest_submissions()
        self.stdout.write(f"{deleted} expérience(s) non confirmée(s) supprimée(s).")
