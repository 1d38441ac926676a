"""Suggested drafts: the answers already given to the most similar experiences of the network.

One `ecoute.analysis.similar.SimilarityIndex` per network over the title and text of its
published, answered experiences. It is never rebuilt per request:

- `manage.py build_answer_suggestions` (periodic, e.g. hourly) writes each network's index to
  `ECOUTE_ANSWER_INDEX_DIR/network-<id>.npz`; web processes load the file once and reload it
  when it changes (one `stat` per request);
- without a file (a new installation, a test), the index is built from the network's
  `FALLBACK_LIMIT` most recently answered experiences and kept `FALLBACK_SECONDS` in memory:
  bounded work, whatever the network's size.

Experiences answered since the last build are found after the next one. The index holds ids
only: the texts and answers shown come from the database (two queries), so a hidden experience
or answer is never suggested, even from a stale index.
"""

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from ecoute.analysis.similar import SimilarityIndex
from ecoute.catalogue.models import Organisation
from ecoute.experiences.models import Answer, Experience, ExperienceStatus

# 2**20 hashed terms (a 4 MB document-frequency table per network; the library's default of
# 2**24 is sized for one index of millions of texts).
N_FEATURES = 1 << 20
FALLBACK_LIMIT = 2_000
FALLBACK_SECONDS = 600
# Candidates read from the index: some may have lost their answer or been hidden since.
CANDIDATES = 12
BATCH = 20_000

_lock = threading.Lock()
# network id -> (file mtime, or expiry time for a bounded index; from a file?; the index)
_cache: dict[int, tuple[float, bool, SimilarityIndex]] = {}


def index_dir() -> Path:
    return Path(settings.ECOUTE_ANSWER_INDEX_DIR)


def index_path(network_id: int) -> Path:
    return index_dir() / f"network-{network_id}.npz"


def experience_text(title: str, body: str) -> str:
    return f"{title}\n{body}"


def _answered(network_id: int, limit: int | None = None) -> Iterator[tuple[int, str]]:
    rows = (
        Experience.objects.published()
        .filter(network_id=network_id, is_answered=True)
        .order_by("-id")
        .values_list("id", "title", "body")
    )
    if limit is not None:
        rows = rows[:limit]
    for pk, title, body in rows.iterator(chunk_size=BATCH):
        yield pk, experience_text(title, body)


def _build(network_id: int, limit: int | None = None) -> SimilarityIndex:
    index = SimilarityIndex(n_features=N_FEATURES)
    rows = _answered(network_id, limit)
    while batch := list(islice(rows, BATCH)):
        index.add([pk for pk, _text in batch], [text for _pk, text in batch])
    return index


def build_index(network_id: int) -> int:
    """Build a network's index from every answered experience and write it (atomically: the
    new file replaces the old one once complete). Returns the number of texts indexed."""
    index = _build(network_id)
    index_dir().mkdir(parents=True, exist_ok=True)
    target = index_path(network_id)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    index.save(partial)
    os.replace(partial, target)
    return len(index)


def index_for(network_id: int) -> SimilarityIndex:
    """The network's index: from its file (reloaded when the file changes), else bounded."""
    path = index_path(network_id)
    with _lock:
        cached = _cache.get(network_id)
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            mtime = None
        if mtime is not None:
            if cached is None or not cached[1] or cached[0] != mtime:
                cached = (mtime, True, SimilarityIndex.load(path))
                _cache[network_id] = cached
            return cached[2]
        if cached is None or cached[1] or cached[0] < time.monotonic():
            index = _build(network_id, FALLBACK_LIMIT)
            cached = (time.monotonic() + FALLBACK_SECONDS, False, index)
            _cache[network_id] = cached
        return cached[2]


def clear_cache() -> None:
    with _lock:
        _cache.clear()


@dataclass(frozen=True)
class Suggestion:
    experience: Experience
    answer: Answer
    score: float
    same_organisation: bool


def suggest(*, experience: Experience, organisation: Organisation, k: int = 3) -> list[Suggestion]:
    """At most `k` official answers given to the published experiences of the network most
    similar to `experience` (itself excluded), best first; two queries."""
    index = index_for(experience.network_id)
    matches = index.query(experience_text(experience.title, experience.body), k=CANDIDATES)
    scores = {pk: score for pk, score in matches if pk != experience.pk}
    if not scores:
        return []
    # Looked up by primary key and experience only, the other conditions checked here on these
    # few rows: otherwise a planner without statistics (SQLite) walks the index of every
    # published experience or of every official answer.
    rows = (
        Experience.objects.filter(pk__in=list(scores))
        .select_related("contact_point")
        .defer("search_vector")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("organisation").order_by("created_at", "id"),
                to_attr="all_answers",
            )
        )
    )
    found = []
    for row in rows:
        if row.status != ExperienceStatus.PUBLISHED:
            continue
        answers = [
            answer
            for answer in row.all_answers  # type: ignore[attr-defined]
            if answer.hidden_at is None and answer.follow_up_of_id is None
        ]
        if not answers:
            continue
        own = [answer for answer in answers if answer.organisation_id == organisation.pk]
        answer = (own or answers)[0]
        found.append(Suggestion(row, answer, scores[row.pk], bool(own)))
    found.sort(key=lambda s: (-s.score, s.experience.pk))
    return found[:k]
