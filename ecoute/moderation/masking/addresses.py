"""Postal addresses: [number [bis|ter]] street type, street name, [postcode commune].

Walks word tokens rather than one large regular expression: the street name ends at
punctuation, at a French function word or after five words; a postcode and its commune
extend the address. A street type alone is an everyday word ("à la place de", "en cours"),
so an address needs a number, a capitalised street name, a postcode or an address word
before it ("j'habite", "domicilié", "adresse").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .identifiers import Found
from .lexicon import ADDRESS_TRIGGERS, STREET_TYPES_STRONG, STREET_TYPES_WEAK
from .text import Doc, Token

_POSTCODE = re.compile(
    r"[\s,\-]*(?P<cp>(?:0[1-9]|[1-8]\d|9[0-8])\d{3}|(?:0[1-9]|[1-8]\d|9[0-8]) \d{3})(?!\d)"
)
_NUMBER = re.compile(r"(?P<n>\d{1,4})(?:\s?(?:bis|ter|quater|[a-d])(?![a-z]))?\s*,?\s*$")
_POSTBOX = re.compile(r"(?<![a-z])(?:bp|b\.p\.|cs|tsa)\s?\d{1,6}(?!\d)")
_CEDEX = re.compile(r"\s+cedex(?:\s+\d{1,2})?(?![a-z0-9])")
_STREET_TYPES = STREET_TYPES_STRONG | STREET_TYPES_WEAK
# Function words that end a street name (particles may be inside one: "rue de la Paix").
_STOP = frozenset(
    """
    et ou mais donc car je tu il elle on nous vous ils elles j m n s t c qu que qui quoi
    a pour par avec sans chez vers dans depuis pendant ne pas plus est sont suis ai avait
    etait ont mon ma mes ton ta tes son sa ses votre notre leur leurs ce cette ces se
    """.split()
)
_STREET_PARTICLES = frozenset(
    {
        "de",
        "du",
        "des",
        "d'",
        "la",
        "le",
        "les",
        "l'",
        "aux",
        "au",
        "sur",
        "sous",
        "en",
        "saint",
        "sainte",
        "st",
        "ste",
    }
)


def _name_words(text: str, toks: list[Token], i: int, lower_text: bool) -> int:
    """Index after the last token of the street name that starts at toks[i] (i if none)."""
    last_content = i
    words = 0
    j = i
    while j < len(toks) and words < 5:
        tok = toks[j]
        between = text[toks[j - 1].end : tok.start] if j > 0 else " "
        if (
            j > i
            and not re.fullmatch(r"\s*|\s*'\s*", between)
            and between.strip() not in ("'", "’")
        ):
            break
        folded = tok.folded
        if "'" in folded and folded.split("'")[0] in ("l", "d"):
            folded_core = folded.split("'", 1)[1]
            if folded_core in _STOP:
                break
            words += 1
            last_content = j + 1
            j += 1
            continue
        if folded in _STREET_PARTICLES:
            j += 1
            continue
        if folded in _STOP or folded in _STREET_TYPES or (tok.text.isdigit() and len(tok.text) > 4):
            break  # a function word, another street, a postcode
        if j > i and "  " in between:
            break  # a sentence end in the SP+ export
        if not (tok.is_capitalised or tok.text.isdigit() or lower_text):
            # mixed-case text: a street name is capitalised, except its particles
            break
        words += 1
        last_content = j + 1
        j += 1
    return last_content


def _commune_end(text: str, toks: list[Token], after: int) -> int:
    """End offset of the commune name that follows a postcode ending at `after`."""
    end = after
    count = 0
    for tok in toks:
        if tok.start < after:
            continue
        between = text[end : tok.start]
        if count == 0 and not re.fullmatch(r"[ \t]{1,3}", between):
            break
        if count > 0 and not re.fullmatch(r"[ \t]?[\-' ][ \t]?|-", between):
            break
        if tok.folded in _STOP or tok.text.isdigit():
            break
        if tok.folded in _STREET_PARTICLES and count > 0:
            end = tok.end
            continue
        if (
            count > 0
            and between.strip() == ""
            and not tok.is_capitalised
            and tok.folded not in _STREET_PARTICLES
        ):
            # lower-case typing: "75011 paris je ..." stops at the next function word only
            if tok.folded in _STOP:
                break
        end = tok.end
        count += 1
        if count >= 4:
            break
    cedex = _CEDEX.match(text.lower(), end)
    return cedex.end() if cedex else end


def _with_postcode(text: str, folded: str, toks: list[Token], end: int) -> tuple[int, bool]:
    match = _POSTCODE.match(folded, end)
    if not match:
        return end, False
    commune_end = _commune_end(text, toks, match.end())
    if commune_end == match.end():
        return end, False
    return commune_end, True


_TYPE_HINT = re.compile(
    r"(?<![a-z])(?:"
    + "|".join(
        sorted(
            (re.escape(t) for t in STREET_TYPES_STRONG | STREET_TYPES_WEAK), key=len, reverse=True
        )
    )
    + r"|lieu)(?![a-z])"
)


def addresses(doc: Doc) -> Iterator[Found]:
    text, folded = doc.text, doc.folded
    has_type = bool(_TYPE_HINT.search(folded))
    if not has_type and not _POSTBOX.search(folded):
        return
    if has_type:
        for match in _TYPE_HINT.finditer(folded):
            toks = doc.around(match.start(), match.start() + 200)
            yield from _streets(text, folded, toks, doc.lower_case, only_first=True)
    for match in _POSTBOX.finditer(folded):
        original = text[match.start() : match.end()]
        if original[:2] in ("cs", "Cs") or original[:3] in ("tsa",):
            continue  # lower-case "cs" is a common abbreviation
        toks = doc.around(match.end(), match.end() + 100)
        end, _has_cp = _with_postcode(text, folded, toks, match.end())
        yield match.start(), end, "address"


def _streets(
    text: str, folded: str, toks: list[Token], lower_text: bool, only_first: bool = False
) -> Iterator[Found]:
    for i, tok in enumerate(toks):
        if only_first and i > 0:
            return
        folded_type = tok.folded
        if (
            folded_type in ("lieu", "rond")
            and i + 1 < len(toks)
            and text[tok.end : toks[i + 1].start] in ("-", " ")
        ):
            folded_type = f"{tok.folded}-{toks[i + 1].folded}"
        if "-" in tok.folded and tok.folded in ("lieu-dit", "rond-point"):
            folded_type = tok.folded
        if folded_type not in _STREET_TYPES:
            continue
        type_end = tok.end
        first = i + 1
        if folded_type in ("lieu-dit", "rond-point") and "-" not in tok.folded:
            first = i + 2
            type_end = toks[i + 1].end
        if text[type_end : type_end + 1] == ".":
            type_end += 1
        if first >= len(toks):
            continue
        before = folded[max(0, tok.start - 40) : tok.start]
        number = _NUMBER.search(before)
        strong = folded_type in STREET_TYPES_STRONG
        # Typed in lower case in a mixed text: trusted after a number and a clear street type.
        trigger = any(word in ADDRESS_TRIGGERS for word in re.findall(r"[a-z]+", before[-30:]))
        name_end_index = _name_words(
            text, toks, first, lower_text or bool(number and strong) or trigger
        )
        if name_end_index == first:
            continue
        name_tokens = [t for t in toks[first:name_end_index] if t.folded not in _STREET_PARTICLES]
        capitalised = any(t.is_capitalised for t in name_tokens)
        end = toks[name_end_index - 1].end
        end, has_cp = _with_postcode(text, folded, toks, end)
        start = tok.start
        if number:
            start = max(0, tok.start - 40) + number.start()
        trigger = any(word in ADDRESS_TRIGGERS for word in re.findall(r"[a-z]+", before[-30:]))
        if folded_type in ("lieu-dit", "lieudit", "hameau"):
            accept = True
        elif number and strong:
            accept = True
        elif number:
            accept = capitalised or has_cp or trigger
        elif strong:
            accept = capitalised or has_cp or trigger
        else:
            accept = (capitalised and (has_cp or trigger)) or has_cp
        if accept:
            yield start, end, "address"
