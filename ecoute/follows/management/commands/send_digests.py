"""Queue the daily or weekly digests. Run by a scheduler (cron, systemd timer), e.g.

    15 6 * * *  manage.py send_digests --frequency daily
    30 6 * * 1  manage.py send_digests --frequency weekly

Idempotent: each account's digest for a period is recorded (DigestDelivery, unique per account
and period) and never sent twice, however often the command runs.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ecoute.follows.actions import digest_period
from ecoute.follows.models import DigestDelivery, DigestFrequency, Follow
from ecoute.follows.queries import users_with_service_frequency
from ecoute.follows.tasks import send_digest


class Command(BaseCommand):
    help = "Envoie les résumés quotidiens ou hebdomadaires des services suivis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", required=True, choices=DigestFrequency.values)
        parser.add_argument(
            "--date",
            help="Jour de l'envoi (AAAA-MM-JJ, par défaut aujourd'hui) : "
            "le résumé couvre la période complète précédente.",
        )

    def handle(self, *args: object, frequency: str, date: str | None, **options: object) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date : date invalide ({error})") from error
        period = digest_period(frequency=frequency, today=today)
        done = DigestDelivery.objects.filter(
            frequency=frequency, period_start=period.start_date
        ).values("user_id")
        followers = Follow.objects.filter(contact_point__isnull=False).values("user_id")
        user_ids = list(
            users_with_service_frequency(frequency)
            .filter(pk__in=followers)
            .exclude(pk__in=done)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for user_id in user_ids:
            send_digest.enqueue(user_id=user_id, frequency=frequency, today=today.isoformat())
        self.stdout.write(
            f"{len(user_ids)} résumé(s) {period.frequency.label} mis en file "
            f"pour la période du {period.start_date:%d/%m/%Y}."
        )
