"""Read-side helpers for pages: bounded queries over published experiences and roll-ups."""

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Channel, ContactPoint, Organisation
from ecoute.common.pagination import KeysetPage

from .answer_statistics import MIN_ANSWERED, MIN_PUBLISHED, AnswerFigures
from .models import (
    Answer,
    AnswerRevision,
    AnswerStatistics,
    AnswerUseful,
    Experience,
    MeToo,
    Sentiment,
)
from .permissions import can_mark_answer_useful, can_say_metoo
from .search import search_condition

# Above this many results the list says "plus de 10 000" instead of counting them all: the
# count reads at most COUNT_CAP + 1 index entries, whatever the table size.
COUNT_CAP = 10_000
# Above this many rows expected by the planner, the count is not run (see count_results).
ESTIMATE_TRUSTED_ABOVE = 10 * COUNT_CAP
# A search combined with other filters is not counted when its words alone are expected to
# match more rows than this: the count would first build the words' whole bitmap (a cost, not
# an accuracy, threshold: 20,000 matches take about as long as the rest of the page).
TEXT_COUNT_ABOVE = 2 * COUNT_CAP
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by its timeout
# Query-string keys that are positions, not filters (dropped when a filter changes).
CURSOR_KEYS = ("apres", "avant")


def with_answers(queryset: QuerySet[Experience]) -> QuerySet[Experience]:
    return (
        queryset.select_related("author", "contact_point", "network")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(hidden_at__isnull=True).select_related(
                    "organisation", "author"
                ),
            )
        )
        .defer("search_vector")
    )


# At most this many contact points are read for an organisation's public contact details.
CONTACT_DETAILS_LIMIT = 500


def public_contact_details(
    *, organisation: Organisation, contact_point_id: int | None = None
) -> list[str]:
    """What the directory publishes to reach `organisation`: the phone numbers, addresses and
    e-mail addresses (`mailto:` links) of its own contact points and of the experience's
    contact point (one query). An agent quoting them in an answer gives public information,
    not personal data: these strings are passed to mask_personal_data as `keep`. The
    catalogue stores no other e-mail address for a service."""
    condition = Q(organisation=organisation)
    if contact_point_id is not None:
        condition |= Q(pk=contact_point_id)
    details: set[str] = set()
    rows = ContactPoint.objects.filter(condition).values_list(
        "phone", "address", "postal_code", "url"
    )
    for phone, address, postal_code, url in rows.order_by("pk")[:CONTACT_DETAILS_LIMIT]:
        if phone:
            details.add(phone)
        if address:
            details.add(address)
            if postal_code:
                details.add(f"{address} {postal_code}")
        if url.lower().startswith("mailto:"):
            details.add(url[len("mailto:") :].split("?", 1)[0])
    return sorted(details)


def official_answer(*, experience: Experience, organisation: Organisation) -> Answer | None:
    """The organisation's official answer to the experience (hidden or not), if any."""
    return Answer.objects.filter(
        experience=experience, organisation=organisation, follow_up_of__isnull=True
    ).first()


def answer_revisions(answer: Answer) -> QuerySet[AnswerRevision]:
    """Every version of an answer, newest first (one query, by the history index)."""
    return AnswerRevision.objects.filter(answer=answer).order_by("-created_at", "-id")


def published_experiences_for_contact_point(contact_point: ContactPoint) -> QuerySet[Experience]:
    return with_answers(Experience.objects.published().filter(contact_point=contact_point))


def latest_published_experiences(limit: int = 6) -> list[Experience]:
    return list(
        with_answers(Experience.objects.published()).order_by("-published_at", "-id")[:limit]
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def browse_experiences(filters: Mapping[str, Any]) -> QuerySet[Experience]:
    """Published experiences matching the cleaned filters of BrowseForm.

    Each filter is a column of the experience row (the place is copied there on publication),
    so the database walks one partial index in sort order (see the indexes of Experience).
    """
    queryset = Experience.objects.published()
    column_filters = {
        "reseau": "network",
        "organisation": "organisation",
        "point": "contact_point",
        "departement": "departement",
        "commune": "commune",
        "canal": "channel",
        "ressenti": "sentiment",
    }
    for key, column in column_filters.items():
        if key in filters:
            queryset = queryset.filter(**{column: filters[key]})
    if "reponse" in filters:
        queryset = queryset.filter(is_answered=filters["reponse"] == "oui")
    if "du" in filters:
        queryset = queryset.filter(published_at__gte=_day_start(filters["du"]))
    if "au" in filters:
        queryset = queryset.filter(
            published_at__lt=_day_start(filters["au"] + dt.timedelta(days=1))
        )
    if "q" in filters:
        condition = search_condition(filters["q"], connection.vendor)
        if condition is not None:
            queryset = queryset.filter(condition)
    return queryset


@dataclass(frozen=True)
class ResultCount:
    value: int
    capped: bool  # True: more than `value` results, not counted further
    # True: counting took longer than COUNT_BUDGET_MS; `value` is what the page shows, a
    # lower bound ("au moins").
    over_budget: bool = False


def _count_budget_ms() -> int:
    return int(settings.EXPERIENCE_COUNT_BUDGET_MS)


def _planner_estimate(queryset: QuerySet[Experience]) -> int | None:
    """The number of rows PostgreSQL's planner expects (EXPLAIN, nothing is read), or None on
    another database. Used only to skip counting when it expects far more than COUNT_CAP."""
    if connection.vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _bounded_count(queryset: QuerySet[Experience]) -> int | None:
    """COUNT of at most COUNT_CAP + 1 rows; None when PostgreSQL gives up after the budget.

    The statement timeout is set for this one query: `set_config(..., true)` lasts until the
    end of the transaction, so outside one (autocommit, production) the count runs in its own
    short transaction; inside one (a test, a caller's atomic block) in a savepoint, and the
    previous value is set back before release (a cancelled query rolls the savepoint back,
    which restores it too). The rest of the request keeps the server's setting.
    """
    limited = queryset.order_by().values("pk")[: COUNT_CAP + 1]
    budget = _count_budget_ms()
    if connection.vendor != "postgresql" or budget <= 0:
        return limited.count()
    nested = connection.in_atomic_block
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)",
                [f"{budget}ms"],
            )
            (previous, _) = cursor.fetchone()
            counted = limited.count()
            if nested:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return counted
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        return None


def single_condition(filters: Mapping[str, Any]) -> bool:
    """At most one filter (a period, both ends, is one): the planner's estimate of its rows
    comes from that column's own statistics and is close; with two or more it multiplies their
    selectivities as if independent, and place, channel and sentiment are not."""
    return len({"du" if key == "au" else key for key in filters}) <= 1


def count_results(
    queryset: QuerySet[Experience],
    page: KeysetPage | None = None,
    *,
    trust_estimate: bool = False,
    text_alone: QuerySet[Experience] | None = None,
) -> ResultCount:
    """Exact up to COUNT_CAP; beyond it "more than COUNT_CAP" (one bounded query).

    With the page already read: a first page without a next one is the whole result, counted
    without a query. On PostgreSQL, with `trust_estimate` (a single condition, see
    single_condition) and the planner expecting more than ESTIMATE_TRUSTED_ABOVE rows (ten
    times the cap: the whole list, a large network, a common word), the answer "more than
    COUNT_CAP" is given without counting: a full-text match has to build its whole bitmap
    before any LIMIT applies, so counting even 10,001 rows of a common word costs as much as
    the word has rows. For the same reason, a search combined with other filters is not
    counted when the words alone (`text_alone`, a single condition whose estimate is trusted)
    are expected to match more than TEXT_COUNT_ABOVE rows: the page says "at least" what it
    shows. When the count itself runs over its time budget (a rare combination of filters
    over millions of rows), the page says "at least" too instead of waiting. See
    docs/decisions/0007-browse-experiences.md.
    """
    if page is not None and not page.has_previous and page.next_cursor is None:
        return ResultCount(len(page.items), capped=False)
    estimate = _planner_estimate(queryset) if trust_estimate else None
    if estimate is not None and estimate > ESTIMATE_TRUSTED_ABOVE:
        return ResultCount(COUNT_CAP, capped=True)
    shown = len(page.items) if page is not None else 0
    if text_alone is not None:
        text_estimate = _planner_estimate(text_alone)
        if text_estimate is not None and text_estimate > TEXT_COUNT_ABOVE:
            return ResultCount(shown, capped=False, over_budget=True)
    counted = _bounded_count(queryset)
    if counted is None:
        return ResultCount(shown, capped=False, over_budget=True)
    if counted > COUNT_CAP:
        return ResultCount(COUNT_CAP, capped=True)
    return ResultCount(counted, capped=False)


@dataclass(frozen=True)
class FilterTag:
    label: str
    remove_url: str


def filter_tags(filters: Mapping[str, Any], params: QueryDict) -> list[FilterTag]:
    """One removable tag per active filter; its link is this list without that filter."""
    labels = {
        "q": _("Recherche"),
        "reseau": _("Réseau"),
        "organisation": _("Organisation"),
        "point": _("Point de contact"),
        "departement": _("Département"),
        "commune": _("Commune"),
        "canal": _("Canal"),
        "ressenti": _("Ressenti"),
        "reponse": _("Réponse"),
        "du": _("Depuis le"),
        "au": _("Jusqu'au"),
    }
    displays: dict[str, Any] = {
        "canal": lambda value: Channel(value).label,
        "ressenti": lambda value: Sentiment(value).label,
        "reponse": lambda value: _("avec une réponse") if value == "oui" else _("sans réponse"),
        "du": lambda value: value.strftime("%d/%m/%Y"),
        "au": lambda value: value.strftime("%d/%m/%Y"),
        "organisation": lambda value: value.display_name,
    }
    tags = []
    for key, label in labels.items():
        if key not in filters:
            continue
        value = filters[key]
        shown = displays[key](value) if key in displays else str(value)
        remaining = params.copy()
        for dropped in (key, *CURSOR_KEYS):
            remaining.pop(dropped, None)
        tags.append(FilterTag(f"{label} : {shown}", f"?{remaining.urlencode()}"))
    return tags


def mark_reactions(user: User | AnonymousUser, experiences: Iterable[Experience]) -> None:
    """Set on each experience (and its prefetched answers) what the page needs for the "moi
    aussi" and "utile" buttons: `user_metoo`, `metoo_allowed`, `user_useful`, `useful_allowed`.
    Two queries for a signed-in user whatever the number of rows, none for a visitor."""
    experiences = list(experiences)
    answers = [answer for experience in experiences for answer in experience.answers.all()]
    metoo_ids: set[int] = set()
    useful_ids: set[int] = set()
    if isinstance(user, User) and experiences:
        metoo_ids = set(
            MeToo.objects.filter(
                user=user, experience_id__in=[e.pk for e in experiences]
            ).values_list("experience_id", flat=True)
        )
        if answers:
            useful_ids = set(
                AnswerUseful.objects.filter(
                    user=user, answer_id__in=[a.pk for a in answers]
                ).values_list("answer_id", flat=True)
            )
    for experience in experiences:
        experience.user_metoo = experience.pk in metoo_ids  # type: ignore[attr-defined]
        experience.metoo_allowed = can_say_metoo(user, experience)  # type: ignore[attr-defined]
        for answer in experience.answers.all():
            answer.user_useful = answer.pk in useful_ids  # type: ignore[attr-defined]
            answer.useful_allowed = can_mark_answer_useful(  # type: ignore[attr-defined]
                user, answer, experience
            )


@dataclass(frozen=True)
class ScopeFigures:
    """Answer figures of a scope, named for the page (answer_statistics defines them)."""

    label: str
    figures: AnswerFigures


def answer_statistics(
    *, organisation: Organisation | None = None, network_id: int | None = None
) -> AnswerFigures:
    """Answer rate and median delay to the first answer of an organisation (with every
    organisation below it) or of a network: one indexed read of its roll-up row, whatever the
    number of experiences (the agents' dashboard calls this)."""
    if (organisation is None) == (network_id is None):
        raise ValueError("Give an organisation or a network id.")
    scope = (
        Q(organisation=organisation, network__isnull=True)
        if organisation is not None
        else Q(network_id=network_id, organisation__isnull=True)
    )
    return AnswerFigures.from_row(AnswerStatistics.objects.filter(scope).first())


def contact_point_answer_statistics(contact_point: ContactPoint) -> list[ScopeFigures]:
    """The figures of the contact point's organisation and of its network (one query);
    `contact_point` loaded with its organisation and network."""
    return organisation_answer_statistics(contact_point.organisation)


def organisation_answer_statistics(organisation: Organisation) -> list[ScopeFigures]:
    """The figures of an organisation (with every organisation below it) and of its network,
    in one query (the contact point page, the agents' dashboard); `organisation` loaded with
    its network."""
    rows = AnswerStatistics.objects.filter(
        Q(organisation=organisation, network__isnull=True)
        | Q(network_id=organisation.network_id, organisation__isnull=True)
    )
    by_scope = {row.organisation_id is not None: row for row in rows}
    return [
        ScopeFigures(organisation.display_name, AnswerFigures.from_row(by_scope.get(True))),
        ScopeFigures(
            _("Réseau %(network)s") % {"network": organisation.network.name},
            AnswerFigures.from_row(by_scope.get(False)),
        ),
    ]


ANSWER_FIGURES_MINIMUMS = {"published": MIN_PUBLISHED, "answered": MIN_ANSWERED}
