"""Person names: rules around trigger words, then spaCy's French NER where cheap signals say a
name may be.

Rules (they work on lower-case typing too, where NER sees nothing): a civility ("Mme Martin",
"monsieur Jean-Pierre Durand"), an introduction ("je m'appelle…", "nom :"), a role or relative
("mon conseiller X", "mon mari X"), a closing formula ("Cordialement, Marie L."), a frequent
first name followed by a capitalised word. The NER model runs only on short windows around
capitalised words that are not at a sentence start and not known vocabulary (services,
greetings, months), batched with `nlp.pipe`; its PER entities are kept after the same
vocabulary filter.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from .identifiers import Found
from .lexicon import (
    CIVILITIES,
    CLOSINGS,
    COMMON_CAPITALISED,
    FIRST_NAMES,
    FUNCTION_WORDS,
    NOT_A_NAME,
    PARTICLES,
    SERVICE_WORDS,
)
from .text import Doc, Token, fold, starts_sentence, tokens

MODEL = "fr_core_news_sm"
_MAX_WINDOW_TOKENS = 12
_WHOLE_PIECE = 5000
_nlp: Any = None
_nlp_lock = threading.Lock()


def nlp() -> Any:
    """The French pipeline with only what NER needs, loaded once per process."""
    global _nlp  # noqa: PLW0603 - a lazily loaded, process-wide model
    if _nlp is None:
        with _nlp_lock:
            if _nlp is None:
                import spacy

                _nlp = spacy.load(
                    MODEL,
                    exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"],
                )
    return _nlp


_STOP = FUNCTION_WORDS | NOT_A_NAME


def _stop() -> frozenset[str]:
    return _STOP


_NOT_NAME_CAPITALISED = (
    SERVICE_WORDS | COMMON_CAPITALISED | NOT_A_NAME | (FUNCTION_WORDS - PARTICLES)
)
# First names that are also everyday words: not a name on their own in lower case.
_AMBIGUOUS_FIRST = frozenset(
    "rose pierre claire jade ambre florence victoire marine mai louise alice olive "
    "prudence constance aurore blanche celeste fleur violette".split()
)


_ELIDED = frozenset({"l", "d", "m", "n", "s", "t", "j", "c", "qu", "jusqu", "lorsqu", "puisqu"})


def _is_name_word(tok: Token, lower_ok: bool) -> bool:
    if tok.text.isdigit() or len(tok.text) < 2:
        return False
    if "'" in tok.folded and tok.folded.split("'")[0] in _ELIDED and not tok.text[0].isupper():
        return False  # "m'ont", "l'agent"
    if tok.is_capitalised:
        return tok.folded not in _NOT_NAME_CAPITALISED
    return (
        lower_ok
        and tok.folded not in _stop()
        and tok.folded not in SERVICE_WORDS
        and len(tok.text) >= 3
    )


def take_name(
    text: str, toks: list[Token], i: int, *, lower_ok: bool, max_words: int = 4
) -> int | None:
    """End offset of a name starting at toks[i], or None: name words, inner particles, and a
    final initial ("Marie L.")."""
    end: int | None = None
    words = 0
    j = i
    while j < len(toks) and words < max_words:
        tok = toks[j]
        if j > i:
            between = text[toks[j - 1].end : tok.start]
            if between not in (" ", "-", "  ") and not (
                between == ". " and len(toks[j - 1].text) == 1
            ):
                break
        if tok.folded in PARTICLES and j + 1 < len(toks):
            # particles ("de La Tour", "Ben Ahmed") count when a name word follows them
            k = j + 1
            while k < len(toks) and toks[k].folded in PARTICLES and k - j < 3:
                k += 1
            nxt = toks[k] if k < len(toks) else None
            if (
                nxt is not None
                and text[toks[k - 1].end : nxt.start] in (" ", "", "'")
                and _is_name_word(nxt, lower_ok)
                and (nxt.is_capitalised or (lower_ok and j > i))
            ):
                j = k
                continue
            break
        if (
            len(tok.text) == 1
            and tok.text.islower()
            and lower_ok
            and j + 1 < len(toks)
            and (
                text[tok.end : toks[j + 1].start] == " "
                and _is_name_word(toks[j + 1], lower_ok)
                and tok.folded not in ("a", "y", "e", "o")
            )
        ):
            j += 1  # "n diaye": N'Diaye with its apostrophe stripped
            continue
        if (
            len(tok.text) == 1
            and tok.text.isalpha()
            and words >= 1
            and (
                tok.text.isupper()
                or (lower_ok and not re.match(r" \w", text[tok.end : tok.end + 2]))
            )
        ):
            # an initial: "Marie L." (the dot is part of the name)
            end = tok.end + (1 if text[tok.end : tok.end + 1] == "." else 0)
            break
        if not _is_name_word(tok, lower_ok):
            break
        if not tok.is_capitalised and words >= 1 and not lower_ok:
            break
        end = tok.end
        words += 1
        j += 1
    return end


_CIVILITY_WORDS = frozenset(
    {"madame", "monsieur", "mademoiselle", "mme", "mlle", "mr", "docteur", "dr", "mmes"}
)
_INTRO_RE = re.compile(
    r"(?<![a-z])(?:je\s+m'\s?appelle|je\s+m\s+appelle|je\s+me\s+nomme|mon\s+nom\s+(?:est|c'est|c\s+est|:)"
    r"|moi\s+c'est|moi\s+c\s+est|(?:il|elle)\s+s'\s?appelle|(?:il|elle)\s+s\s+appelle|s'appelle"
    r"|(?:nom|prenom|nom\s+et\s+prenom|prenom\s+et\s+nom|nom\s+de\s+famille|nom\s+d'usage)\s*:"
    r"|signe\s*:?|de\s+la\s+part\s+de|nee)(?![a-z])[\s:,]*"
)
_WEAK_INTRO_RE = re.compile(r"(?<![a-z])(?:je\s+suis|c'est|c\s+est|avec|par|a|de|et)\s+$")
_ROLE_RE = re.compile(
    r"(?<![a-z])(?:mon|ma|notre|votre|son|sa|leur|le|la|l'|cette|ce)\s*"
    r"(?:conseill(?:er|ere)|referente?|assistante?\s+sociale?|agente?|interlocut(?:eur|rice)|"
    r"gestionnaire|medecin|avocate?|fils|fille|mari|femme|epou(?:x|se)|conjointe?|"
    r"compagn(?:on|e)|pere|mere|frere|soeur|voisine?|amie?|collegue|patronne?|employeur|"
    r"directeur|directrice|responsable|fiancee?|tante|oncle|neveu|niece|enfant)"
    r"(?:\(e\))?(?![a-z])"
    r"(?:\s+(?:referente?|pole\s+emploi|france\s+travail|caf|cpam|msa))?[\s,:]*"
)
# After a name: a space and a lower-case word, i.e. the sentence continues.
_SENTENCE_GOES_ON = re.compile(r" [a-zà-öø-ÿ]")
_CLOSING_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(c) for c in CLOSINGS) + r")(?![a-z])[\s,.!\-]*"
)


_PLACE_BEFORE = re.compile(
    r"(?:(?:^|\s)(?:a|en|au|aux|sur|vers|pres\s+de|habite|habite\s+a)|(?:agence|mairie|ville|commune|"
    r"prefecture|sous-prefecture|departement|region|antenne|site|bureau|centre|caf|cpam|msa|"
    r"pole\s+emploi|france\s+travail|tribunal|hopital|gare)\s+(?:de|d'|du))\s*$"
)


def _token_at(toks: list[Token], offset: int) -> int | None:
    for index, tok in enumerate(toks):
        if tok.start >= offset:
            return index
    return None


# Folded words that start a name rule; a text with none of them and no capital letter after
# its first character has no name these rules or the model could find.
TRIGGER_WORDS = (
    frozenset(
        {
            "m",
            "mr",
            "mme",
            "mlle",
            "madame",
            "monsieur",
            "mademoiselle",
            "docteur",
            "dr",
            "me",
            "mmes",
        }
    )
    | frozenset({"appelle", "nomme", "nom", "prenom", "signe", "part", "nee", "c'est", "moi"})
    | frozenset(
        "conseiller conseillere referent referente assistante assistant agent agente interlocuteur "
        "interlocutrice gestionnaire medecin avocat avocate fils fille mari femme epoux epouse "
        "conjoint conjointe compagnon compagne pere mere frere soeur voisin voisine ami amie "
        "collegue patron patronne employeur directeur directrice responsable fiance fiancee tante "
        "oncle neveu niece enfant".split()
    )
    | frozenset(word for closing in CLOSINGS for word in closing.replace("'", " ").split()[:1])
)


def may_name(doc: Doc) -> bool:
    return (
        doc.has_capitals
        or not TRIGGER_WORDS.isdisjoint(doc.words)
        or not FIRST_NAMES.isdisjoint(doc.words)
    )


_CIVILITY_RE = re.compile(
    r"(?<![\w'])(?:madame|monsieur|mademoiselle|mmes|mme|mlle|mr|docteur|dr)(?![\w'])"
)
# "M." / "m." / "M Dupont" / "Me Durand" / "MM. X et Y" read on the original text: a bare "m"
# is mostly "m'a" with its apostrophe lost.
_SHORT_CIVILITY_RE = re.compile(r"(?<![\w'])(?:[Mm]\.|M(?=\s+[A-ZÀ-Þ])|Me(?=\s+[A-ZÀ-Þ])|MM\.?)")
_FIRST_NAME_RE = re.compile(r"(?<![\w'-])[a-z]+(?:-[a-z]+)?(?![\w'-])")
_REACH = 120  # characters read after a trigger word


def rule_names(doc: Doc) -> Iterator[Found]:
    """Names after trigger words; each rule tokenises only a short stretch after its trigger."""
    text, folded = doc.text, doc.folded
    words = doc.words
    if not _CIVILITY_WORDS.isdisjoint(words) or (
        ("m" in words or "me" in words or "mm" in words) and _SHORT_CIVILITY_RE.search(text)
    ):
        yield from _after_civility(doc)
    for pattern in (_INTRO_RE, _ROLE_RE):
        for match in pattern.finditer(folded):
            toks = doc.around(match.end(), match.end() + _REACH)
            if not toks or toks[0].start != match.end() or toks[0].folded in _CIVILITY_WORDS:
                continue
            # In lower case after a role, one word unless it is a known first name.
            strict_lower = (
                pattern is _ROLE_RE
                and not toks[0].is_capitalised
                and toks[0].folded not in FIRST_NAMES
            )
            end = take_name(text, toks, 0, lower_ok=True, max_words=2 if strict_lower else 4)
            if end is not None:
                yield toks[0].start, end, "name"
    for match in _CLOSING_RE.finditer(folded):
        toks = doc.around(match.end(), match.end() + _REACH)
        if not toks or toks[0].start != match.end():
            continue
        near_end = len(text) - match.end() < 60 and len(tokens(text, folded, match.end())) <= 3
        lower_ok = near_end or toks[0].folded in FIRST_NAMES
        end = take_name(text, toks, 0, lower_ok=lower_ok, max_words=3)
        if end is None or not (toks[0].is_capitalised or lower_ok):
            continue
        # A signature ends its line; "Merci. Appelez notre accueil" goes on with a sentence
        # (in a text that has capitals; an initial "Hugo N." ends the name anyway).
        if toks[0].is_capitalised and text[end - 1] != "." and _SENTENCE_GOES_ON.match(text, end):
            continue
        yield toks[0].start, end, "name"
    if not FIRST_NAMES.isdisjoint(words):
        yield from _after_first_name(doc)


def _after_civility(doc: Doc) -> Iterator[Found]:
    text, folded = doc.text, doc.folded
    starts = sorted(
        {m.start() for m in _CIVILITY_RE.finditer(folded)}
        | {m.start() for m in _SHORT_CIVILITY_RE.finditer(text)}
    )
    for start in starts:
        toks = doc.around(start, start + _REACH)
        if len(toks) < 2:
            continue
        tok, nxt = toks[0], toks[1]
        dotted = text[tok.end : tok.end + 1] == "."
        if tok.folded in ("m", "me", "mm"):
            if not (tok.text in ("M", "Me", "MM") and (dotted or nxt.is_capitalised)) and not (
                tok.folded == "m" and dotted
            ):
                continue
        if nxt.folded in _CIVILITY_WORDS:
            continue  # "Madame, Monsieur"
        between = text[tok.end : nxt.start]
        if "," in between or "\n" in between or len(between.strip(". ")) > 0:
            continue
        end = take_name(text, toks, 1, lower_ok=True, max_words=3)
        if end is not None:
            yield nxt.start, end, "name"


def _after_first_name(doc: Doc) -> Iterator[Found]:
    """A frequent first name and a capitalised word ("Sophie Marchand"), an upper-case
    surname and a first name ("DUPONT Jean"), or in lower case two name-like words."""
    text, folded = doc.text, doc.folded
    for match in _FIRST_NAME_RE.finditer(folded):
        if match.group() not in FIRST_NAMES:
            continue
        toks = doc.around(max(0, match.start() - 40), match.end() + _REACH)
        k = next((i for i, t in enumerate(toks) if t.start == match.start()), None)
        if k is None or k + 1 >= len(toks):
            continue
        tok, nxt = toks[k], toks[k + 1]
        if k > 0:
            prev = toks[k - 1]
            if (
                prev.is_upper
                and len(prev.text) >= 3
                and tok.is_capitalised
                and text[prev.end : tok.start] == " "
                and prev.folded not in _NOT_NAME_CAPITALISED
            ):
                yield prev.start, tok.end, "name"
        if text[tok.end : nxt.start] != " ":
            continue
        if nxt.is_capitalised and nxt.folded not in _NOT_NAME_CAPITALISED:
            if tok.is_capitalised or tok.folded not in _AMBIGUOUS_FIRST:
                end = take_name(text, toks, k, lower_ok=False, max_words=4)
                if end is not None:
                    yield tok.start, end, "name"
        elif (
            tok.folded not in _AMBIGUOUS_FIRST
            and not tok.is_capitalised
            and not nxt.is_capitalised
            and nxt.folded not in _stop()
            and nxt.folded not in SERVICE_WORDS
            and len(nxt.text) >= 3
            and not nxt.text.isdigit()
        ):
            end = take_name(text, toks, k, lower_ok=True, max_words=4)
            if end is not None:
                yield tok.start, end, "name"


def name_candidates(text: str, toks: list[Token], taken: list[Found]) -> list[Token]:
    """Capitalised words NER should look at: not at a sentence start, not known vocabulary,
    not already inside something found."""
    found = []
    for tok in toks:
        if not tok.is_capitalised or tok.text.isdigit() or len(tok.text) < 2:
            continue
        if tok.folded in _NOT_NAME_CAPITALISED or tok.folded in CIVILITIES:
            continue
        if tok.is_upper and len(tok.text) <= 4:
            continue  # acronyms: CAF, RSA, MDPH
        if starts_sentence(text, tok):
            continue
        if any(start <= tok.start < end for start, end, _kind in taken):
            continue
        found.append(tok)
    return found


def windows(text: str, toks: list[Token], candidates: list[Token]) -> list[tuple[int, int]]:
    """Merged character windows of a few words either side of each candidate, cut at line
    breaks and sentence ends."""
    if not candidates:
        return []
    position = {tok.start: k for k, tok in enumerate(toks)}
    spans: list[tuple[int, int]] = []
    half = _MAX_WINDOW_TOKENS // 2
    for cand in candidates:
        k = position[cand.start]
        lo, hi = max(0, k - half), min(len(toks) - 1, k + half)
        start, end = toks[lo].start, toks[hi].end
        for cut in (text.rfind("\n", start, cand.start), text.rfind(". ", start, cand.start)):
            if cut >= 0:
                start = max(start, cut + 1)
        for cut in (text.find("\n", cand.end, end), text.find(". ", cand.end, end)):
            if cut >= 0:
                end = min(end, cut + 1)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    if len(spans) > 8 and sum(end - start for start, end in spans) > len(text) // 2:
        # Many small windows cost more than the text itself: read it whole, in pieces of
        # about _WHOLE_PIECE characters cut at a space.
        spans = []
        start = 0
        while start < len(text):
            end = min(len(text), start + _WHOLE_PIECE)
            if end < len(text):
                cut = text.rfind(" ", start + _WHOLE_PIECE // 2, end)
                end = cut if cut > 0 else end
            spans.append((start, end))
            start = end
    return spans


def ner_names(text: str, window_docs: Iterable[tuple[int, Any]]) -> Iterator[Found]:
    """PER entities of the windows' docs, mapped back to `text`, without service words."""
    for offset, doc in window_docs:
        for ent in doc.ents:
            if ent.label_ != "PER":
                continue
            words = [t for t in ent if t.is_alpha]
            while words and (
                words[0].lower_ in _NOT_NAME_CAPITALISED or words[0].lower_ in CIVILITIES
            ):
                words = words[1:]
            while words and words[-1].lower_ in _NOT_NAME_CAPITALISED:
                words = words[:-1]
            if not words or not any(w.text[0].isupper() for w in words):
                continue
            if all(fold(w.text) in _NOT_NAME_CAPITALISED for w in words):
                continue
            start = offset + words[0].idx
            end = offset + words[-1].idx + len(words[-1].text)
            if len(words) == 1 and words[0].is_upper:
                continue  # a shouted word ("PROGRESSIVE"), or an acronym
            if len(words) == 1 and _PLACE_BEFORE.search(fold(text[max(0, start - 30) : start])):
                continue  # "né à Grazac", "l'agence de Frépillon": a place
            if len(words) == 1 and starts_sentence(text, Token(start, end, "", "")):
                continue
            if text[end : end + 1] == "." and len(words[-1].text) == 1:
                end += 1
            yield start, end, "name"


__all__ = ["nlp", "may_name", "rule_names", "name_candidates", "windows", "ner_names"]
