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
