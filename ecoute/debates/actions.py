"""Every change to a debate: contributions, votes, arguments, sources, pins, official answers.

Each write asks its permission first (which asks `participation_refusal`), records the
participation, masks free texts before storage (originals kept for moderators only) and
moves the denormalised counters with F() expressions, under the contribution's row lock so
that concurrent voters never lose a count. Contributions, arguments and sources are published
at once and moderated afterwards (reports, the queue, the trash: README)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.consultations.actions import record_participation
from ecoute.moderation import actions as moderation
from ecoute.moderation import contributions as moderated
from ecoute.moderation.contributions import checked_text
from ecoute.moderation.masking import mask_personal_data

from . import permissions
from .models import (
    ARGUED_SIDES,
    VOTE_COUNTER,
    AnswerStatus,
    Argument,
    ArgumentVote,
    Contribution,
    Section,
    Source,
    Visibility,
    Vote,
    VoteValue,
)
from .tasks import send_answer_notification

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000
ARGUMENT_MAX_LENGTH = 2000
SOURCE_DESCRIPTION_MAX_LENGTH = 1000
MASK_MAX = 32767


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


def _masked(originals: dict[str, str]) -> tuple[dict[str, str], int]:
    results = {name: mask_personal_data(text) for name, text in originals.items()}
    count = sum(result.count for result in results.values())
    return {name: result.text for name, result in results.items()}, min(count, MASK_MAX)


def _lock(contribution: Contribution) -> None:
    """Serialise the writes that move this contribution's counters."""
    Contribution.objects.select_for_update().filter(pk=contribution.pk).values("pk").get()


def _refresh_counters(contribution: Contribution) -> None:
    contribution.refresh_from_db(
        fields=[
            "votes_for",
            "votes_against",
            "votes_mixed",
            "votes_total",
            "arguments_count",
            "sources_count",
        ]
    )


# --- Contributions ------------------------------------------------------------------------


@transaction.atomic
def propose_contribution(*, author: User, section: Section, title: str, body: str) -> Contribution:
    _refuse(permissions.contribution_refusal(author, section))
    originals = checked_contribution_texts(title, body)
    texts, masked = _masked(originals)
    contribution = Contribution.objects.create(
        section=section,
        author=author,
        title=texts["title"],
        body=texts["body"],
        masked_items=masked,
        by_organiser=permissions.can_manage_debates(author),
        visibility=Visibility.PUBLISHED,
        published_at=timezone.now(),
    )
    moderation.publish_at_once(target=contribution, originals=originals)
    record_participation(user=author, consultation=section.consultation)
    return contribution


def checked_contribution_texts(title: str, body: str) -> dict[str, str]:
    """A contribution's title and text, stripped, refused when empty or too long (the forms
    ask it too, so that the refusal shows under the form)."""
    return {
        "title": checked_text(title, maximum=TITLE_MAX_LENGTH, what=_("Titre")),
        "body": checked_text(body, maximum=BODY_MAX_LENGTH, what=_("Texte")),
    }


@transaction.atomic
def add_organiser_contribution(
    *, actor: User, section: Section, title: str, body: str, pinned: bool = False
) -> Contribution:
    """The organiser's own item in a section (« Contribution de l'organisateur »), written in
    the admin while the consultation is being built: no participation phase needed and no
    participation recorded (the organiser is not a participant). Masked and published at once
    through the moderation contract, as participants' contributions are."""
    if not permissions.can_manage_debates(actor):
        raise PermissionDenied(_("Réservé aux organisateurs."))
    originals = checked_contribution_texts(title, body)
    texts, masked = _masked(originals)
    contribution = Contribution.objects.create(
        section=section,
        author=actor,
        title=texts["title"],
        body=texts["body"],
        masked_items=masked,
        by_organiser=True,
        pinned=pinned,
        visibility=Visibility.PUBLISHED,
        published_at=timezone.now(),
    )
    moderation.publish_at_once(target=contribution, originals=originals)
    return contribution


@transaction.atomic
def edit_contribution(
    *, actor: User, contribution: Contribution, title: str, body: str
) -> Contribution:
    _refuse(permissions.edit_refusal(actor, contribution))
    originals = checked_contribution_texts(title, body)
    texts, masked = _masked(originals)
    moderation.lock_item(contribution)  # the moderation lock first, as every moderation action
    moderated.lock_row(contribution)
    contribution.title = texts["title"]
    contribution.body = texts["body"]
    contribution.masked_items = masked
    contribution.edited_at = timezone.now()
    contribution.save(update_fields=["title", "body", "masked_items", "edited_at"])
    moderation.publish_at_once(target=contribution, originals=originals)
    return contribution


@transaction.atomic
def pin_contribution(*, actor: User, contribution: Contribution, pinned: bool) -> None:
    """Organisers put a contribution at the top of its section (« Épinglé »)."""
    if not permissions.can_manage_debates(actor):
        raise PermissionDenied(_("Réservé aux organisateurs."))
    Contribution.objects.filter(pk=contribution.pk).update(pinned=pinned)
    contribution.pinned = pinned


@transaction.atomic
def answer_contribution(
    *, actor: User, contribution: Contribution, status: str, answer: str
) -> Contribution:
    """The organiser's official answer to a proposal: retenue / à l'étude / non retenue."""
    if not permissions.can_manage_debates(actor):
        raise PermissionDenied(_("Réservé aux organisateurs."))
    if status not in AnswerStatus.values or status == AnswerStatus.NONE:
        raise ValidationError(_("Choisissez la suite donnée."), code="status")
    text = checked_text(answer, maximum=BODY_MAX_LENGTH, what=_("Réponse"))
    # compared with what is stored: the admin hands over an instance its form already changed
    stored = (
        Contribution.objects.select_for_update()
        .filter(pk=contribution.pk)
        .values("answer", "answer_status")
        .first()
    )
    if stored == {"answer": text, "answer_status": status}:
        return contribution
    contribution.answer = text
    contribution.answer_status = status
    contribution.answered_at = timezone.now()
    contribution.save(update_fields=["answer", "answer_status", "answered_at"])
    # the author hears of it once the answer is stored (a new answer, or a changed one)
    contribution_id = contribution.pk
    transaction.on_commit(lambda: send_answer_notification.enqueue(contribution_id=contribution_id))
    return contribution


# --- Votes --------------------------------------------------------------------------------


@transaction.atomic
def cast_vote(*, actor: User, contribution: Contribution, value: str) -> Vote:
    """Vote pour / contre / mitigé, or change one's vote while the phase is open. The
    contribution's row lock makes the counters exact under concurrent voters."""
    if value not in VoteValue.values:
        raise ValidationError(_("Choisissez pour, contre ou mitigé."), code="value")
    _refuse(permissions.vote_refusal(actor, contribution))
    _lock(contribution)
    vote = Vote.objects.filter(contribution=contribution, user=actor).first()
    rows = Contribution.objects.filter(pk=contribution.pk)
    if vote is None:
        vote = Vote.objects.create(contribution=contribution, user=actor, value=value)
        counter = VOTE_COUNTER[VoteValue(value)]
        rows.update(**{counter: F(counter) + 1, "votes_total": F("votes_total") + 1})
    elif vote.value != value:
        old, new = VOTE_COUNTER[VoteValue(vote.value)], VOTE_COUNTER[VoteValue(value)]
        rows.update(**{old: F(old) - 1, new: F(new) + 1})
        vote.value = value
        vote.save(update_fields=["value", "updated_at"])
    record_participation(user=actor, consultation=contribution.section.consultation)
    _refresh_counters(contribution)
    return vote


@transaction.atomic
def withdraw_vote(*, actor: User, contribution: Contribution) -> None:
    _refuse(permissions.vote_refusal(actor, contribution))
    _lock(contribution)
    vote = Vote.objects.filter(contribution=contribution, user=actor).first()
    if vote is None:
        return
    counter = VOTE_COUNTER[VoteValue(vote.value)]
    vote.delete()
    Contribution.objects.filter(pk=contribution.pk).update(
        **{counter: F(counter) - 1, "votes_total": F("votes_total") - 1}
    )
    _refresh_counters(contribution)


# --- Arguments ----------------------------------------------------------------------------


@transaction.atomic
def add_argument(*, author: User, contribution: Contribution, side: str, body: str) -> Argument:
    if side not in ARGUED_SIDES:
        raise ValidationError(_("Choisissez pour ou contre."), code="side")
    _refuse(permissions.argument_refusal(author, contribution))
    originals = {"body": checked_text(body, maximum=ARGUMENT_MAX_LENGTH, what=_("Argument"))}
    texts, masked = _masked(originals)
    _lock(contribution)
    argument = Argument.objects.create(
        contribution=contribution,
        author=author,
        side=side,
        body=texts["body"],
        masked_items=masked,
        visibility=Visibility.PUBLISHED,
        published_at=timezone.now(),
    )
    Contribution.objects.filter(pk=contribution.pk).update(arguments_count=F("arguments_count") + 1)
    moderation.publish_at_once(target=argument, originals=originals)
    record_participation(user=author, consultation=contribution.section.consultation)
    return argument


@transaction.atomic
def support_argument(*, actor: User, argument: Argument) -> bool:
    """« D'accord » with an argument, once per account; a second click withdraws it. Returns
    whether the account now supports it."""
    _refuse(permissions.support_refusal(actor, argument))
    Argument.objects.select_for_update().filter(pk=argument.pk).values("pk").get()
    rows = Argument.objects.filter(pk=argument.pk)
    existing = ArgumentVote.objects.filter(argument=argument, user=actor).first()
    if existing is None:
        ArgumentVote.objects.create(argument=argument, user=actor)
        rows.update(votes_count=F("votes_count") + 1)
        record_participation(user=actor, consultation=argument.contribution.section.consultation)
    else:
        existing.delete()
        rows.update(votes_count=F("votes_count") - 1)
    argument.refresh_from_db(fields=["votes_count"])
    return existing is None


# --- Sources ------------------------------------------------------------------------------


def checked_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise ValidationError(
            _("Indiquez une adresse web complète commençant par http:// ou https://."),
            code="url",
        )
    return url


@transaction.atomic
def add_source(
    *, author: User, contribution: Contribution, url: str, title: str, description: str = ""
) -> Source:
    _refuse(permissions.source_refusal(author, contribution))
    clean_url = checked_url(url)
    originals = {
        "title": checked_text(title, maximum=TITLE_MAX_LENGTH, what=_("Titre")),
        "description": checked_text(
            description,
            maximum=SOURCE_DESCRIPTION_MAX_LENGTH,
            what=_("Description"),
            required=False,
        ),
    }
    texts, masked = _masked(originals)
    _lock(contribution)
    source = Source.objects.create(
        contribution=contribution,
        author=author,
        url=clean_url,
        title=texts["title"],
        description=texts["description"],
        masked_items=masked,
        visibility=Visibility.PUBLISHED,
        published_at=timezone.now(),
    )
    Contribution.objects.filter(pk=contribution.pk).update(sources_count=F("sources_count") + 1)
    moderation.publish_at_once(target=source, originals=originals)
    record_participation(user=author, consultation=contribution.section.consultation)
    return source


# --- Moderation's callbacks (under the moderation item's lock; registered in moderated.py) --


def _counted_on_contribution(row: Argument | Source) -> str:
    return "arguments_count" if isinstance(row, Argument) else "sources_count"


def on_publish_child(row: Argument | Source, actor: User) -> None:
    """A hidden argument or source restored: it counts again on its contribution."""
    was_hidden = row.visibility == Visibility.HIDDEN
    moderated.on_publish(row, actor)
    if was_hidden:
        counter = _counted_on_contribution(row)
        Contribution.objects.filter(pk=row.contribution_id).update(**{counter: F(counter) + 1})


def on_hide_child(row: Argument | Source, actor: User, reason: str) -> None:
    was_published = row.visibility == Visibility.PUBLISHED
    moderated.on_hide(row, actor, reason)
    if was_published:
        counter = _counted_on_contribution(row)
        Contribution.objects.filter(pk=row.contribution_id).update(**{counter: F(counter) - 1})


# --- Account deletion ---------------------------------------------------------------------


def erase_debate_contributions(*, user: User, keep_contributions: bool) -> None:
    """Account deletion (in its transaction): the account's votes and supports are withdrawn,
    counters moved (the rows would go with the account); its contributions, arguments and
    sources are deleted, or kept with the author unlinked ("Compte supprimé")."""
    for vote in Vote.objects.filter(user=user).order_by("contribution_id"):
        _lock(vote.contribution)
        counter = VOTE_COUNTER[VoteValue(vote.value)]
        Contribution.objects.filter(pk=vote.contribution_id).update(
            **{counter: F(counter) - 1, "votes_total": F("votes_total") - 1}
        )
        vote.delete()
    for support in ArgumentVote.objects.filter(user=user).order_by("argument_id"):
        Argument.objects.select_for_update().filter(pk=support.argument_id).values("pk").get()
        Argument.objects.filter(pk=support.argument_id).update(votes_count=F("votes_count") - 1)
        support.delete()
    if keep_contributions:
        for model in (Contribution, Argument, Source):
            model.objects.filter(author=user).update(author=None)
        return
    children: list[Argument | Source] = [
        *Argument.objects.filter(author=user).exclude(contribution__author=user).order_by("pk"),
        *Source.objects.filter(author=user).exclude(contribution__author=user).order_by("pk"),
    ]
    for row in children:
        if row.visibility == Visibility.PUBLISHED:
            _lock(row.contribution)
            counter = _counted_on_contribution(row)
            Contribution.objects.filter(pk=row.contribution_id).update(**{counter: F(counter) - 1})
    argument_ids = [row.pk for row in children if isinstance(row, Argument)]
    source_ids = [row.pk for row in children if isinstance(row, Source)]
    moderation.forget_targets(Argument, argument_ids)
    moderation.forget_targets(Source, source_ids)
    Argument.objects.filter(pk__in=argument_ids).delete()
    Source.objects.filter(pk__in=source_ids).delete()
    contributions = Contribution.objects.filter(author=user)
    for child in (Argument, Source):
        ids = list(
            child.objects.filter(contribution__in=contributions).values_list("pk", flat=True)
        )
        moderation.forget_targets(child, ids)
    moderation.forget_targets(Contribution, list(contributions.values_list("pk", flat=True)))
    contributions.delete()
