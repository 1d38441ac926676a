"""Personal-data masking applied to every text before anyone else sees it.

`find_personal_data(text)` returns where personal data is, as `Span(start, end, kind)` in the
original text; `apply_masks` replaces each span with its kind's placeholder;
`mask_personal_data` does both; `mask_many` does the same for many texts, batching the NER
model. Kinds:

- checked identifiers: e-mail addresses, French phone numbers (phonenumbers' matcher, every
  usual spelling; national service lines kept), NIR (control key, python-stdnum), IBAN
  (mod 97). A number failing its checksum is not that identifier.
- file numbers next to the keyword that names them ("n° allocataire", "identifiant France
  Travail", "numéro fiscal", "dossier n°", "immatriculation", "référence"…), and SIV plates.
- dates of birth next to their keyword ("né le", "date de naissance").
- postal addresses (`addresses.py`) and person names (`names.py`: rules, then spaCy's French
  NER only where cheap signals say a name may be).

Offsets are those of the original text: detectors read a length-preserving folded copy
(`text.fold`). See docs/decisions/0010-pii-detection.md.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from . import addresses as _addresses
from . import identifiers as _identifiers
from . import names as _names
from .identifiers import PUBLIC_SERVICE_NUMBERS, phone_e164
from .text import Doc, fold

_DIGIT = re.compile(r"\d")

EMAIL_MASK = "[adresse électronique masquée]"
PHONE_MASK = "[téléphone masqué]"
NIR_MASK = "[numéro de sécurité sociale masqué]"
IBAN_MASK = "[IBAN masqué]"
NAME_MASK = "[nom masqué]"
ADDRESS_MASK = "[adresse masquée]"
FILE_NUMBER_MASK = "[numéro de dossier masqué]"
BIRTH_DATE_MASK = "[date de naissance masquée]"
# A passage a moderator masked by hand (moderation.editing), whatever it was.
MANUAL_MASK = "[masqué par la modération]"

MASKS: dict[str, str] = {
    "email": EMAIL_MASK,
    "phone": PHONE_MASK,
    "nir": NIR_MASK,
    "iban": IBAN_MASK,
    "name": NAME_MASK,
    "address": ADDRESS_MASK,
    "file_number": FILE_NUMBER_MASK,
    "birth_date": BIRTH_DATE_MASK,
    "manual": MANUAL_MASK,
}
# Every placeholder, e.g. to highlight them in a preview of a masked text.
MASK_LABELS = tuple(MASKS.values())
# When two detections overlap, the first kind here wins: a checked identifier is surer than
# a pattern next to a keyword, which is surer than a name.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        ["email", "iban", "nir", "phone", "file_number", "birth_date", "address", "name"]
    )
}
BATCH = 256

__all__ = [
    "BIRTH_DATE_MASK",
    "EMAIL_MASK",
    "FILE_NUMBER_MASK",
    "IBAN_MASK",
    "MASKS",
    "MASK_LABELS",
    "MANUAL_MASK",
    "NAME_MASK",
    "NIR_MASK",
    "PHONE_MASK",
    "ADDRESS_MASK",
    "PUBLIC_SERVICE_NUMBERS",
    "MaskResult",
    "Span",
    "apply_masks",
    "find_personal_data",
    "mask_many",
    "mask_personal_data",
]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass
class MaskResult:
    text: str
    count: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)


Found = tuple[int, int, str]


@dataclass
class _Pending:
    """One text between the cheap detectors and the NER model."""

    text: str
    found: list[Found]
    windows: list[tuple[int, int]]


def _normalise(value: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(value)).split())


@dataclass(frozen=True)
class _Keep:
    emails: frozenset[str]
    phones: frozenset[str]
    texts: tuple[str, ...]

    @classmethod
    def of(cls, keep: Iterable[str]) -> _Keep:
        emails, phones, texts = set(), set(), []
        for value in keep:
            if not value or not value.strip():
                continue
            if "@" in value:
                emails.add(value.strip().lower())
            e164 = phone_e164(value) if sum(c.isdigit() for c in value) >= 8 else None
            if e164:
                phones.add(e164)
            normalised = _normalise(value)
            if normalised:
                texts.append(normalised)
        return cls(frozenset(emails), frozenset(phones), tuple(texts))

    def keeps(self, text: str, span: Found) -> bool:
        start, end, kind = span
        value = text[start:end]
        if kind == "email":
            return value.strip().lower() in self.emails
        if kind == "phone":
            return phone_e164(value) in self.phones
        normalised = _normalise(value)
        if not normalised:
            return False
        if kind == "address":
            return any(normalised in kept or kept in normalised for kept in self.texts)
        return normalised in self.texts


_NO_KEEP = _Keep(frozenset(), frozenset(), ())


def _cheap(text: str) -> _Pending:
    """Every detector but the NER model, and the windows the model still has to read. Each
    detector first checks a cheap sign (a digit, an "@", a street word, a trigger word, a
    capital letter) so that most texts skip most of them."""
    doc = Doc(text)
    folded = doc.folded
    found: list[Found] = []
    found.extend(_identifiers.emails(text, doc.words, folded))
    if _DIGIT.search(text):
        found.extend(_identifiers.nirs(text))
        found.extend(_identifiers.ibans(text))
        found.extend(_identifiers.phones(text))
        found.extend(_identifiers.file_numbers(text, folded))
        found.extend(_identifiers.birth_dates(text, folded))
    found.extend(_addresses.addresses(doc))
    windows: list[tuple[int, int]] = []
    if _names.may_name(doc):
        found.extend(_names.rule_names(doc))
        if doc.has_capitals:
            candidates = _names.name_candidates(text, doc.tokens, found)
            windows = _names.windows(text, doc.tokens, candidates)
    return _Pending(text, found, windows)


def _resolve(text: str, found: Iterable[Found], keep: _Keep) -> list[Span]:
    """Sorted, non-overlapping spans: same-kind overlaps merged, then higher kinds first."""
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for start, end, kind in found:
        if end > start:
            by_kind.setdefault(kind, []).append((start, end))
    merged: list[Found] = []
    for kind, ranges in by_kind.items():
        ranges.sort()
        current = list(ranges[0])
        for start, end in ranges[1:]:
            if start <= current[1]:
                current[1] = max(current[1], end)
            else:
                merged.append((current[0], current[1], kind))
                current = [start, end]
        merged.append((current[0], current[1], kind))
    merged.sort(key=lambda f: (_PRIORITY[f[2]], f[0] - f[1]))
    # chosen spans, kept sorted by start: an overlap check is two neighbours (bisect)
    starts: list[int] = []
    chosen: list[Found] = []
    for span in merged:
        if keep is not _NO_KEEP and keep.keeps(text, span):
            continue
        index = bisect.bisect_left(starts, span[0])
        if index > 0 and chosen[index - 1][1] > span[0]:
            continue
        if index < len(chosen) and chosen[index][0] < span[1]:
            continue
        starts.insert(index, span[0])
        chosen.insert(index, span)
    return [Span(start, end, kind) for start, end, kind in chosen]


def _run_ner(pending: list[_Pending]) -> None:
    """Add the NER model's names to each pending text, all windows in one `nlp.pipe`."""
    jobs = [(item, start, end) for item in pending for start, end in item.windows]
    if not jobs:
        return
    model = _names.nlp()
    docs = model.pipe((item.text[start:end] for item, start, end in jobs), batch_size=64)
    for (item, start, _end), doc in zip(jobs, docs, strict=True):
        item.found.extend(_names.ner_names(item.text, [(start, doc)]))


def find_personal_data(text: str, *, keep: Iterable[str] = ()) -> list[Span]:
    """Where personal data is in `text`: sorted, non-overlapping spans of the original text.

    `keep`: public values never to mask (an organisation's own phone, e-mail or address as
    published in the directory); phones compare by E.164, e-mails without case, addresses
    without accents, case, punctuation or extra spaces.
    """
    pending = _cheap(text)
    _run_ner([pending])
    return _resolve(text, pending.found, _Keep.of(keep) if keep else _NO_KEEP)


def apply_masks(text: str, spans: Iterable[Span]) -> str:
    """`text` with each span replaced by its kind's placeholder (spans must not overlap)."""
    pieces: list[str] = []
    last = 0
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(text[last : span.start])
        pieces.append(MASKS[span.kind])
        last = span.end
    pieces.append(text[last:])
    return "".join(pieces)


def _result(text: str, spans: list[Span]) -> MaskResult:
    kinds: dict[str, int] = {}
    for span in spans:
        kinds[span.kind] = kinds.get(span.kind, 0) + 1
    return MaskResult(text=apply_masks(text, spans), count=len(spans), kinds=kinds, spans=spans)


def mask_personal_data(text: str, *, keep: Iterable[str] = ()) -> MaskResult:
    """Return the text with personal data replaced by labelled placeholders, and what was found."""
    spans = find_personal_data(text, keep=keep)
    return _result(text, spans)


def mask_many(texts: Iterable[str], *, batch_size: int = BATCH) -> Iterator[MaskResult]:
    """`mask_personal_data` over many texts, in order, lazily: the NER model reads the windows
    of `batch_size` texts at a time."""
    iterator = iter(texts)
    while batch := list(islice(iterator, batch_size)):
        pending = [_cheap(text) for text in batch]
        _run_ner(pending)
        for item in pending:
            yield _result(item.text, _resolve(item.text, item.found, _NO_KEEP))


def model_loaded() -> Any:
    """The NER pipeline if it was loaded in this process (for tests and benchmarks)."""
    return _names._nlp
