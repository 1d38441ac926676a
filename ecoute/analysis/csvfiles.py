"""Reading the CSV files people bring to the analyses: one reader for topics, similar texts and
opinion groups, so that every command accepts the same files and reports the same errors.

Files come from spreadsheets, Decidim or Pol.is exports, ministries' tools: UTF-8 (with or
without BOM), any of ``,`` ``;`` tab ``|`` as separator, quoted multi-line fields. They are read
as a stream (never held in memory); a problem is reported with the file name and line number.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Reader

DELIMITERS = (",", ";", "\t", "|")
_HEAD_BYTES = 4096

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class AnalysisInputError(ValueError):
    """Input an analysis cannot use; the message is meant for the person who supplied it."""


class CsvInputError(AnalysisInputError):
    """A CSV file that cannot be read."""


def decoded_lines(path: Path) -> Iterator[str]:
    """Lines of a UTF-8 file (BOM dropped, line ends kept for the csv module); a bad byte is
    reported with its line and column."""
    try:
        # Decoding in C: the file is only rescanned line by line to locate a bad byte.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from handle
    except UnicodeDecodeError:
        raise _bad_byte_error(path) from None


def _bad_byte_error(path: Path) -> CsvInputError:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return CsvInputError(
                    f"{path.name}: line {number} is not valid UTF-8 (byte "
                    f"{raw[exc.start]:#04x} at column {exc.start + 1}); re-save the file as UTF-8."
                )
    return CsvInputError(f"{path.name}: the file is not valid UTF-8; re-save it as UTF-8.")


def detect_delimiter(head: str) -> str:
    """Separator of a CSV from its first lines.

    The header must split into several fields and the complete lines of the sample must keep
    that field count (commas inside quoted fields of a ";" file do not fool it); ties go to the
    separator most frequent in the header, then to the order of ``DELIMITERS``.
    """
    lines = head.splitlines()
    complete = lines[:-1] if len(lines) > 1 and not head.endswith("\n") else lines
    header = complete[0] if complete else head
    unquoted = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    best, best_score = ",", (0, 0, 0, 0)
    for rank, delimiter in enumerate(DELIMITERS):
        try:
            widths = [len(row) for row in csv.reader(complete, delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        consistent = int(all(w == widths[0] for w in widths))
        score = (consistent, widths[0], unquoted.count(delimiter), -rank)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class CsvTable:
    """A CSV file with a header line, read as a stream of records.

    Raises :class:`CsvInputError` when the file is missing or empty, and from
    :meth:`column` when a column is not in the header (the message lists the columns).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise CsvInputError(f"{self.path}: no such file.")
        with self.path.open("rb") as probe:
            head = probe.read(_HEAD_BYTES)
        if not head.strip():
            raise CsvInputError(f"{self.path.name}: the file is empty (no header line).")
        self.delimiter = detect_delimiter(
            head.decode("utf-8", errors="ignore").removeprefix("\ufeff")
        )
        header = next(self._reader(), None)
        if not header or not any(name.strip() for name in header):
            raise CsvInputError(f"{self.path.name}: the file is empty (no header line).")
        self.header = [name.strip().strip("\ufeff").strip('"').strip() for name in header]

    def _reader(self) -> Reader:
        # strict: an unclosed quote must be an error, not the rest of the file in one field.
        return csv.reader(decoded_lines(self.path), delimiter=self.delimiter, strict=True)

    def columns(self, names: Sequence[str]) -> list[int]:
        """Indexes of ``names``; every missing one is named in a single error."""
        missing = [name for name in names if name not in self.header]
        if missing:
            raise CsvInputError(
                f"{self.path.name}: no column {', '.join(repr(m) for m in missing)} "
                f"(separator {self.delimiter!r}); available columns: "
                f"{', '.join(repr(h) for h in self.header)}."
            )
        return [self.header.index(name) for name in names]

    def records(self, pad: bool = True) -> Iterator[tuple[int, list[str]]]:
        """(line number where the record starts, fields); blank lines are skipped. With ``pad``
        short records are padded with empty fields to the header's width."""
        reader = self._reader()
        next(reader)
        width = len(self.header)
        end = reader.line_num  # last line of the previous record
        try:
            for record in reader:
                start, end = end + 1, reader.line_num
                if not record:
                    continue
                if pad and len(record) < width:
                    record += [""] * (width - len(record))
                yield start, record
        except csv.Error as exc:
            problem = (
                "a quoted field opened here is never closed"
                if "unexpected end of data" in str(exc)
                else f"malformed CSV ({exc}); check the quotes"
            )
            raise CsvInputError(f"{self.path.name}: line {end + 1}: {problem}.") from None
