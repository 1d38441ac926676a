"""Keep an experience's inbox entries in step with it (called in the acting transaction).

The entries are derived: for a published experience, one per organisation of its chain (the
base organisation of experiences.handling and each one above it), carrying what the inbox
filters and sorts on; none otherwise. Rewriting them all costs a handful of queries and rows
(the tree is a few levels deep), so every action calls the same function.
"""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from ecoute.catalogue.models import Organisation
from ecoute.experiences.handling import base_organisation
from ecoute.experiences.models import Experience, ExperienceStatus

from .models import Handling, InboxEntry, InboxState


def state_of(experience: Experience, handling: Handling) -> str:
    if experience.is_answered:
        return InboxState.ANSWERED
    if handling.escalated_at is not None:
        return InboxState.ESCALATED
    if handling.assignee_id is not None:
        return InboxState.IN_PROGRESS
    return InboxState.TO_ANSWER


def escalation_time(
    experience: Experience, handling: Handling, organisation: Organisation
) -> dt.datetime | None:
    """When the periodic job moves it up: unanswered, at an organisation that has a parent,
    ECOUTE_ESCALATION_DELAY_DAYS after it was due."""
    if experience.is_answered or organisation.parent_id is None:
        return None
    return handling.due_at + dt.timedelta(days=settings.ECOUTE_ESCALATION_DELAY_DAYS)


def _experiences() -> QuerySet[Experience]:
    return Experience.objects.select_related(
        "contact_point__organisation", "handling_organisation"
    ).defer("search_vector", "body", "title")


def sync_experience(experience_id: int) -> None:
    """Rewrite the entries of one experience (and create its Handling at first publication)."""
    experience = _experiences().filter(pk=experience_id).first()
    InboxEntry.objects.filter(experience_id=experience_id).delete()
    if experience is None or experience.status != ExperienceStatus.PUBLISHED:
        return
    base = base_organisation(experience)
    if base is None or experience.published_at is None:
        return
    handling = (
        Handling.objects.select_related("escalated_to").filter(experience_id=experience_id).first()
    )
    if handling is None:
        handling = Handling(
            experience_id=experience_id, due_at=experience.published_at + base.answer_delay
        )
    handler = handling.escalated_to or base
    escalates_at = escalation_time(experience, handling, handler)
    if handling._state.adding:
        handling.escalates_at = escalates_at
        handling.save(force_insert=True)
    elif handling.escalates_at != escalates_at:
        handling.escalates_at = escalates_at
        handling.save(update_fields=["escalates_at"])
    InboxEntry.objects.bulk_create(_entries(experience, handling, base, handler.pk))


def _entries(
    experience: Experience, handling: Handling, base: Organisation, handler_id: int
) -> list[InboxEntry]:
    state = state_of(experience, handling)
    published_at = experience.published_at
    assert published_at is not None  # noqa: S101 - checked by sync_experience
    return [
        InboxEntry(
            organisation_id=organisation_id,
            experience_id=experience.pk,
            is_handler=organisation_id == handler_id,
            state=state,
            is_open=state != InboxState.ANSWERED,
            assignee_id=handling.assignee_id,
            contact_point_id=experience.contact_point_id,
            channel=experience.channel,
            sentiment=experience.sentiment,
            published_at=published_at,
            due_at=handling.due_at,
        )
        for organisation_id in base.ancestor_ids()
    ]


def rebuild_all(*, batch_size: int = 2000) -> int:
    """Rewrite every entry (after a data fix, or to fill the table once): returns the number of
    published experiences seen."""
    seen = 0
    ids = Experience.objects.published().order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for experience_id in ids.iterator(chunk_size=batch_size):
        batch.append(experience_id)
        if len(batch) == batch_size:
            seen += _rebuild(batch)
            batch = []
    return seen + _rebuild(batch)


def _rebuild(ids: list[int]) -> int:
    for experience_id in ids:
        sync_experience(experience_id)
    return len(ids)
