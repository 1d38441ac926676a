"""Queue the daily or weekly digests of followed services, and (daily) the agents' digests of
new experiences on their organisations' services. Run by a scheduler, e.g.

    15 6 * * *  manage.py send_digests --frequency daily
    30 6 * * 1  manage.py send_digests --frequency weekly

Idempotent: each account's digest for a period is recorded (DigestDelivery, unique per account,
scope and period) and never sent twice, however often the command runs.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ecoute.follows.actions import digest_period
from ecoute.follows.models import (
    AgentAlertFrequency,
    DigestDelivery,
    DigestFrequency,
    DigestScope,
    Follow,
)
from ecoute.follows.queries import agents_with_alerts, users_with_service_frequency
from ecoute.follows.tasks import send_digest


class Command(BaseCommand):
    help = (
        "Envoie les résumés quotidiens ou hebdomadaires des services suivis, et les résumés "
        "quotidiens des agents."
    )

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
        done = DigestDelivery.objects.filter(frequency=frequency, period_start=period.start_date)
        followers = Follow.objects.filter(contact_point__isnull=False).values("user_id")
        recipients = {
            DigestScope.SERVICES: users_with_service_frequency(frequency).filter(pk__in=followers)
        }
        if frequency == DigestFrequency.DAILY:
            recipients[DigestScope.AGENT_ALERTS] = agents_with_alerts(AgentAlertFrequency.DAILY)
        for scope, users in recipients.items():
            user_ids = list(
                users.exclude(pk__in=done.filter(scope=scope).values("user_id"))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for user_id in user_ids:
                send_digest.enqueue(
                    user_id=user_id, frequency=frequency, today=today.isoformat(), scope=scope.value
                )
            self.stdout.write(
                f"{len(user_ids)} résumé(s) {period.frequency.label} ({scope.label}) mis en "
                f"file pour la période du {period.start_date:%d/%m/%Y}."
            )
