"""`manage.py purge_personal_data`: delete the personal data whose retention period is over
(periodic job, daily; see experiences/retention.py and README "Periodic jobs")."""

from typing import Any

from django.core.management.base import BaseCommand

from ecoute.experiences.retention import purge_personal_data

LABELS = {
    "unconfirmed_accounts": "compte(s) jamais confirmé(s)",
    "unconfirmed_guest_experiences": "expérience(s) sans compte jamais confirmée(s)",
    "guest_contacts": "coordonnée(s) de contributeur sans compte arrivée(s) à échéance",
    "expired_sessions": "session(s) expirée(s)",
}


class Command(BaseCommand):
    help = "Supprime les données personnelles dont la durée de conservation est écoulée."

    def handle(self, *args: Any, **options: Any) -> None:
        for key, count in purge_personal_data().items():
            self.stdout.write(f"{count} {LABELS[key]} supprimé(s).")
