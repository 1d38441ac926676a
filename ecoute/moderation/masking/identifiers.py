"""Identifiers found by pattern: e-mail, phone, NIR, IBAN (checksums checked), file numbers
next to the keyword that names them, dates of birth next to their keyword.

Each detector returns `(start, end, kind)` in the original text; `folded` is `text.fold(text)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

Found = tuple[int, int, str]

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
# Short national numbers (3949 France Travail, 3646 Assurance maladie, 3230 CAF, 3939
# Allô Service public, 3960 retraite, 3919, 3114, 115, 119...): never a file number.
SHORT_SERVICE_NUMBERS = frozenset({"3949", "3646", "3230", "3939", "3960", "3919", "3114", "3237"})

# Lengths bounded as RFC 5321 does (64 before the @): linear time on a long run of letters.
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}\s?"
    r"(?:@|\(at\)|\[at\])\s?"
    r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)
# An address whose punctuation was stripped (the SP+ export): "jean dupont gmail com".
_WEBMAIL = (
    "gmail|hotmail|yahoo|orange|wanadoo|free|laposte|sfr|outlook|live|msn|icloud|neuf|bbox|aol"
    "|gmx|protonmail"
)
_EMAIL_STRIPPED_RE = re.compile(
    rf"\b[a-z0-9]+(?: [a-z0-9]+)? (?:at )?(?:{_WEBMAIL}) (?:com|fr|net)\b"
)
_SEP = r"[ .\-]?"
_NIR_RE = re.compile(
    rf"(?<![\dA-Za-z])[1-478]{_SEP}\d{{2}}{_SEP}(?:0[1-9]|1[0-2]|[2-9]\d){_SEP}"
    rf"(?:\d{{2}}|2[AaBb]){_SEP}\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{2}}(?![\dA-Za-z])"
)
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}"
    r"(?:[ ]?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])"
)
# Cheap test before the (slow) phone matcher: 8 digits or more, separators allowed.
_PHONE_HINT = re.compile(r"\d(?:[ .\-/()]{0,3}\d){7}")


_WEBMAIL_WORDS = frozenset(_WEBMAIL.split("|"))
_DIGIT = re.compile(r"\d")


def emails(text: str, words: frozenset[str], folded: str) -> Iterator[Found]:
    if "@" in text or "(at)" in text or "[at]" in text:
        for match in _EMAIL_RE.finditer(text):
            yield match.start(), match.end(), "email"
    if not _WEBMAIL_WORDS.isdisjoint(words):
        for match in _EMAIL_STRIPPED_RE.finditer(folded):
            yield match.start(), match.end(), "email"


def nirs(text: str) -> Iterator[Found]:
    for match in _NIR_RE.finditer(text):
        if stdnum_nir.is_valid(re.sub(r"[ .\-]", "", match.group()).upper()):
            yield match.start(), match.end(), "nir"


def ibans(text: str) -> Iterator[Found]:
    for match in _IBAN_RE.finditer(text):
        if stdnum_iban.is_valid(match.group().replace(" ", "").upper()):
            yield match.start(), match.end(), "iban"


def phone_e164(candidate: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, "FR")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones(text: str) -> Iterator[Found]:
    if not _PHONE_HINT.search(text):
        return
    # POSSIBLE, not VALID: a mistyped or not yet allocated number (07 1x…) is still someone's
    # attempt at their number; a full French national length (10 digits from 0, or +/00 and
    # the country code) keeps amounts and short references out.
    matcher = phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        raw = match.raw_string
        digits = sum(c.isdigit() for c in raw)
        if digits < 10 and not raw.startswith("+"):
            continue
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in PUBLIC_SERVICE_NUMBERS:
            yield match.start, match.end, "phone"


# ---------------------------------------------------------------------------- file numbers
_NUM = r"(?:numero|num\.?|n°|no\.?|nº|n\.)"
# With its punctuation stripped (SP+ export), "n° CAF" is "n  caf": a bare n before a keyword.
_NUM_LOOSE = r"(?:numero|num\.?|n°|no\.?|nº|n\.|n(?=\s))"
_FILE_KEYWORDS = "|".join(
    [
        rf"{_NUM_LOOSE}?\s*(?:d')?\s*allocataire(?:\s+(?:a\s+la\s+)?caf)?",
        rf"(?:{_NUM_LOOSE}|matricule|identifiant|id)\s*(?:d'|de\s+(?:la\s+)?)?\s*(?:caf|msa)",
        r"caf\s*n°",
        rf"(?:identifiant|id|{_NUM})\s*(?:de\s+demandeur\s+d'emploi|(?:de\s+|a\s+)?(?:france\s+travail|pole\s+emploi|pe|ft))",
        r"identifiant",
        rf"{_NUM}\s*(?:d'identification\s+)?fiscal",
        r"\bspi\b",
        rf"{_NUM}\s*de\s+teledeclarant",
        rf"(?:{_NUM}|ref(?:erence)?\.?)\s*(?:de\s+|du\s+)?dossier",
        rf"dossier\s*(?:{_NUM})?",
        rf"{_NUM}\s*(?:de\s+)?(?:securite\s+sociale|secu|ss)",
        r"\bsecu(?:rite\s+sociale)?",
        r"\bcarte\s+vitale",
        r"immatricul(?:ation|ee?s?)",
        r"plaques?(?:\s+d'immatriculation)?",
        r"vehicule",
        r"carte\s+grise",
        rf"{_NUM}\s*(?:de\s+)?demande",
        rf"demande\s*{_NUM}",
        rf"{_NUM}\s*de\s+reference",
        r"\bref(?:erence)?s?\.?",
        rf"{_NUM}\s*(?:client|d'adherent|adherent|de\s+contrat|de\s+titre\s+de\s+sejour|"
        r"etranger|agdref|de\s+passeport|de\s+carte\s+d'identite|de\s+permis|de\s+compte|"
        r"de\s+facture|d'usager|de\s+beneficiaire|d'assure|de\s+pension|de\s+retraite|"
        r"de\s+mutuelle|d'adhesion|de\s+sinistre|de\s+declarant|de\s+recepisse)",
        r"matricule",
        r"\bnir\b",
    ]
)
# Words allowed between the keyword and the number: "n° CAF : 1234567", "est le 1234567A".
_FILE_LINK = rf"(?:\s*(?:[:=#(\-]|{_NUM}|est|c'est|c\s+est|etait|le|la|du|:)(?![a-z]))*\s*"
# An identifier: optional letter prefix, digits (groups separated by a space, dot, dash or
# slash), optional letter suffix; or a registration plate (SIV AB-123-CD, FNI 1234 AB 56).
_ID = (
    r"(?:[a-z]{2}[ \-]?\d{3}[ \-]?[a-z]{2}(?![a-z0-9])"
    r"|\d{1,4}[ \-]?[a-z]{1,3}[ \-]?(?:\d{2}|2a|2b)(?![a-z0-9])"
    r"|(?:ref |[a-z]{1,5}[\-/]?)?\d+(?:[ .\-/]\d+)*(?:[\-/]?[a-z]{1,3}(?![a-z]))?(?![a-z0-9]))"
)
_FILE_RE = re.compile(rf"(?<![a-z])(?:{_FILE_KEYWORDS})(?![a-z]){_FILE_LINK}(?P<id>{_ID})")
_GENERIC_RE = re.compile(rf"(?<![a-z]){_NUM}(?![a-z]){_FILE_LINK}(?P<id>{_ID})")
_NOT_AN_ID_AFTER = re.compile(
    r"\s*(?:€|euros?\b|eur\b|%|jours?\b|mois\b|semaines?\b|ans?\b|annees?\b|heures?\b|h\b|"
    r"min|minutes?\b|fois\b|personnes?\b|km\b|pages?\b|ko\b|mo\b)"
)
_DATE_LIKE = re.compile(r"^\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?$|^(?:19|20)\d{2}$")
# SIV plates are distinctive enough to be masked without a keyword.
_PLATE_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}-\d{3}-[A-Z]{2}(?![A-Za-z0-9])")


def _identifier(text: str, folded: str, match: re.Match[str], min_digits: int) -> Found | None:
    start, end = match.span("id")
    value = folded[start:end].rstrip(" .-/")
    end = start + len(value)
    digits = sum(c.isdigit() for c in value)
    if digits < min_digits or _DATE_LIKE.match(value) or _NOT_AN_ID_AFTER.match(folded, end):
        return None
    if re.sub(r"\D", "", value) in SHORT_SERVICE_NUMBERS:
        return None
    return start, end, "file_number"


def file_numbers(text: str, folded: str) -> Iterator[Found]:
    if not _DIGIT.search(folded):
        return
    for match in _FILE_RE.finditer(folded):
        found = _identifier(text, folded, match, min_digits=3)
        if found:
            yield found
    for match in _GENERIC_RE.finditer(folded):
        found = _identifier(text, folded, match, min_digits=5)
        if found:
            yield found
    for match in _PLATE_RE.finditer(text):
        yield match.start(), match.end(), "file_number"


# ---------------------------------------------------------------------------- birth dates
_MONTH = (
    r"(?:janvier|janv\.?|fevrier|fevr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|aout|"
    r"septembre|sept?\.?|octobre|oct\.?|novembre|nov\.?|decembre|dec\.?)"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:er)?[ /.\-]+(?:\d{{1,2}}|{_MONTH})[ /.\-]+(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|{_MONTH}\s+\d{{4}}|(?:19|20)\d{{2}}(?!\d))"
)
_BIRTH_KEYWORDS = (
    r"(?:ne|nee|ne\(e\)|nes|nees)\s+(?:le|en|au\s+mois\s+de|du)"
    r"|date\s+(?:de\s+|d\s+)?naissance|\bddn|\bnaissance|\bnee?\s+(?=\d)"
)
_BIRTH_RE = re.compile(
    rf"(?<![a-z])(?:{_BIRTH_KEYWORDS})(?![a-z])\s*(?:[:=,\-]\s*)*(?:le\s+|du\s+|en\s+)?(?P<date>{_DATE})"
)


def birth_dates(text: str, folded: str) -> Iterator[Found]:
    if "n" not in folded:
        return
    for match in _BIRTH_RE.finditer(folded):
        yield match.start("date"), match.end("date"), "birth_date"
