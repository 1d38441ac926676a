"""Answer rate and delay to the first answer, per organisation and per network.

Each figure is defined once, here:

- **published**: experiences published now (hidden, pending and withdrawn ones do not count);
- **answered**: those of them that received at least one answer (`first_answered_at` set,
  even if a moderator later hid the answer: the service did answer);
- **answer rate** = answered / published, shown from `MIN_PUBLISHED` published experiences;
- **delay** of an answered experience = whole days from its publication (`published_at`) to
  its first answer (`first_answered_at`), 0 when the answer came first (an experience
  re-published after an edit), `DELAY_CAP_DAYS` for a year or more;
- **median delay** = the lower median of the delays (the smallest d such that at least half of
  the answered experiences were answered within d days), shown from `MIN_ANSWERED` answered
  experiences.

Scopes: a network counts every published experience naming it; an organisation counts those
of its own contact points and of every organisation below it (the materialised path), so a
direction's figures include its agencies'. The roll-up rows (`AnswerStatistics`) are moved by
the actions in the same transaction (record_publication, record_first_answer) and rebuilt by
`rebuild_answer_statistics` (one streamed pass; the data migration uses the same tally).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q

from ecoute.catalogue.models import Organisation

from .models import AnswerStatistics, Experience, ExperienceStatus

MIN_PUBLISHED = 10
MIN_ANSWERED = 5
DELAY_CAP_DAYS = 366
NETWORK, ORGANISATION = "network", "organisation"
Scope = tuple[str, int]


def delay_days(published_at: dt.datetime, first_answered_at: dt.datetime) -> int:
    seconds = (first_answered_at - published_at).total_seconds()
    return min(max(int(seconds // 86400), 0), DELAY_CAP_DAYS)


def median_days(histogram: Mapping[str, int]) -> int | None:
    """The lower median of a {days: count} histogram (None when empty)."""
    counts = sorted((int(days), count) for days, count in histogram.items() if count > 0)
    total = sum(count for _days, count in counts)
    if not total:
        return None
    seen = 0
    for days, count in counts:
        seen += count
        if 2 * seen >= total:
            return days
    return None  # pragma: no cover - the loop always reaches half of the total


def ancestor_ids(path: str, own_id: int) -> list[int]:
    """The organisation and every organisation above it, from its materialised path."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids if own_id in ids else [*ids, own_id]


def scopes_of(network_id: int, organisation_id: int | None, path: str | None) -> list[Scope]:
    scopes: list[Scope] = [(NETWORK, network_id)]
    if organisation_id is not None:
        scopes += [(ORGANISATION, org) for org in ancestor_ids(path or "", organisation_id)]
    return scopes


@dataclass
class Tally:
    published: int = 0
    answered: int = 0
    histogram: Counter[int] = field(default_factory=Counter)

    def as_fields(self) -> dict[str, object]:
        return {
            "published_count": self.published,
            "answered_count": self.answered,
            "delay_histogram": {str(days): n for days, n in sorted(self.histogram.items()) if n},
        }


def tally(
    rows: Iterable[tuple[int, int | None, dt.datetime | None, dt.datetime | None]],
    paths: Mapping[int, str],
) -> dict[Scope, Tally]:
    """Roll up (network id, organisation id, published_at, first_answered_at) of published
    experiences into every scope; `paths` maps organisation ids to their paths."""
    tallies: dict[Scope, Tally] = {}
    for network_id, organisation_id, published_at, first_answered_at in rows:
        path = paths.get(organisation_id) if organisation_id is not None else None
        delay = None
        if first_answered_at is not None and published_at is not None:
            delay = delay_days(published_at, first_answered_at)
        for scope in scopes_of(network_id, organisation_id, path):
            counts = tallies.setdefault(scope, Tally())
            counts.published += 1
            if delay is not None:
                counts.answered += 1
                counts.histogram[delay] += 1
    return tallies


def _scope_filter(scopes: list[Scope]) -> Q:
    condition = Q(pk__in=[])
    for kind, pk in scopes:
        if kind == NETWORK:
            condition |= Q(network_id=pk, organisation__isnull=True)
        else:
            condition |= Q(organisation_id=pk, network__isnull=True)
    return condition


def _key(row: AnswerStatistics) -> Scope:
    if row.organisation_id is not None:
        return (ORGANISATION, row.organisation_id)
    return (NETWORK, row.network_id or 0)


def _locked_rows(scopes: list[Scope]) -> list[AnswerStatistics]:
    """The scopes' rows, created if missing, locked in primary-key order (no deadlock). One
    query when they all exist (the usual case)."""
    locked = AnswerStatistics.objects.select_for_update().filter(_scope_filter(scopes))
    rows = list(locked.order_by("pk"))
    existing = {_key(row) for row in rows}
    missing = [scope for scope in scopes if scope not in existing]
    if not missing:
        return rows
    for kind, pk in missing:
        try:
            with transaction.atomic():  # a concurrent creation wins; ours is refused
                AnswerStatistics.objects.create(**{f"{kind}_id": pk})
        except IntegrityError:
            pass
    return list(locked.order_by("pk"))


def _move(experience: Experience, *, published: int, answered: int) -> None:
    """Add `published` (±1 or 0) and `answered` (±1 or 0) to each scope of `experience`, the
    answered one in its delay's histogram bucket."""
    path = None
    if experience.organisation_id is not None:
        path = (
            Organisation.objects.filter(pk=experience.organisation_id)
            .values_list("path", flat=True)
            .first()
        )
    scopes = scopes_of(experience.network_id, experience.organisation_id, path)
    bucket = None
    if answered and experience.first_answered_at and experience.published_at:
        bucket = str(delay_days(experience.published_at, experience.first_answered_at))
    for row in _locked_rows(scopes):
        row.published_count = max(row.published_count + published, 0)
        if bucket is not None:
            row.answered_count = max(row.answered_count + answered, 0)
            histogram = dict(row.delay_histogram)
            count = histogram.get(bucket, 0) + answered
            if count > 0:
                histogram[bucket] = count
            else:
                histogram.pop(bucket, None)
            row.delay_histogram = histogram
        row.answered_count = min(row.answered_count, row.published_count)
        row.save(update_fields=["published_count", "answered_count", "delay_histogram"])


def record_publication(experience: Experience, sign: int) -> None:
    """An experience enters (sign=1: published) or leaves (sign=-1: hidden, edited, withdrawn)
    the public figures, with its answer if it has one. Call inside the action's transaction,
    with the experience's place (organisation) and dates as they are while published."""
    _move(experience, published=sign, answered=sign if experience.first_answered_at else 0)


def record_first_answer(experience: Experience) -> None:
    """A published experience received its first answer (`first_answered_at` just set)."""
    if experience.status == ExperienceStatus.PUBLISHED:
        _move(experience, published=0, answered=1)


@transaction.atomic
def rebuild_answer_statistics() -> int:
    """Recount every scope from the experiences (repair; the actions keep them current).
    Streams the published experiences once; returns the number of rows written."""
    paths = dict(Organisation.objects.values_list("id", "path").iterator(chunk_size=5000))
    rows = (
        Experience.objects.published()
        .order_by()
        .values_list("network_id", "organisation_id", "published_at", "first_answered_at")
        .iterator(chunk_size=10_000)
    )
    tallies = tally(rows, paths)
    AnswerStatistics.objects.all().delete()
    AnswerStatistics.objects.bulk_create(
        [
            AnswerStatistics(**{f"{kind}_id": pk}, **counts.as_fields())  # type: ignore[arg-type]
            for (kind, pk), counts in tallies.items()
        ],
        batch_size=2000,
    )
    return len(tallies)


@dataclass(frozen=True)
class AnswerFigures:
    """What a page shows for one scope (see the definitions at the top of this module)."""

    published: int
    answered: int
    median_delay_days: int | None  # None below MIN_ANSWERED answered experiences

    @property
    def rate_percent(self) -> int | None:
        """Rounded answer rate, None below MIN_PUBLISHED published experiences."""
        if self.published < MIN_PUBLISHED:
            return None
        return round(100 * self.answered / self.published)

    @classmethod
    def from_row(cls, row: AnswerStatistics | None) -> "AnswerFigures":
        if row is None:
            return cls(0, 0, None)
        median = median_days(row.delay_histogram) if row.answered_count >= MIN_ANSWERED else None
        return cls(row.published_count, row.answered_count, median)
