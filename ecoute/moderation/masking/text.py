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


def tokens(text: str, folded: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of text[start:end] (offsets in `text`)."""
    return [
        Token(m.start(), m.end(), m.group(), folded[m.start() : m.end()])
        for m in _WORD.finditer(text, start, len(text) if end is None else min(end, len(text)))
    ]


def gap(text: str, left: Token, right: Token) -> str:
    """What lies between two tokens (spaces, punctuation)."""
    return text[left.end : right.start]


# A sentence end, a line start, a bullet or an opening bracket, then only punctuation.
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\n])[\s*•·\-–—(\[«\"/]*$")


def starts_sentence(text: str, token: Token) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, token.start - 12) : token.start])) or (
        token.start < 12 and not text[: token.start].strip(' *•·-–—([«"/\n\t')
    )


_FOLDED_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_LETTER = re.compile(r"[^\W\d_]")


class Doc:
    """One text, its folded copy, and what detectors share, computed on first use."""

    __slots__ = ("text", "folded", "_words", "_tokens", "_lower")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self._words: frozenset[str] | None = None
        self._tokens: list[Token] | None = None
        self._lower: bool | None = None

    @property
    def words(self) -> frozenset[str]:
        """The folded words (cheap: no offsets), to test for trigger words."""
        if self._words is None:
            self._words = frozenset(_FOLDED_WORD.findall(self.folded))
        return self._words

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokens(self.text, self.folded)
        return self._tokens

    def around(self, start: int, end: int) -> list[Token]:
        """Tokens of a stretch of the text, without tokenising the whole of it."""
        if self._tokens is not None:
            return [t for t in self._tokens if t.end > start and t.start < end]
        # start inside a word: back up to its beginning
        while start > 0 and self.text[start - 1].isalnum():
            start -= 1
        return tokens(self.text, self.folded, max(0, start), end)

    @property
    def has_capitals(self) -> bool:
        return bool(_UPPER.search(self.text, 1))

    @property
    def lower_case(self) -> bool:
        """Typed (or exported) without capitals: under 2 % of letters upper case."""
        if self._lower is None:
            letters = len(_LETTER.findall(self.text))
            upper = len(_UPPER.findall(self.text))
            self._lower = upper < 0.02 * max(1, letters)
        return self._lower
