"""Length-preserving folding and word tokens: every detector reports offsets in the original."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if len(base) == 1 and base != char:
            table[code] = base
    for char in "’‘ʼ`´":
        table[ord(char)] = "'"
    table[ord("º")] = "°"
    table[0x00A0] = " "  # no-break space
    table[0x202F] = " "  # narrow no-break space
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without accents, one character for one: offsets stay those of `text`."""
    return text.translate(_FOLD)


# A word: letters with inner hyphens or apostrophes (Jean-Pierre, N'Diaye), or digits.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    folded: str

    @property
    def is_title(self) -> bool:
        first = self.text[0]
        return first.isupper() and (len(self.text) == 1 or not self.text.isupper())

    @property
    def is_upper(self) -> bool:
        return self.text.isupper() and len(self.text) >= 2

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_alpha(self) -> bool:
        return not self.text[0].isdigit()


def tokens(text: str, folded: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(), folded[m.start() : m.end()]) for m in _WORD.finditer(text)]


def gap(text: str, left: Token, right: Token) -> str:
    """What lies between two tokens (spaces, punctuation)."""
    return text[left.end : right.start]


# A sentence end, a line start, a bullet or an opening bracket, then only punctuation.
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\n])[\s*•·\-–—(\[«\"/]*$")


def starts_sentence(text: str, token: Token) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, token.start - 12) : token.start])) or (
        token.start < 12 and not text[: token.start].strip(" *•·-–—([«\"/\n\t")
    )
