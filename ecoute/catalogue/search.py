"""Find public services: ranked search over organisations, and the nearest counters.

Search (docs/decisions/0005-search-ranking.md). Each organisation has one search document in
three folded parts (`organisation_document`): names (weight A), kind — network, type and the
names people use, `synonyms.SYNONYMS` (B) — and places — communes, postcodes, département (C).
A query is folded, split into words, stop words dropped; every word is a prefix.

1. Organisations containing every word (AND) are ranked; if none does, those containing any
   word or whose name is trigram-similar to the query (OR) are ranked instead.
2. Rank = full-text rank of the words against the weighted document (PostgreSQL `ts_rank`,
   standard weights D 0.1, C 0.2, B 0.4, A 1.0) + trigram similarity of the query to the names
   (`pg_trgm` `similarity`). Ties: active first, then name, then id.

PostgreSQL runs it in SQL (`search_vector` GIN index, `search_name` trigram GIN index); SQLite
has neither, so the same parts are ranked in Python by `python_rank` (same weights, same
trigram formula; ts_rank's proximity term is left out). One result per organisation: its
contact points (counter, phone, online) are listed under it.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value

from ecoute.common.text import fold

from .models import ContactPoint, Organisation
from .synonyms import synonym_terms

MAX_TERMS = 8
# Words that say nothing about which service is meant ("CPAM du Cantal", "Bourg-en-Bresse
# Cedex"). Kept in documents (harmless), dropped from queries so "du" is not required.
STOP_WORDS = frozenset("a au aux d de des du en et l la le les par pour sur un une cedex".split())
# PostgreSQL's default ts_rank weights, in its order {D, C, B, A}.
WEIGHTS = (0.1, 0.2, 0.4, 1.0)
WEIGHT_OF_PART = {"name": WEIGHTS[3], "kind": WEIGHTS[2], "place": WEIGHTS[1]}
# pg_trgm's default similarity threshold for the `%` operator (OR mode candidates).
TRIGRAM_THRESHOLD = 0.3
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Folded words, as PostgreSQL's 'simple' parser splits folded text (letters and digits)."""
    return _WORD.findall(fold(text))


def query_terms(query: str) -> list[str]:
    """The words of a query that search uses: folded, no stop words, no repeats, at most 8."""
    terms: list[str] = []
    for word in words(query):
        if word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def search_text_for(*parts: str | None) -> str:
    """The folded text a contact point is found by in the admin (name, organisation, network,
    commune, département, postcode): the one definition shared by importers and tests."""
    return fold(" ".join(part for part in parts if part))


@dataclass(frozen=True)
class SearchDocument:
    name: str
    kind: str
    place: str


def organisation_document(
    *,
    names: Iterable[str],
    network: str,
    type_name: str,
    places: Iterable[str],
) -> SearchDocument:
    """The one definition of what an organisation is found by (folded, repeats removed)."""

    def join(parts: Iterable[str]) -> str:
        seen: list[str] = []
        for part in parts:
            for word in words(part):
                if word not in seen:
                    seen.append(word)
        return " ".join(seen)

    network, type_name = fold(network), fold(type_name)
    return SearchDocument(
        name=join(names),
        kind=join([network, type_name, *synonym_terms(network, type_name)]),
        place=join(places),
    )


# --- search ------------------------------------------------------------------------------


def search_organisations(
    query: str, *, departement: str = "", channel: str = "", network: int | None = None
) -> list[int]:
    """Ids of the matching organisations, best first (see the module docstring).

    Ids rather than rows: the page of rows is then read by `organisations_page`, so a search
    costs the same number of queries whatever the number of results.
    """
    queryset = Organisation.objects.all()
    if departement:
        queryset = queryset.filter(departement_id=departement)
    if network:
        queryset = queryset.filter(network_id=network)
    if channel:
        queryset = queryset.filter(
            Exists(ContactPoint.objects.filter(organisation=OuterRef("pk"), channel=channel))
        )
    terms = query_terms(query)
    if not terms:
        return list(queryset.order_by("-is_active", "name", "id").values_list("id", flat=True))
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    return _search_python(queryset, terms)


def _search_postgresql(queryset: QuerySet[Organisation], terms: list[str]) -> list[int]:
    text = " ".join(terms)
    for operator in (" & ", " | "):
        # Terms are [a-z0-9]+ only (words()), so the raw tsquery cannot be malformed.
        tsquery = SearchQuery(
            operator.join(f"{term}:*" for term in terms), search_type="raw", config="simple"
        )
        condition = Q(search_vector=tsquery)
        if operator == " | ":
            condition |= Q(search_name__trigram_similar=text)
        ids = list(
            queryset.filter(condition)
            .annotate(
                rank=SearchRank(F("search_vector"), tsquery, weights=list(WEIGHTS))
                + TrigramSimilarity("search_name", Value(text))  # type: ignore[arg-type]
            )
            .order_by("-rank", "-is_active", "name", "id")
            .values_list("id", flat=True)
        )
        if ids:
            return ids
    return []


def _contains(term: str) -> Q:
    return (
        Q(search_name__contains=term)
        | Q(search_kind__contains=term)
        | Q(search_place__contains=term)
    )


def _search_python(queryset: QuerySet[Organisation], terms: list[str]) -> list[int]:
    text = " ".join(terms)
    columns = ("id", "search_name", "search_kind", "search_place", "is_active", "name")
    # AND: every term somewhere (LIKE narrows, word prefixes are checked in Python).
    every = queryset
    for term in terms:
        every = every.filter(_contains(term))
    rows = [row for row in every.values_list(*columns) if _matched(row[1:4], terms) == terms]
    if not rows:  # OR: any term
        any_term = Q()
        for term in terms:
            any_term |= _contains(term)
        rows = [
            row
            for row in queryset.filter(any_term).values_list(*columns)
            if _matched(row[1:4], terms)
        ]
    if not rows:  # a name close to the query (pg_trgm's `%`), for misspelt words
        query_grams = trigrams(text)
        close = {
            pk
            for pk, name in queryset.values_list("id", "search_name")
            if _jaccard(query_grams, trigrams(name)) > TRIGRAM_THRESHOLD
        }
        rows = list(queryset.filter(pk__in=close).values_list(*columns))
    scored = sorted(
        rows,
        key=lambda r: (-python_rank(SearchDocument(*r[1:4]), terms, text), not r[4], r[5], r[0]),
    )
    return [row[0] for row in scored]


def _matched(parts: Sequence[str], terms: list[str]) -> list[str]:
    found = " ".join(parts).split()
    return [t for t in terms if any(w.startswith(t) for w in found)]


def python_rank(document: SearchDocument, terms: list[str], text: str) -> float:
    """SQLite's equivalent of the PostgreSQL rank: for each term, the weight of the best part
    holding a word it prefixes (as ts_rank's per-term weight, averaged over the terms), plus
    the trigram similarity of the query to the names."""
    parts = {
        "name": document.name.split(),
        "kind": document.kind.split(),
        "place": document.place.split(),
    }
    total = 0.0
    for term in terms:
        total += max(
            (
                WEIGHT_OF_PART[part]
                for part, found in parts.items()
                if any(word.startswith(term) for word in found)
            ),
            default=0.0,
        )
    return total / len(terms) + trigram_similarity(text, document.name)


@functools.lru_cache(maxsize=65536)  # names are few (~15k) and read at every misspelt query
def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in words(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: shared trigrams over all trigrams of both."""
    return _jaccard(trigrams(a), trigrams(b))


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def organisations_page(ids: Sequence[int]) -> list[Organisation]:
    """The organisations of one page, in the order of `ids`, with what a result shows:
    network, commune, département and every contact point (a fixed number of queries)."""
    contact_points = ContactPoint.objects.select_related("commune").order_by("channel", "id")
    by_id = Organisation.objects.select_related("network", "type", "commune").prefetch_related(
        Prefetch("contact_points", queryset=contact_points)
    )
    found = by_id.in_bulk(list(ids))
    return [found[pk] for pk in ids if pk in found]


# --- near me -----------------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0088
NEAR_LIMIT = 100  # nearest counters listed (5 pages of 20)


@dataclass(frozen=True)
class NearbyPoint:
    contact_point: ContactPoint
    distance_km: float


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearest_counters(
    latitude: float, longitude: float, *, network: int | None = None, limit: int = NEAR_LIMIT
) -> list[NearbyPoint]:
    """Active counters nearest a point, nearest first, with their distance.

    Ordered in SQL by the equirectangular distance (plain arithmetic: same on both databases,
    exact enough to order points within a few hundred km), then measured by haversine.
    """
    scale = math.cos(math.radians(latitude)) ** 2
    queryset = ContactPoint.objects.active().filter(
        channel="guichet", latitude__isnull=False, longitude__isnull=False
    )
    if network:
        queryset = queryset.filter(organisation__network_id=network)
    nearest = (
        queryset.annotate(
            squared=(F("latitude") - latitude) * (F("latitude") - latitude)
            + (F("longitude") - longitude) * (F("longitude") - longitude) * scale
        )
        .select_related("organisation__network", "commune")
        .order_by("squared", "id")[:limit]
    )
    points = [
        NearbyPoint(
            point,
            distance_km(latitude, longitude, point.latitude or 0.0, point.longitude or 0.0),
        )
        for point in nearest
    ]
    return sorted(points, key=lambda p: (p.distance_km, p.contact_point.pk))
