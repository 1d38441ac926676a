from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.france_services.actions import compute_coverage
from ecoute.france_services.models import THRESHOLDS
from ecoute.france_services.queries import latest_coverage


class Command(BaseCommand):
    help = (
        "Computes the share of the population within 10, 20 and 30 minutes of a France "
        "services point, nationally and per département, and stores it for the pages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--detour", type=float, help="detour factor (default: ECOUTE_FS_DETOUR_FACTOR)"
        )
        parser.add_argument(
            "--speed", type=float, help="mean speed in km/h (default: ECOUTE_FS_SPEED_KMH)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = compute_coverage(detour_factor=options["detour"], speed_kmh=options["speed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        coverage = latest_coverage()
        assert coverage is not None and coverage.run.pk == run.pk  # noqa: S101 - just stored
        shares = ", ".join(
            f"{minutes} min {coverage.national[minutes].share or 0:.2f} %" for minutes in THRESHOLDS
        )
        self.stdout.write(
            f"France services coverage ({run.points} points, {run.communes} communes, "
            f"{run.population} inhabitants; detour {run.detour_factor}, {run.speed_kmh} km/h): "
            f"{shares}. Left out: {run.communes_without_population} communes without "
            f"population, {run.communes_without_position} without position "
            f"({run.population_without_position} inhabitants)."
        )
