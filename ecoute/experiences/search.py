"""French full-text search over published experiences (title + body).

One column, `Experience.search_vector`, computed by the database itself (a generated column), so
every writer — actions, imports, COPY in the benchmarks — keeps it right without Python code:

- PostgreSQL: a `tsvector` built with the `ecoute_french` text search configuration (the
  built-in `french` configuration with `unaccent` before the French Snowball stemmer), title
  weighted A and body B, GIN-indexed; queries use `websearch_to_tsquery` ("retards" finds
  "retard", "delai" finds "délais", `"phrase"`, `-mot`, `or` work).
- SQLite (demo, tests): the folded text (lower case, accents removed by nested `replace()`);
  each query word, folded and stripped of its plural mark, must appear as a substring
  (`LIKE '%word%'`, a scan). No stemming beyond plurals, no phrases, no ranking: see
  docs/decisions/0007-browse-experiences.md.
"""

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db.models import F, Func, Q

from ecoute.common.text import fold

SEARCH_CONFIG = "ecoute_french"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8

# Characters folded in the SQLite column, agreeing with ecoute.common.text.fold for French. SQLite's
# parser allows about 26 nested calls in a generated column, so only the letters of French
# (lower case, and the capitals that start French words) are listed; lower() does ASCII.
_FOLD_PAIRS: list[tuple[str, str]] = [
    *[(ch, "a") for ch in "àâäÀ"],
    *[(ch, "e") for ch in "éèêëÉÈÊ"],
    *[(ch, "i") for ch in "îï"],
    *[(ch, "o") for ch in "ôö"],
    *[(ch, "u") for ch in "ùûü"],
    *[(ch, "c") for ch in "çÇ"],
    ("œ", "oe"),
    ("’", "'"),
    ("-", " "),
]


class SearchDocumentField(SearchVectorField):
    """`tsvector` on PostgreSQL, plain text elsewhere (the folded text)."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class ExperienceSearchDocument(Func):
    """The generated expression of `Experience.search_vector` (immutable on both databases)."""

    output_field = SearchDocumentField()

    def __init__(self) -> None:
        super().__init__(F("title"), F("body"))

    def _columns(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        (title, title_params), (body, body_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return title, body, [*title_params, *body_params]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        title, body, params = self._columns(compiler, connection)
        sql = f"lower(COALESCE({title}, '') || ' ' || COALESCE({body}, ''))"
        for accented, plain in _FOLD_PAIRS:
            plain = plain.replace("'", "''")
            sql = f"replace({sql}, '{accented}', '{plain}')"
        return sql, params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        title, body, params = self._columns(compiler, connection)
        config = f"'{SEARCH_CONFIG}'::regconfig"
        return (
            f"setweight(to_tsvector({config}, COALESCE({title}, '')), 'A') || "
            f"setweight(to_tsvector({config}, COALESCE({body}, '')), 'B')",
            params,
        )


def _light_stem(word: str) -> str:
    """Drop the French plural mark ("retards" -> "retard", "bureaux" -> "bureau")."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def search_condition(query: str, vendor: str) -> Q | None:
    """The filter matching `query` on `vendor`'s database, or None when it has no word."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if vendor == "postgresql":
        if not any(ch.isalnum() for ch in query):
            return None
        return Q(search_vector=SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch"))
    condition = Q()
    terms = 0
    for raw in query.replace('"', " ").split():
        excluded = raw.startswith("-") and len(raw) > 1
        # fold() turns inner dashes into spaces: "rendez-vous" -> "rendez vous" (as stored).
        for part in fold(raw.lstrip("-")).split():
            word = _light_stem("".join(ch for ch in part if ch.isalnum() or ch == "'"))
            if not word or word == "or":
                continue
            terms += 1
            if terms > MAX_TERMS:
                break
            match = Q(search_vector__contains=word)
            condition &= ~match if excluded else match
    return condition if terms else None


def postgresql_forwards_sql() -> list[str]:
    """The text search configuration the generated column needs (created before it)."""
    return [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {SEARCH_CONFIG}",
        f"CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = pg_catalog.french)",
        f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    ]


GIN_INDEX_NAME = "experience_search_gin"


def create_gin_index_sql(table: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {GIN_INDEX_NAME} ON {table} USING gin (search_vector)"
