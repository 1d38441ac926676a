from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ecoute.indicators.definitions import BY_SLUG
from ecoute.indicators.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Recompute the indicators' roll-ups from the published experiences and the imported "
        "measurements (repair tool: the actions keep them current)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--indicator", action="append", choices=sorted(BY_SLUG), help="only this one"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = rebuild(options["indicator"])
        self.stdout.write(f"{rows} roll-up rows written.")
