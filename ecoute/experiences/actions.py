"""Every state change of an experience: submit, publish, hide, answer (and edit an answer);
edit and withdraw by its author; what happens to an author's experiences when the account is
deleted.

Each action is atomic, masks personal data before anything is stored, tells the ratings'
listeners (the indicators' roll-ups, ratings.py) what is published, and sends notifications
after commit.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Channel, ContactPoint, Organisation
from ecoute.moderation import actions as moderation
from ecoute.moderation.masking import MaskResult, mask_personal_data

from . import handling, notifications
from .answer_statistics import record_first_answer, record_publication
from .models import (
    RATING_FIELDS,
    Answer,
    AnswerRevision,
    AnswerUseful,
    Experience,
    ExperienceOrigin,
    ExperienceStatus,
    MeToo,
    Sentiment,
)
from .permissions import (
    answering_organisation,
    can_edit_answer,
    can_edit_experience,
    can_mark_answer_useful,
    can_say_metoo,
    can_tell_experience,
    can_withdraw_experience,
)
from .queries import official_answer, public_contact_details
from .ratings import SCALE_MAX, SCALE_MIN, Ratings, published_ratings_changed

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5000


class DuplicateSubmission(ValidationError):
    """The same experience was already sent moments ago (double click)."""


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
            "ratings": self.ratings.as_dict(),
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
        if not SCALE_MIN <= value <= SCALE_MAX:
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
    experience = Experience.objects.create(
        author=author,
        contact_point=contact_point,
        network_id=contact_point.organisation.network_id,
        origin=origin,
        source_key=source_key,
        fingerprint=fingerprint,
        **content.model_fields(),
    )
    moderation.submit_for_moderation(
        target=experience, originals={"title": title.strip(), "body": body.strip()}
    )
    return experience


def _ratings_changed(experience: Experience, sign: int) -> None:
    """Add (sign=1, once published) or remove (sign=-1, before the published row changes) an
    experience's ratings from what the listeners keep (the indicators' roll-ups)."""
    published_ratings_changed([experience.pk], sign)


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


def _place_of(experience: Experience) -> dict[str, Any]:
    """The contact point's organisation, commune and département, copied on the experience so
    that the public list filters on its own columns (one index each, no join)."""
    place: dict[str, Any] = {"organisation_id": None, "commune_id": None, "departement_id": None}
    if experience.contact_point_id is not None:
        point = ContactPoint.objects.filter(pk=experience.contact_point_id).values(*place).first()
        place.update(point or {})
    return place


def publish_experience(*, actor: User, experience: Experience, reason: str = "") -> Experience:
    """Publish (or restore) through the moderation contract, which locks, journals, closes the
    reports and calls `on_publish` below."""
    moderation.publish(actor=actor, target=experience, reason=reason)
    return experience


def hide_experience(*, actor: User, experience: Experience, reason: str) -> Experience:
    """Hide through the moderation contract (reason required), which calls `on_hide` below."""
    moderation.hide(actor=actor, target=experience, reason=reason)
    return experience


def on_publish(experience: Experience, actor: User) -> None:
    """Registered with moderation: make the experience public, under the moderation item's
    lock, in its transaction (never called directly)."""
    _lock(experience)
    was_published = experience.status == ExperienceStatus.PUBLISHED
    experience.status = ExperienceStatus.PUBLISHED
    experience.published_at = timezone.now()
    experience.hidden_reason = ""
    place = _place_of(experience)
    for field, value in place.items():
        setattr(experience, field, value)
    fields = ["status", "published_at", "hidden_reason", *place]
    if experience.handling_organisation_id is None:  # kept when it was routed, then re-published
        head = None if place["organisation_id"] else handling.network_head(experience.network_id)
        experience.handling_organisation_id = place["organisation_id"] or (
            head.pk if head else None
        )
        fields.append("handling_organisation")
    experience.save(update_fields=fields)
    if not was_published:
        _ratings_changed(experience, +1)
        record_publication(experience, +1)
    handling.changed(experience.pk)
    notifications.notify_author_on_commit(experience, "published")


def on_hide(experience: Experience, actor: User, reason: str) -> None:
    """Registered with moderation: take the experience out of public view and of its roll-up."""
    _lock(experience)
    was_published = experience.status == ExperienceStatus.PUBLISHED
    experience.status = ExperienceStatus.HIDDEN
    experience.hidden_reason = reason
    experience.save(update_fields=["status", "hidden_reason"])
    if was_published:
        _ratings_changed(experience, -1)
        record_publication(experience, -1)
    handling.changed(experience.pk)
    notifications.notify_author_on_commit(experience, "hidden")


def on_edit_text(experience: Experience, actor: User, texts: dict[str, str], masked: int) -> None:
    """Registered with moderation: a moderator changed what is masked in the title or body.
    The search vector is a generated column, so it follows; ratings and status do not move."""
    _lock(experience)
    fields = [name for name in ("title", "body") if name in texts]
    for name in fields:
        setattr(experience, name, texts[name])
    experience.masked_items = min(masked, 32767)
    experience.save(update_fields=[*fields, "masked_items"])


def on_publish_answer(answer: Answer, actor: User) -> None:
    """Registered with moderation: an answer hidden by mistake is shown again."""
    answer.refresh_from_db(
        fields=["hidden_at", "hidden_reason"], from_queryset=Answer.objects.select_for_update()
    )
    answer.hidden_at = None
    answer.hidden_reason = ""
    answer.save(update_fields=["hidden_at", "hidden_reason"])


def on_hide_answer(answer: Answer, actor: User, reason: str) -> None:
    """Registered with moderation: the answer is no longer shown."""
    answer.refresh_from_db(
        fields=["hidden_at", "hidden_reason"], from_queryset=Answer.objects.select_for_update()
    )
    answer.hidden_at = timezone.now()
    answer.hidden_reason = reason
    answer.save(update_fields=["hidden_at", "hidden_reason"])


class AnswerAlreadyPublished(ValidationError):
    """The answer is already there: the same form sent twice (code "already_published"), or
    the organisation's official answer exists (code "official_exists"). `answer` is it."""

    def __init__(self, message: str, *, code: str, answer: Answer) -> None:
        super().__init__(message, code=code)
        self.answer = answer


def preview_answer(*, organisation: Organisation, experience: Experience, body: str) -> MaskResult:
    """The answer as it will be published: checked (ValidationError otherwise) and masked,
    keeping the organisation's own public contact details (queries.public_contact_details) and
    the experience author's pseudonym, public on the page ("Bonjour {pseudonyme}" in a
    template)."""
    body = body.strip()
    if not 1 <= len(body) <= BODY_MAX_LENGTH:
        raise ValidationError(_("Réponse vide ou trop longue."), code="length")
    keep = public_contact_details(
        organisation=organisation, contact_point_id=experience.contact_point_id
    )
    if experience.author is not None:
        keep.append(experience.author.username)
    return mask_personal_data(body, keep=keep)


def _already_published(answer: Answer) -> AnswerAlreadyPublished:
    return AnswerAlreadyPublished(
        _("Cette réponse est déjà publiée."), code="already_published", answer=answer
    )


def _official_exists(answer: Answer) -> AnswerAlreadyPublished:
    return AnswerAlreadyPublished(
        _(
            "Votre service a déjà publié sa réponse officielle : votre texte peut être publié "
            "en complément, ou la réponse officielle modifiée."
        ),
        code="official_exists",
        answer=answer,
    )


@transaction.atomic
def answer_experience(
    *,
    author: User,
    experience: Experience,
    body: str,
    follow_up: bool = False,
    form_key: str | None = None,
) -> Answer:
    """Publish an agent's answer, signed with the service they answer for.

    The first answer of an organisation is its official one (one per organisation and
    experience, a database constraint); `follow_up=True` publishes a "complément" linked to
    it. `form_key`, the one-time token of the form, makes a double click or a replay harmless.

    Raises PermissionDenied unless the agent belongs to the contact point's organisation (or
    one above it); ValidationError for an unpublished experience, an empty or too long text, a
    follow-up without an official answer; AnswerAlreadyPublished when this form's answer, or
    (without `follow_up`) the organisation's official answer, already exists. The author of
    the experience and its followers get one e-mail, after commit, for each answer created.
    """
    if experience.status != ExperienceStatus.PUBLISHED:
        raise ValidationError(_("Seules les expériences publiées peuvent recevoir une réponse."))
    organisation = answering_organisation(author, experience)
    if organisation is None:
        raise PermissionDenied(_("Vous ne pouvez répondre que pour vos propres services."))
    if form_key and (sent := Answer.objects.filter(form_key=form_key).first()) is not None:
        raise _already_published(sent)
    masked = preview_answer(organisation=organisation, experience=experience, body=body)
    official = official_answer(experience=experience, organisation=organisation)
    if follow_up and official is None:
        raise ValidationError(
            _("Publiez d'abord la réponse officielle de votre service."), code="no_official"
        )
    if not follow_up and official is not None:
        # This very form may have been published by a concurrent click while the text was
        # being masked: the form_key check above ran before it committed.
        if form_key and (sent := Answer.objects.filter(form_key=form_key).first()) is not None:
            raise _already_published(sent)
        raise _official_exists(official)
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves the transaction usable
            answer = Answer.objects.create(
                experience=experience,
                author=author,
                organisation=organisation,
                follow_up_of=official if follow_up else None,
                body=masked.text,
                masked_items=masked.count,
                form_key=form_key or None,
            )
    except IntegrityError as error:
        # Sent at the same moment as the same form, or as another official answer.
        if form_key and (sent := Answer.objects.filter(form_key=form_key).first()) is not None:
            raise _already_published(sent) from error
        official = official_answer(experience=experience, organisation=organisation)
        if official is None:
            raise
        raise _official_exists(official) from error
    AnswerRevision.objects.create(
        answer=answer, body=answer.body, masked_items=answer.masked_items, author=author
    )
    # Written published: its moderation item (published, not waiting) makes it counted, ready
    # to be reported into the queue and hidden into the trash.
    moderation.lock_item(answer)
    # The first answer, whichever organisation gives it: a conditional update, so two agents
    # answering at once count it once.
    first = Experience.objects.filter(pk=experience.pk, first_answered_at__isnull=True).update(
        is_answered=True, first_answered_at=answer.created_at
    )
    if first:
        experience.first_answered_at = answer.created_at
        record_first_answer(experience)
    if not experience.is_answered:  # answered now (or again, after a hidden answer)
        if not first:  # the update above already set the flag
            Experience.objects.filter(pk=experience.pk).update(is_answered=True)
        experience.is_answered = True
        handling.changed(experience.pk)
    notifications.notify_author_on_commit(experience, "answered")
    return answer


@transaction.atomic
def edit_answer(*, actor: User, answer: Answer, body: str) -> Answer:
    """Replace the text of a published answer; the new version is masked like a new answer and
    kept as an AnswerRevision (the history is append-only and public, see
    permissions.can_edit_answer for who may edit). Sending the same text again changes
    nothing (a double click makes no second version). Nobody is e-mailed: the page says
    "modifiée le …"."""
    answer.refresh_from_db(
        fields=["body", "masked_items", "hidden_at", "edited_at"],
        from_queryset=Answer.objects.select_for_update(),
    )
    experience = answer.experience
    if not can_edit_answer(actor, answer, experience):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette réponse."))
    masked = preview_answer(organisation=answer.organisation, experience=experience, body=body)
    if masked.text == answer.body:
        return answer
    answer.body = masked.text
    answer.masked_items = masked.count
    answer.edited_at = timezone.now()
    answer.save(update_fields=["body", "masked_items", "edited_at"])
    AnswerRevision.objects.create(
        answer=answer, body=answer.body, masked_items=answer.masked_items, author=actor
    )
    return answer


@transaction.atomic
def edit_experience(
    *,
    actor: User,
    experience: Experience,
    occurred_on: dt.date,
    channel: str,
    sentiment: str,
    ratings: Ratings,
    title: str,
    body: str,
) -> Experience:
    """The author rewrites their experience; it goes (back) to moderation.

    The new text is masked like a new one. A published experience leaves public view and its
    old ratings leave the roll-up, exactly as when a moderator hides it; publication adds the
    new ones. A hidden experience cannot be edited: editing must not undo a moderator's decision.
    """
    moderation.lock_item(experience)  # the moderation lock first, as every moderation action
    _lock(experience)  # a moderator acting at the same moment is serialised with us
    if not can_edit_experience(actor, experience):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette expérience."))
    content = prepare_content(
        occurred_on=occurred_on,
        channel=channel,
        sentiment=sentiment,
        ratings=ratings,
        title=title,
        body=body,
    )
    if experience.status == ExperienceStatus.PUBLISHED:
        _ratings_changed(experience, -1)  # the ratings as published, read under the lock
        record_publication(experience, -1)
    for name, value in content.model_fields().items():
        setattr(experience, name, value)
    experience.fingerprint = content.fingerprint(experience.author_id, experience.contact_point_id)
    experience.status = ExperienceStatus.PENDING
    experience.published_at = None
    experience.save(
        update_fields=[
            "occurred_on",
            "channel",
            "sentiment",
            *RATING_FIELDS,
            "title",
            "body",
            "masked_items",
            "fingerprint",
            "status",
            "published_at",
        ]
    )
    handling.changed(experience.pk)
    moderation.submit_for_moderation(
        target=experience, originals={"title": title.strip(), "body": body.strip()}
    )
    return experience


@transaction.atomic
def hand_over_experience(
    *, experience: Experience, organisation: Organisation, notify_author: bool
) -> Experience:
    """Make `organisation` the one that handles a published experience (routing and escalation,
    whose rules and journal live in ecoute/inbox, which calls this after checking them). Its
    agents may answer from now on (permissions.answering_organisation); with `notify_author`
    the author is told, after commit, which service now handles it."""
    _lock(experience)
    if experience.status != ExperienceStatus.PUBLISHED:
        raise ValidationError(_("Seules les expériences publiées peuvent être transmises."))
    experience.handling_organisation = organisation
    experience.save(update_fields=["handling_organisation"])
    handling.changed(experience.pk)
    if notify_author:
        notifications.notify_author_on_commit(experience, "routed")
    return experience


@transaction.atomic
def withdraw_experience(*, actor: User, experience: Experience) -> None:
    """The author takes their experience back: it is deleted, with the answers it received,
    and a published one's ratings leave the roll-up. Deleted rather than kept under a new
    status: the author asked for it to go, and we have no reason to keep their text (see
    docs/decisions/0006-withdraw-and-account-deletion.md). The moderation journal keeps its
    entries (they name the experience by id only)."""
    moderation.lock_item(experience)  # the moderation lock first, as every moderation action
    _lock(experience)
    if not can_withdraw_experience(actor, experience):
        raise PermissionDenied(_("Vous ne pouvez pas retirer cette expérience."))
    _remove(experience)


def _remove(experience: Experience) -> None:
    if experience.status == ExperienceStatus.PUBLISHED:
        _ratings_changed(experience, -1)
        record_publication(experience, -1)
    answer_ids = list(Answer.objects.filter(experience=experience).values_list("pk", flat=True))
    moderation.forget_targets(Answer, answer_ids)
    moderation.forget_target(experience)
    experience.delete()


def erase_author_contributions(*, user: User, keep_contributions: bool) -> None:
    """Account deletion, inside its transaction: remove the user's experiences (and their
    ratings from the roll-ups), or keep them with the author unlinked ("Auteur anonyme")."""
    experiences = Experience.objects.filter(author=user)
    if keep_contributions:
        experiences.update(author=None)
        return
    for experience in experiences.select_for_update().order_by("pk"):
        _remove(experience)


def hide_answer(*, actor: User, answer: Answer, reason: str) -> Answer:
    """A moderator hides an answer (e.g. after a report), through the moderation contract."""
    moderation.hide(actor=actor, target=answer, reason=reason)
    return answer


def _set_reaction(
    reaction: type[models.Model], target: models.Model, counter: str, *, user: User, active: bool
) -> int:
    """Add (active) or remove the user's reaction row on `target` and move `target`'s counter
    by what really changed, in the caller's transaction; returns the new count.

    Exact under concurrent clicks: the unique constraint refuses a second row (the insert runs
    in a savepoint, so the refusal leaves the transaction usable), a delete removes a row only
    once, and the counter moves with F() under the target row's lock.
    """
    target_field = reaction._meta.get_field(target._meta.model_name or "").name
    lookup = {"user": user, target_field: target}
    if active:
        try:
            with transaction.atomic():
                reaction._default_manager.create(**lookup)
            change = 1
        except IntegrityError:
            change = 0
    else:
        change = -reaction._default_manager.filter(**lookup).delete()[0]
    manager = type(target)._default_manager
    if change:
        manager.filter(pk=target.pk).update(**{counter: F(counter) + change})
    count: int = manager.values_list(counter, flat=True).get(pk=target.pk)
    setattr(target, counter, count)
    return count


@transaction.atomic
def set_metoo(*, user: User, experience: Experience, active: bool) -> int:
    """Say (active=True) or take back "moi aussi" on a published experience; idempotent.

    Returns the new number of "moi aussi". Raises PermissionDenied for the author, an
    unconfirmed account or an unpublished experience.
    """
    if not can_say_metoo(user, experience):
        raise PermissionDenied(_("Vous ne pouvez pas dire « moi aussi » sur ce récit."))
    return _set_reaction(MeToo, experience, "metoo_count", user=user, active=active)


@transaction.atomic
def set_answer_useful(*, user: User, answer: Answer, active: bool) -> int:
    """Mark (active=True) or unmark an answer as useful; idempotent; returns the new count."""
    if not can_mark_answer_useful(user, answer, answer.experience):
        raise PermissionDenied(_("Vous ne pouvez pas juger cette réponse."))
    return _set_reaction(AnswerUseful, answer, "useful_count", user=user, active=active)
