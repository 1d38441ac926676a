"""`manage.py build_answer_suggestions [--network ID ...]`: (re)build the index of answered
experiences of each network, read by the answer-writing page (periodic: e.g. hourly)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ecoute.catalogue.models import Network
from ecoute.experiences.models import Experience

from ...suggestions import build_index


class Command(BaseCommand):
    help = "Build the per-network index of answered experiences used for suggested drafts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", type=int, action="append", help="network id (repeat)")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["network"] or list(
            Experience.objects.filter(is_answered=True)
            .order_by()
            .values_list("network_id", flat=True)
            .distinct()
        )
        for network_id in sorted(ids):
            if not Network.objects.filter(pk=network_id).exists():
                self.stderr.write(f"Unknown network {network_id}: skipped.")
                continue
            start = time.perf_counter()
            count = build_index(network_id)
            elapsed = time.perf_counter() - start
            self.stdout.write(
                f"Network {network_id}: {count} answered experiences ({elapsed:.1f} s)"
            )
