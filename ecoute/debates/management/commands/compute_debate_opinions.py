"""Recompute the stored opinion groups of the consultations' debates (a periodic job)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ecoute.consultations.models import Consultation
from ecoute.debates.opinions import compute_opinions


class Command(BaseCommand):
    help = "Calcule les groupes d'opinion des votes des débats (carte des participants)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Consultations (toutes par défaut).")

    def handle(self, *args: Any, **options: Any) -> None:
        consultations = Consultation.objects.filter(debate_sections__isnull=False).distinct()
        if options["slugs"]:
            consultations = consultations.filter(slug__in=options["slugs"])
        for consultation in consultations.order_by("id"):
            opinion_map = compute_opinions(consultation=consultation)
            if opinion_map is None:
                self.stdout.write(f"{consultation.slug}: pas assez de votes")
            else:
                self.stdout.write(
                    f"{consultation.slug}: {len(opinion_map.data['groups'])} groupes, "
                    f"{opinion_map.participants} participants, {opinion_map.votes} votes"
                )
