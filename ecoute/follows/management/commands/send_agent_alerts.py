"""Send the agents' immediate alerts that are due. Run every few minutes, e.g.

    */5 * * * *  manage.py send_agent_alerts

A published experience opens a batch for each concerned agent who chose "immediate", due
ECOUTE_AGENT_ALERT_DELAY_MINUTES later; what is published meanwhile joins it. This command
sends each due batch as one e-mail. Idempotent: a batch is cleared in the transaction that
sends it, so a rerun (or two at once) sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ecoute.follows.models import AgentAlertState
from ecoute.follows.tasks import send_agent_alert


class Command(BaseCommand):
    help = "Envoie les alertes immédiates des agents arrivées à échéance (une par rafale)."

    def handle(self, *args: object, **options: object) -> None:
        user_ids = list(
            AgentAlertState.objects.filter(due_at__lte=timezone.now())
            .order_by("due_at", "user_id")
            .values_list("user_id", flat=True)
        )
        for user_id in user_ids:
            send_agent_alert.enqueue(user_id=user_id)
        self.stdout.write(f"{len(user_ids)} alerte(s) d'agent mise(s) en file.")
