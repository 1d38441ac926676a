"""Personal-data masking applied to every text before anyone else sees it.

Detects e-mail addresses, French phone numbers (phonenumbers' matcher, so every usual spelling:
06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033…), NIR (French social security
numbers, control key checked with python-stdnum) and IBAN (mod-97 checksum checked). Numbers
that fail their checksum are left alone: they are not identifiers, and masking them would
destroy legitimate content such as reference numbers.
"""

import re
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

EMAIL_MASK = "[adresse électronique masquée]"
PHONE_MASK = "[téléphone masqué]"
NIR_MASK = "[numéro de sécurité sociale masqué]"
IBAN_MASK = "[IBAN masqué]"

# National service lines are public, not personal data: users quote them ("I called the
# 09 72 72 39 49") and masking them would hide the point of the story.
PUBLIC_SERVICE_NUMBERS = frozenset(
    {
        "+33972723949",  # France Travail (ex-Pôle emploi), demandeurs d'emploi
        "+33970820102",  # Pôle emploi, reclamations line quoted in SP+ stories
        "+33969322121",  # CAF, national line (before 3230)
        "+33811701010",  # Impots, national line
        "+33809401401",  # Impots, prelevement a la source
        "+33806000245",  # ANTS
    }
)

_EMAIL_RE = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+\s?(?:@|\(at\)|\[at\])\s?"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# 13 digits + 2-digit key, optionally grouped with spaces, dots or dashes; 2A/2B for Corsica.
_SEP = r"[ .\-]?"
_NIR_RE = re.compile(
    rf"(?<![\dA-Za-z])[1-478]{_SEP}\d{{2}}{_SEP}(?:0[1-9]|1[0-2]|[2-9]\d){_SEP}"
    rf"(?:\d{{2}}|2[AaBb]){_SEP}\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{2}}(?![\dA-Za-z])"
)
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}"
    r"(?:[ ]?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])"
)


@dataclass
class MaskResult:
    text: str
    count: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    spans: list["Span"] = field(default_factory=list)


def _is_valid_nir(candidate: str) -> bool:
    compact = re.sub(r"[ .\-]", "", candidate).upper()
    return bool(stdnum_nir.is_valid(compact))


def _is_valid_iban(candidate: str) -> bool:
    return bool(stdnum_iban.is_valid(candidate.replace(" ", "").upper()))


# --- Spans: where each personal datum is in the original text (the contract moderators' edits
# rely on: `find_personal_data`, `apply_masks`, `MaskResult.spans`, `MASKS`).

MANUAL_MASK = "[masqué par la modération]"
MASKS = {
    "email": EMAIL_MASK,
    "phone": PHONE_MASK,
    "nir": NIR_MASK,
    "iban": IBAN_MASK,
    "manual": MANUAL_MASK,
}


@dataclass(frozen=True, order=True)
class Span:
    """Offsets of one personal datum in the original text, and its kind (a key of MASKS)."""

    start: int
    end: int
    kind: str


def _blank(text: str, spans: list[Span]) -> str:
    """`text` with the spans found so far replaced by letters of the same length, so that
    later detectors neither see them nor shift the offsets."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = "x" * (span.end - span.start)
    return "".join(chars)


def find_personal_data(text: str) -> list[Span]:
    """Every personal datum of `text`, as spans in `text`, sorted and without overlaps."""
    spans: list[Span] = []
    for pattern, is_valid, kind in (
        (_EMAIL_RE, lambda _c: True, "email"),
        # Checked identifiers before phones: the phone matcher would take pieces of them.
        (_NIR_RE, _is_valid_nir, "nir"),
        (_IBAN_RE, _is_valid_iban, "iban"),
    ):
        for match in pattern.finditer(_blank(text, spans)):
            if is_valid(text[match.start() : match.end()]):
                spans.append(Span(match.start(), match.end(), kind))
    blanked = _blank(text, spans)
    matcher = phonenumbers.PhoneNumberMatcher(blanked, "FR", leniency=phonenumbers.Leniency.VALID)
    for phone in matcher:
        e164 = phonenumbers.format_number(phone.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in PUBLIC_SERVICE_NUMBERS:
            spans.append(Span(phone.start, phone.end, "phone"))
    return sorted(spans)


def apply_masks(text: str, spans: list[Span]) -> str:
    """`text` with each span replaced by its kind's label (spans must not overlap)."""
    pieces: list[str] = []
    last = 0
    for span in sorted(spans):
        pieces.append(text[last : span.start])
        pieces.append(MASKS.get(span.kind, MANUAL_MASK))
        last = span.end
    pieces.append(text[last:])
    return "".join(pieces)


def mask_personal_data(text: str) -> MaskResult:
    """Return the text with personal data replaced by labelled placeholders, and what was found."""
    spans = find_personal_data(text)
    kinds: dict[str, int] = {}
    for span in spans:
        kinds[span.kind] = kinds.get(span.kind, 0) + 1
    return MaskResult(text=apply_masks(text, spans), count=len(spans), kinds=kinds, spans=spans)
