"""Personal-data masking applied to every text before anyone else sees it.

Detects e-mail addresses, French phone numbers (phonenumbers' matcher, so every usual spelling:
06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033…), NIR (French social security
numbers, control key checked with python-stdnum) and IBAN (mod-97 checksum checked). Numbers
that fail their checksum are left alone: they are not identifiers, and masking them would
destroy legitimate content such as reference numbers.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

EMAIL_MASK = "[adresse électronique masquée]"
PHONE_MASK = "[téléphone masqué]"
NIR_MASK = "[numéro de sécurité sociale masqué]"
IBAN_MASK = "[IBAN masqué]"
MASK_LABELS = (EMAIL_MASK, PHONE_MASK, NIR_MASK, IBAN_MASK)

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


def _replace(
    pattern: re.Pattern[str], text: str, mask: str, is_valid, kind: str, result: MaskResult
) -> str:  # noqa: ANN001
    def substitute(match: re.Match[str]) -> str:
        candidate = match.group(0)
        if is_valid(candidate):
            result.count += 1
            result.kinds[kind] = result.kinds.get(kind, 0) + 1
            return mask
        return candidate

    return pattern.sub(substitute, text)


def _is_valid_nir(candidate: str) -> bool:
    compact = re.sub(r"[ .\-]", "", candidate).upper()
    return bool(stdnum_nir.is_valid(compact))


def _is_valid_iban(candidate: str) -> bool:
    return bool(stdnum_iban.is_valid(candidate.replace(" ", "").upper()))


def _e164(candidate: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, "FR")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _mask_phones(text: str, result: MaskResult, keep_phones: frozenset[str]) -> str:
    pieces: list[str] = []
    last = 0
    matcher = phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 in PUBLIC_SERVICE_NUMBERS or e164 in keep_phones:
            continue
        pieces.append(text[last : match.start])
        pieces.append(PHONE_MASK)
        last = match.end
        result.count += 1
        result.kinds["phone"] = result.kinds.get("phone", 0) + 1
    pieces.append(text[last:])
    return "".join(pieces)


def mask_personal_data(text: str, *, keep: Iterable[str] = ()) -> MaskResult:
    """Return the text with personal data replaced by labelled placeholders, and what was found.

    `keep` lists public strings never to mask, e.g. a service's own phone number or e-mail
    address when its agent quotes them: phones are compared in E.164 form, e-mail addresses
    case-insensitively (other strings are ignored by this engine).
    """
    keep_emails = {item.strip().lower() for item in keep if "@" in item}
    keep_phones = frozenset(
        e164 for item in keep if "@" not in item and (e164 := _e164(item)) is not None
    )
    result = MaskResult(text=text)
    masked = _replace(
        _EMAIL_RE,
        text,
        EMAIL_MASK,
        lambda candidate: candidate.lower() not in keep_emails,
        "email",
        result,
    )
    # Checked identifiers before phones: the phone matcher would take pieces of them.
    masked = _replace(_NIR_RE, masked, NIR_MASK, _is_valid_nir, "nir", result)
    masked = _replace(_IBAN_RE, masked, IBAN_MASK, _is_valid_iban, "iban", result)
    masked = _mask_phones(masked, result, keep_phones)
    result.text = masked
    return result
