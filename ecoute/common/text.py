"""Text helpers shared by every app (no models, no Django imports)."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents, collapse spaces: "Préfecture  de l'Ain" -> "prefecture de l'ain".

    Used for search columns so the same query works on SQLite and PostgreSQL without unaccent.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("’", "'").replace("-", " ")
    return " ".join(stripped.lower().split())


def _accent_fold_table() -> dict[int, str]:
    """str.translate table: accented Latin letters -> ASCII base, ligatures spelled out.

    Case is kept. Far faster than per-character NFKD on millions of texts (analysis engines).
    """
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base != char and base.isascii():
            table[code] = base
    table.update({ord("œ"): "oe", ord("Œ"): "OE", ord("æ"): "ae", ord("Æ"): "AE", ord("ß"): "ss"})
    return table


ACCENT_FOLD_TABLE = _accent_fold_table()
