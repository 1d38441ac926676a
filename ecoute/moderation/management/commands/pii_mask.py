"""`manage.py pii_mask`: mask personal data in UTF-8 lines read on standard input, one masked
line out per line in, with the code used before storage (`moderation.masking.mask_many`).

Lines are masked in batches (the NER model reads a batch at once) and each batch is flushed
as soon as it is masked; `--batch-size 1` answers line by line. A line that is not valid
UTF-8 is reported on standard error with its number and left out as an empty line (so that
output line N is still input line N); the command then ends with status 1.

    cat texts.txt | python manage.py pii_mask > masked.txt
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecoute.moderation.masking import BATCH, mask_many


class Command(BaseCommand):
    help = "Masque les données personnelles de chaque ligne lue sur l'entrée standard (UTF-8)."
    # call_command("pii_mask", stdin=...) in tests and scripts
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH,
            help="lignes masquées ensemble avant d'écrire (1 : ligne par ligne)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size doit être au moins 1.")
        stream: IO[Any] = options.get("stdin") or sys.stdin.buffer
        self.bad_lines: list[int] = []
        lines = self._decoded(stream)
        while batch := list(islice(lines, batch_size)):
            texts = [text for _number, text in batch]
            for (_number, text), masked in zip(batch, mask_many(texts), strict=True):
                self.stdout.write(masked.text if text else "")
            self.stdout.flush()
        if self.bad_lines:
            count = len(self.bad_lines)
            raise CommandError(f"{count} ligne(s) non UTF-8 laissée(s) vide(s).")

    def _decoded(self, stream: IO[Any]) -> Iterator[tuple[int, str]]:
        for number, raw in enumerate(stream, start=1):
            if isinstance(raw, bytes):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    self.stderr.write(
                        f"ligne {number} : encodage invalide (UTF-8 attendu, octet "
                        f"{raw[error.start]:#04x} en position {error.start + 1}) ; "
                        "ligne laissée vide."
                    )
                    self.bad_lines.append(number)
                    yield number, ""
                    continue
            else:
                line = raw
            yield number, line.rstrip("\r\n")
