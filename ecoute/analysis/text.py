"""Fast French text normalisation for topic models.

spaCy's pipeline is far too slow for a million texts on two cores, so texts are tokenised with
a regex, accents are folded (some sources, e.g. SP+ exports, arrive already stripped of accents,
and both spellings must meet on one term), stop words are dropped and every *distinct* token is
stemmed once (Snowball French) through a per-process cache.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import snowballstemmer
from spacy.lang.fr.stop_words import STOP_WORDS as _SPACY_STOP_WORDS

from ecoute.common.text import ACCENT_FOLD_TABLE

# Letters only: digits, punctuation and elided articles ("l'", "d'") fall away on their own.
_TOKEN_RE = re.compile(r"[^\W\d_]{2,}")


def fold_accents(text: str) -> str:
    """Lower-case-preserving accent folding ("Égalité" -> "Egalite")."""
    return text.translate(ACCENT_FOLD_TABLE)


# Words frequent in any citizen text that never tell topics apart (folded forms).
_EXTRA_STOP_WORDS = """
etre avoir faire fait faut falloir pouvoir peut peuvent doit doivent devoir devrait
etc ex cas chose choses fois plus moins tres trop bien beaucoup ainsi aussi alors
cela ca ce cette ces cet celui celle ceux celles leur leurs sans sous sur dont donc
meme memes tout tous toute toutes autre autres deja encore toujours jamais rien
mettre mis mise donner dire dit avis question questions exemple notamment vraiment
quelque quelques chaque certain certains certaines part parce ils elles nous vous
cest ni non oui si car entre comme afin lors pendant puis ici la aujourd hui
voir peu etant ete soit sont sera seraient serait suis etais etait avons avez ont
mr mme madame monsieur bonjour merci cordialement svp
veuillez agreer salutations distinguees sinceres remerciements remercie avance
ras neant nsp aucun aucune rien sais sait savoir idee pense penser crois trouve
""".split()

STOP_WORDS: frozenset[str] = frozenset(
    {fold_accents(w.lower()) for w in _SPACY_STOP_WORDS} | set(_EXTRA_STOP_WORDS)
)

_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=500_000)
def stem(token: str) -> str | None:
    """Stem of a lower-cased token, or None for a stop word / too-short token.

    Tokens are folded before stemming so "protégée" and "protegee" share a stem; the trailing
    "e" Snowball keeps on unaccented verbs ("protege") is dropped for the same reason.
    """
    folded = fold_accents(token)
    if folded in STOP_WORDS or len(folded) < 3:
        return None
    root = _STEMMER.stemWord(folded)
    if len(root) > 4 and root.endswith("e"):
        root = root.rstrip("e")
    if len(root) < 3 or root in STOP_WORDS:
        return None
    return root


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters only, two characters or more)."""
    return _TOKEN_RE.findall(text.lower())


def terms(text: str, bigrams: bool = True, surfaces: Counter[str] | None = None) -> list[str]:
    """Stems of the meaningful words of ``text``, then bigrams of adjacent meaningful words.

    Bigrams skip stop words ("forces de l'ordre" -> "forc ordr"), which is what readers mean by
    a phrase. When ``surfaces`` is given it counts the original words, to label stems later.
    """
    words = tokens(text)
    stems: list[str] = []
    kept_words: list[str] = []
    for word in words:
        root = stem(word)
        if root is not None:
            stems.append(root)
            kept_words.append(word)
    if surfaces is not None:
        surfaces.update(kept_words)
    if bigrams and len(stems) > 1:
        return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if a != b]
    return stems


def surface_forms(surfaces: Counter[str]) -> dict[str, str]:
    """Most frequent original word of each stem: stems are unreadable, labels must not be."""
    best: dict[str, tuple[int, str]] = {}
    for word, count in surfaces.items():
        root = stem(word)
        if root is None:
            continue
        current = best.get(root)
        if current is None or count > current[0]:
            best[root] = (count, word)
    return {root: word for root, (_count, word) in best.items()}


def readable(term: str, forms: dict[str, str]) -> str:
    """Human label of a term (stem or "stem stem" bigram)."""
    return " ".join(forms.get(part, part) for part in term.split(" "))
