"""Every state change of an experience: submit, publish, hide, answer.

Each action is atomic, masks personal data before anything is stored, keeps the contact point's
rating roll-up in step with what is published, and sends notifications after commit.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Channel, ContactPoint
from ecoute.moderation.actions import record_moderation_act
from ecoute.moderation.masking import mask_personal_data
from ecoute.moderation.models import ModerationAction
from ecoute.moderation.permissions import can_moderate

from . import notifications
from .models import (
    RATING_FIELDS,
    Answer,
    ContactPointRatingSummary,
    Experience,
    ExperienceOrigin,
    ExperienceStatus,
    Sentiment,
)
from .permissions import answering_organisation, can_tell_experience

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5000


class DuplicateSubmission(ValidationError):
    """The same experience was already sent moments ago (double click)."""


@dataclass(frozen=True)
class Ratings:
    satisfaction: int
    delays: int
    accessibility: int
    simplicity: int
    relationship: int

    def as_fields(self) -> dict[str, int]:
        return {f"rating_{key}": value for key, value in self.__dict__.items()}


def _fingerprint(*parts: object) -> str:
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True)
class ExperienceContent:
    """What a user tells, checked and already masked: the unmasked text is never kept."""

    occurred_on: dt.date
    channel: str
    sentiment: str
    ratings: Ratings
    title: str
    body: str
    masked_items: int

    def model_fields(self) -> dict[str, Any]:
        return {
            "occurred_on": self.occurred_on,
            "channel": self.channel,
            "sentiment": self.sentiment,
            "title": self.title,
            "body": self.body,
            "masked_items": self.masked_items,
            **self.ratings.as_fields(),
        }

    def as_json(self) -> dict[str, Any]:
        """A JSON-safe copy (kept while a submission waits for its confirmation link)."""
        return self.__dict__ | {
            "occurred_on": self.occurred_on.isoformat(),
            "ratings": self.ratings.__dict__,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ExperienceContent":
        return cls(
            **data
            | {
                "occurred_on": dt.date.fromisoformat(data["occurred_on"]),
                "ratings": Ratings(**data["ratings"]),
            }
        )

    def fingerprint(self, *owner: object) -> str:
        """Hash of the owner and the masked text: no digest of personal data is stored."""
        return _fingerprint(*owner, self.title, self.body)


def prepare_content(
    *,
    occurred_on: dt.date,
    channel: str,
    sentiment: str,
    ratings: Ratings,
    title: str,
    body: str,
) -> ExperienceContent:
    """Check what is told (ValidationError otherwise) and mask its personal data."""
    if occurred_on > timezone.localdate():
        raise ValidationError(_("La date de l'expérience ne peut pas être dans le futur."))
    for name, value in ratings.as_fields().items():
        if not 1 <= value <= 5:
            raise ValidationError(_("Chaque note doit être comprise entre 1 et 5."), code=name)
    if channel not in Channel.values or sentiment not in Sentiment.values:
        raise ValidationError(_("Canal ou ressenti inconnu."), code="choice")
    title, body = title.strip(), body.strip()
    if not 1 <= len(title) <= TITLE_MAX_LENGTH or not 1 <= len(body) <= BODY_MAX_LENGTH:
        raise ValidationError(_("Titre ou récit vide ou trop long."), code="length")
    masked_title = mask_personal_data(title)
    masked_body = mask_personal_data(body)
    return ExperienceContent(
        occurred_on=occurred_on,
        channel=channel,
        sentiment=sentiment,
        ratings=ratings,
        title=masked_title.text,
        body=masked_body.text,
        masked_items=masked_title.count + masked_body.count,
    )


@transaction.atomic
def submit_experience(
    *,
    author: User,
    contact_point: ContactPoint,
    occurred_on: dt.date,
    channel: str,
    sentiment: str,
    ratings: Ratings,
    title: str,
    body: str,
    origin: ExperienceOrigin = ExperienceOrigin.USER,
    source_key: str | None = None,
) -> Experience:
    """Store a new experience, masked and waiting for moderation.

    `origin`/`source_key` let loaders mark generated demo content and stay idempotent.

    Raises DuplicateSubmission when the same author sent the same text about the same contact
    point less than a minute ago.
    """
    if not can_tell_experience(author):
        raise PermissionDenied(_("Confirmez votre adresse électronique avant de témoigner."))
    content = prepare_content(
        occurred_on=occurred_on,
        channel=channel,
        sentiment=sentiment,
        ratings=ratings,
        title=title,
        body=body,
    )
    # Serialise the author's submissions so two simultaneous clicks cannot both pass the check.
    User.objects.select_for_update().filter(pk=author.pk).first()
    fingerprint = content.fingerprint(author.pk, contact_point.pk)
    window = timezone.now() - dt.timedelta(seconds=settings.ECOUTE_DUPLICATE_WINDOW_SECONDS)
    if Experience.objects.filter(fingerprint=fingerprint, created_at__gte=window).exists():
        raise DuplicateSubmission(
            _("Vous avez déjà envoyé cette expérience il y a moins d'une minute."),
            code="duplicate",
        )
    return Experience.objects.create(
        author=author,
        contact_point=contact_point,
        network_id=contact_point.organisation.network_id,
        origin=origin,
        source_key=source_key,
        fingerprint=fingerprint,
        **content.model_fields(),
    )


def _apply_to_summary(experience: Experience, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) a published experience's ratings from its roll-up."""
    if experience.contact_point_id is None:
        return
    summary, created = ContactPointRatingSummary.objects.get_or_create(
        contact_point_id=experience.contact_point_id
    )
    if created:
        # No roll-up yet (rows made outside these actions): adding to zeros would be wrong, and
        # subtracting would go below zero. Count the rows, which already hold this change.
        rebuild_rating_summary(contact_point=summary.contact_point)
        return
    updates: dict[str, object] = {"published_count": F("published_count") + sign}
    for field in RATING_FIELDS:
        value = getattr(experience, field)
        if value is not None:
            key = field.removeprefix("rating_")
            updates[f"{key}_sum"] = F(f"{key}_sum") + sign * value
            updates[f"{key}_count"] = F(f"{key}_count") + sign
    ContactPointRatingSummary.objects.filter(pk=summary.pk).update(
        updated_at=timezone.now(), **updates
    )


# Every column but the foreign keys: reloading those would drop the related objects the caller
# loaded with select_related() (the moderation row renders author and contact point).
_RELOADED_FIELDS = [
    field.attname for field in Experience._meta.concrete_fields if not field.is_relation
]


def _lock(experience: Experience) -> None:
    """Lock the row and reload its state into `experience`, so two moderators acting at once
    are serialised and the second sees the first one's decision."""
    experience.refresh_from_db(
        fields=_RELOADED_FIELDS, from_queryset=Experience.objects.select_for_update()
    )


@transaction.atomic
def publish_experience(*, actor: User, experience: Experience, reason: str = "") -> Experience:
    if not can_moderate(actor):
        raise PermissionDenied(_("Seuls les modérateurs peuvent publier."))
    _lock(experience)
    if experience.status == ExperienceStatus.PUBLISHED:
        raise ValidationError(_("Cette expérience est déjà publiée."), code="already_published")
    experience.status = ExperienceStatus.PUBLISHED
    experience.published_at = timezone.now()
    experience.hidden_reason = ""
    experience.save(update_fields=["status", "published_at", "hidden_reason"])
    _apply_to_summary(experience, +1)
    record_moderation_act(
        actor=actor, action=ModerationAction.PUBLISH, target=experience, reason=reason
    )
    notifications.notify_author_on_commit(experience, "published")
    return experience


@transaction.atomic
def hide_experience(*, actor: User, experience: Experience, reason: str) -> Experience:
    if not can_moderate(actor):
        raise PermissionDenied(_("Seuls les modérateurs peuvent masquer."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du masquage."), code="reason_required")
    _lock(experience)
    if experience.status == ExperienceStatus.HIDDEN:
        raise ValidationError(_("Cette expérience est déjà masquée."), code="already_hidden")
    was_published = experience.status == ExperienceStatus.PUBLISHED
    experience.status = ExperienceStatus.HIDDEN
    experience.hidden_reason = reason
    experience.save(update_fields=["status", "hidden_reason"])
    if was_published:
        _apply_to_summary(experience, -1)
    record_moderation_act(
        actor=actor, action=ModerationAction.HIDE, target=experience, reason=reason
    )
    notifications.notify_author_on_commit(experience, "hidden")
    return experience


@transaction.atomic
def answer_experience(*, author: User, experience: Experience, body: str) -> Answer:
    """Publish an agent's answer, signed with the service they answer for.

    Raises PermissionDenied unless the agent belongs to the contact point's organisation (or
    one above it). Only published experiences can be answered.
    """
    if experience.status != ExperienceStatus.PUBLISHED:
        raise ValidationError(_("Seules les expériences publiées peuvent recevoir une réponse."))
    organisation = answering_organisation(author, experience)
    if organisation is None:
        raise PermissionDenied(_("Vous ne pouvez répondre que pour vos propres services."))
    body = body.strip()
    if not 1 <= len(body) <= BODY_MAX_LENGTH:
        raise ValidationError(_("Réponse vide ou trop longue."), code="length")
    masked = mask_personal_data(body)
    answer = Answer.objects.create(
        experience=experience,
        author=author,
        organisation=organisation,
        body=masked.text,
        masked_items=masked.count,
    )
    notifications.notify_author_on_commit(experience, "answered")
    return answer


@transaction.atomic
def rebuild_rating_summary(*, contact_point: ContactPoint) -> ContactPointRatingSummary:
    """Recompute a roll-up from scratch in one aggregate query (repair tool; the actions keep
    it current)."""
    aggregates: dict[str, Any] = {"published_count": Count("id")}
    for field in RATING_FIELDS:
        key = field.removeprefix("rating_")
        aggregates[f"{key}_sum"] = Coalesce(Sum(field), 0)
        aggregates[f"{key}_count"] = Count(field)
    values = (
        Experience.objects.published().filter(contact_point=contact_point).aggregate(**aggregates)
    )
    summary, _created = ContactPointRatingSummary.objects.update_or_create(
        contact_point=contact_point, defaults=values
    )
    return summary
