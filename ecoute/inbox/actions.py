"""Every change in the agents' space: assign, write a note, route, escalate.

Each action is atomic, checks its rule in permissions.py, writes the journal and rewrites the
experience's inbox entries (entries.sync_experience) in the same transaction; e-mails go after
commit (through experiences' notifications).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation
from ecoute.experiences import actions as experience_actions
from ecoute.experiences.handling import base_organisation
from ecoute.experiences.models import Experience, ExperienceStatus
from ecoute.moderation.masking import mask_personal_data

from .entries import sync_experience
from .models import Handling, InternalNote, JournalEntry, JournalKind
from .permissions import acting_organisation, can_assign, can_route_to, can_write_note

NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000


def _locked(experience: Experience) -> Handling | None:
    """Lock the experience and its Handling, and reload what the rules read."""
    experience.refresh_from_db(
        fields=["status", "is_answered", "handling_organisation"],
        from_queryset=Experience.objects.select_for_update(),
    )
    return Handling.objects.select_for_update().filter(experience_id=experience.pk).first()


def _published(experience: Experience) -> None:
    if experience.status != ExperienceStatus.PUBLISHED:
        raise ValidationError(_("Cette expérience n'est pas publiée."), code="not_published")


@transaction.atomic
def assign_experience(*, actor: User, experience: Experience, assignee: User | None) -> Handling:
    """Hand an unanswered experience to `assignee` (a colleague, or oneself), or give it back
    (None). See permissions.can_assign; PermissionDenied otherwise."""
    handling = _locked(experience)
    _published(experience)
    if handling is None or not can_assign(actor, experience, handling, assignee):
        raise PermissionDenied(_("Vous ne pouvez pas attribuer cette expérience."))
    if handling.assignee_id == (assignee.pk if assignee else None):
        return handling
    handling.assignee = assignee
    handling.assigned_at = timezone.now() if assignee else None
    handling.save(update_fields=["assignee", "assigned_at"])
    JournalEntry.objects.create(
        experience=experience, kind=JournalKind.ASSIGNED, actor=actor, assignee=assignee
    )
    sync_experience(experience.pk)
    return handling


@transaction.atomic
def add_note(*, actor: User, experience: Experience, body: str) -> InternalNote:
    """An internal note, masked before storage, signed with the author's acting service."""
    organisation = acting_organisation(actor, experience)
    if organisation is None or not can_write_note(actor, experience):
        raise PermissionDenied(_("Vous ne pouvez pas annoter cette expérience."))
    body = body.strip()
    if not 1 <= len(body) <= NOTE_MAX_LENGTH:
        raise ValidationError(_("Note vide ou trop longue."), code="length")
    masked = mask_personal_data(body)
    return InternalNote.objects.create(
        experience=experience,
        author=actor,
        organisation=organisation,
        body=masked.text,
        masked_items=min(masked.count, 32767),
    )


@transaction.atomic
def route_experience(
    *, actor: User, experience: Experience, organisation: Organisation, reason: str
) -> JournalEntry:
    """Send an unanswered experience to another organisation (parent, child, another network)
    with a reason: it leaves the assignee, gets the receiver's full answer delay, appears in
    the receiver's inbox, its agents may answer it, and the author is told after commit."""
    handling = _locked(experience)
    _published(experience)
    reason = reason.strip()
    if not 1 <= len(reason) <= REASON_MAX_LENGTH:
        raise ValidationError(_("Indiquez le motif de l'orientation."), code="reason")
    if handling is None or not can_route_to(actor, experience, organisation):
        raise PermissionDenied(_("Vous ne pouvez pas orienter cette expérience vers ce service."))
    sender = experience.handling_organisation
    now = timezone.now()
    handling.assignee = None
    handling.assigned_at = None
    handling.escalated_at = None
    handling.escalated_to = None
    handling.due_at = now + organisation.answer_delay
    handling.save(
        update_fields=["assignee", "assigned_at", "escalated_at", "escalated_to", "due_at"]
    )
    entry = JournalEntry.objects.create(
        experience=experience,
        kind=JournalKind.ROUTED,
        actor=actor,
        from_organisation=sender,
        to_organisation=organisation,
        reason=mask_personal_data(reason).text,
    )
    # Rewrites the entries (the listener) and e-mails the author after commit.
    experience_actions.hand_over_experience(
        experience=experience, organisation=organisation, notify_author=True
    )
    return entry


@transaction.atomic
def escalate_experience(*, experience: Experience, now: dt.datetime) -> JournalEntry | None:
    """Move an overdue unanswered experience up to the parent of the organisation it is at (the
    periodic job, no actor): the parent's inbox and the handling organisation's show it as
    escalated, and the parent's agents (who may already answer it) are expected to act.
    Idempotent: nothing happens before its escalation time; the next one, if any, comes one
    delay (the parent's) later."""
    handling = _locked(experience)
    if (
        handling is None
        or experience.status != ExperienceStatus.PUBLISHED
        or experience.is_answered
        or handling.escalates_at is None
        or handling.escalates_at > now
    ):
        return None
    current = handling.escalated_to or base_organisation(experience)
    if current is None or current.parent_id is None:
        return None
    parent = Organisation.objects.get(pk=current.parent_id)
    handling.escalated_at = now
    handling.escalated_to = parent
    handling.due_at = now + parent.answer_delay
    handling.save(update_fields=["escalated_at", "escalated_to", "due_at"])
    entry = JournalEntry.objects.create(
        experience=experience,
        kind=JournalKind.ESCALATED,
        from_organisation=current,
        to_organisation=parent,
    )
    sync_experience(experience.pk)
    return entry


def escalate_overdue_experiences(*, now: dt.datetime | None = None, limit: int = 10_000) -> int:
    """Escalate every experience whose escalation time has come (each in its own
    transaction); returns how many moved. Run periodically; running it twice moves nothing
    more."""
    now = now or timezone.now()
    due = (
        Handling.objects.filter(escalates_at__lte=now)
        .order_by("escalates_at")
        .values_list("experience_id", flat=True)[:limit]
    )
    moved = 0
    for experience in Experience.objects.filter(pk__in=list(due)).order_by("pk"):
        if escalate_experience(experience=experience, now=now) is not None:
            moved += 1
    return moved
