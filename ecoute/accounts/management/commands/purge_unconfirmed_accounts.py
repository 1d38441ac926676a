"""Periodic job: delete accounts whose address was never confirmed, freeing the address."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.accounts.actions import purge_unconfirmed_accounts
from ecoute.accounts.queries import expired_unconfirmed_accounts


class Command(BaseCommand):
    help = (
        "Supprime les comptes dont l'adresse n'a pas été confirmée dans le délai "
        "(ECOUTE_UNCONFIRMED_ACCOUNT_DAYS jours après l'inscription)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="délai en jours (par défaut : ECOUTE_UNCONFIRMED_ACCOUNT_DAYS)",
        )
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien supprimer")

    def handle(self, *args: object, days: int | None, dry_run: bool, **options: object) -> None:
        days = settings.ECOUTE_UNCONFIRMED_ACCOUNT_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days doit être au moins 1.")
        older_than = dt.timedelta(days=days)
        if dry_run:
            count = expired_unconfirmed_accounts(older_than=older_than).count()
            self.stdout.write(f"{count} compte(s) non confirmé(s) depuis {days} jours à supprimer.")
            return
        count = purge_unconfirmed_accounts(older_than=older_than)
        self.stdout.write(f"{count} compte(s) non confirmé(s) depuis {days} jours supprimé(s).")
