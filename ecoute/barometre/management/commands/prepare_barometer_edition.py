from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.accounts.models import User
from ecoute.barometre import actions
from ecoute.indicators.queries import parse_semester


class Command(BaseCommand):
    help = (
        "Prepare (or prepare again) the draft barometer edition of a semester from the current "
        "roll-ups, and publish it with --publish. A published edition never changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("semester", help="AAAA-S1 or AAAA-S2, e.g. 2026-S1")
        parser.add_argument("--publish", action="store_true", help="publish the draft")
        parser.add_argument("--note", help="warning shown on the edition's pages")
        parser.add_argument("--user", help="username recorded as preparer and publisher")

    def handle(self, *args: Any, **options: Any) -> None:
        semester = parse_semester(options["semester"].strip().upper())
        if semester is None:
            raise CommandError("Semester must read AAAA-S1 or AAAA-S2, e.g. 2026-S1.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No account named {options['user']!r}.")
        try:
            edition = actions.prepare_edition(semester=semester, actor=actor, note=options["note"])
            self.stdout.write(
                f"Draft {edition}: {edition.figures.count()} figures "
                f"(minimum sample {edition.minimum_sample})."
            )
            if options["publish"]:
                actions.publish_edition(edition=edition, actor=actor)
                self.stdout.write(f"Published {edition}.")
        except actions.EditionError as error:
            raise CommandError(str(error)) from error
