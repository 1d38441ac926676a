"""Moderation state changes, for every app's contributions (the contract of `registry`).

The owning app calls `submit_for_moderation` in its submit action; moderators' decisions
(`publish`, `hide`, `restore`, their bulk forms, `edit_masks`) lock the `ModerationItem`, run the
app's registered callbacks (its public state, roll-ups, e-mails to the author), journal the act,
close the open reports and tell their reporters the outcome, all in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .masking import mask_personal_data
from .models import (
    MaskedText,
    ModerationAction,
    ModerationItem,
    ModerationLogEntry,
    ModerationOrigin,
    ModerationState,
    Report,
    ReportReason,
    ReportStatus,
    priority_of,
)
from .permissions import can_moderate, can_report
from .registry import Facts, Moderated, moderated_by_key, moderated_for
from .reporting import reportable_for
from .tasks import send_report_outcome

if TYPE_CHECKING:
    # django-stubs resolves `_User` to settings.AUTH_USER_MODEL: typed without importing accounts.
    from django.contrib.auth.models import _User


def record_moderation_act(
    *, actor: _User, action: ModerationAction, target: models.Model, reason: str = ""
) -> ModerationLogEntry:
    """Append an entry to the audit log (who, when, what, why), in the caller's transaction."""
    return ModerationLogEntry.objects.create(
        actor=actor,
        action=action,
        reason=reason.strip(),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    )


class AlreadyReported(ValidationError):
    """This account already has an open report on this content."""


REPORT_COMMENT_MAX_LENGTH = 1000


@transaction.atomic
def report_content(
    *, reporter: _User, target: models.Model, reason: str, comment: str = ""
) -> Report:
    """File a report. The content stays visible until a moderator decides (no automatic
    hiding, see the app README). The comment is masked like every stored text."""
    reportable = reportable_for(type(target))
    # Reports are decided in the moderation queue: only moderated content can be reported.
    if reportable is None or moderated_for(type(target)) is None:
        raise ValidationError(_("Ce contenu ne peut pas être signalé."), code="not_reportable")
    if not can_report(reporter) or not reportable.is_visible(reporter, target):
        raise PermissionDenied(_("Vous ne pouvez pas signaler ce contenu."))
    if reason not in ReportReason.values:
        raise ValidationError(_("Choisissez un motif dans la liste."), code="reason")
    comment = comment.strip()
    if len(comment) > REPORT_COMMENT_MAX_LENGTH:
        raise ValidationError(_("Précisions trop longues."), code="length")
    content_type = ContentType.objects.get_for_model(target)
    already = AlreadyReported(
        _("Vous avez déjà signalé ce contenu : la modération va l'examiner."),
        code="already_reported",
    )
    open_reports = Report.objects.filter(
        reporter=reporter, content_type=content_type, object_id=target.pk, status=ReportStatus.OPEN
    )
    if open_reports.exists():
        raise already
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                reason=reason,
                comment=mask_personal_data(comment).text,
                content_type=content_type,
                object_id=target.pk,
            )
    except IntegrityError as error:  # two simultaneous submissions: the constraint decides
        raise already from error
    refresh_open_reports(target)  # an open report raises the item in the queue
    return report


# --- The moderation contract: items, decisions, bulk decisions ----------------------------


def _moderated(target: models.Model) -> Moderated:
    moderated = moderated_for(type(target))
    if moderated is None:
        raise ValidationError(_("Ce contenu n'est pas modéré."), code="not_moderated")
    return moderated


def _columns(facts: Facts, *, open_reports: int = 0) -> dict[str, Any]:
    """The item's copies of the app's facts, and what follows from them."""
    origin = ModerationOrigin.IMPORTED if facts.imported else ModerationOrigin.NEW
    return {
        "state": facts.state,
        "title": facts.title[:200],
        "network_id": facts.network_id,
        "departement": facts.departement or "",
        "origin": origin,
        "created_at": facts.created_at,
        "published_at": facts.published_at,
        "reason": facts.reason if facts.state == ModerationState.HIDDEN else "",
        "open_reports": open_reports,
        "priority": priority_of(origin=origin, open_reports=open_reports),
        "awaiting": facts.state == ModerationState.PENDING or open_reports > 0,
    }


def new_item(target: models.Model) -> ModerationItem:
    """An unsaved item for `target`, from the facts its app registered (bulk loaders)."""
    moderated = _moderated(target)
    facts = moderated.facts(target)
    return ModerationItem(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        kind=moderated.key,
        # Hidden before it had an item: the decision's date is unknown, its creation bounds it.
        decided_at=facts.created_at if facts.state == ModerationState.HIDDEN else None,
        **_columns(facts),
    )


def lock_item(target: models.Model) -> ModerationItem:
    """The target's item, locked (select_for_update) until the end of the caller's transaction;
    made from the app's facts when missing (rows stored before the contract, or by a loader).
    Lock order everywhere: the item first, then the app's row (in its callback)."""
    content_type = ContentType.objects.get_for_model(target)
    items = ModerationItem.objects.select_for_update()
    item = items.filter(content_type=content_type, object_id=target.pk).first()
    if item is not None:
        return item
    try:
        with transaction.atomic():
            new_item(target).save()
    except IntegrityError:  # made at the same moment by someone else: theirs is as good
        pass
    return items.get(content_type=content_type, object_id=target.pk)


def _keep_originals(target: models.Model, originals: dict[str, str]) -> None:
    """Keep the unmasked text of each field where masking found something (moderators only)."""
    content_type = ContentType.objects.get_for_model(target)
    for name, text in originals.items():
        spans = mask_personal_data(text).spans
        rows = MaskedText.objects.filter(content_type=content_type, object_id=target.pk, field=name)
        if not spans:
            rows.delete()
            continue
        MaskedText.objects.update_or_create(
            content_type=content_type,
            object_id=target.pk,
            field=name,
            defaults={
                "original": text,
                "spans": [
                    {"start": s.start, "end": s.end, "kind": s.kind, "masked": True} for s in spans
                ],
            },
        )


def publish_at_once(
    *, target: models.Model, originals: dict[str, str] | None = None
) -> ModerationItem:
    """Content moderated after publication (debates' contributions, arguments, sources): its
    item, made or refreshed from its facts (published), and the unmasked originals kept for
    moderators as `submit_for_moderation` does. Called in the owning app's transaction."""
    return _refresh_item(target, originals, awaiting=False)


def submit_for_moderation(
    *, target: models.Model, originals: dict[str, str] | None = None
) -> ModerationItem:
    """The content (new, or edited by its author) waits for a moderator. Called by the owning
    app's action, in its transaction, once the content is stored (its facts read as pending).

    `originals` ({field: unmasked text}) is kept privately so that a moderator can unmask a
    false positive (decision 0012); never shown on a public page."""
    return _refresh_item(target, originals, awaiting=True)


def _refresh_item(
    target: models.Model, originals: dict[str, str] | None, *, awaiting: bool
) -> ModerationItem:
    """Lock the target's item and copy its facts onto it; `awaiting`: it now waits for a
    moderator (pending, no reason). Keeps the unmasked originals when given."""
    item = lock_item(target)
    facts = _moderated(target).facts(target)
    for name, value in _columns(facts, open_reports=item.open_reports).items():
        setattr(item, name, value)
    if awaiting:
        item.state = ModerationState.PENDING
        item.reason = ""
        item.awaiting = True
    item.save()
    if originals is not None:
        _keep_originals(target, originals)
    return item


def _decided(item: ModerationItem, actor: _User) -> None:
    item.decided_at = timezone.now()
    item.decided_by = actor


def _close_reports_on(
    item: ModerationItem, *, actor: _User, status: ReportStatus, note: str
) -> list[int]:
    """Close every open report on the item's target; their reporters are told after commit."""
    reports = Report.objects.filter(
        content_type_id=item.content_type_id, object_id=item.object_id, status=ReportStatus.OPEN
    )
    ids = list(reports.values_list("pk", flat=True))
    if ids:
        Report.objects.filter(pk__in=ids).update(
            status=status, handled_by=actor, handled_at=timezone.now(), decision_note=note
        )
        transaction.on_commit(lambda: send_report_outcome.enqueue(report_ids=ids))
    item.open_reports = 0
    item.priority = priority_of(origin=item.origin, open_reports=0)
    item.awaiting = item.state == ModerationState.PENDING
    return ids


def _require_moderator(actor: _User) -> None:
    if not can_moderate(actor):
        raise PermissionDenied(_("Réservé aux modérateurs."))


@transaction.atomic
def publish(*, actor: _User, target: models.Model, reason: str = "") -> ModerationItem:
    """Publish the content (or restore it, once hidden); on published content that has open
    reports, keep it. Open reports are dismissed (journalled as such, reporters told). Refused
    when there is nothing to decide."""
    _require_moderator(actor)
    moderated = _moderated(target)
    item = lock_item(target)
    reason = reason.strip()
    if item.state == ModerationState.PUBLISHED:
        if not item.open_reports:
            raise ValidationError(_("Ce contenu est déjà publié."), code="already_published")
    else:
        action = (
            ModerationAction.RESTORE
            if item.state == ModerationState.HIDDEN
            else ModerationAction.PUBLISH
        )
        moderated.on_publish(target, actor)
        item.state = ModerationState.PUBLISHED
        item.published_at = timezone.now()
        item.reason = ""
        record_moderation_act(actor=actor, action=action, target=target, reason=reason)
    _decided(item, actor)
    # Published content with open reports (or reported, then edited by its author) is kept.
    if _close_reports_on(item, actor=actor, status=ReportStatus.DISMISSED, note=reason):
        record_moderation_act(
            actor=actor,
            action=ModerationAction.DISMISS_REPORT,
            target=target,
            reason=reason or _("Contenu conservé"),
        )
    item.save()
    return item


@transaction.atomic
def restore(*, actor: _User, target: models.Model, reason: str = "") -> ModerationItem:
    """Put hidden content back in public view (journalled as a restoration)."""
    _require_moderator(actor)
    item = lock_item(target)
    if item.state != ModerationState.HIDDEN:
        raise ValidationError(_("Seul un contenu masqué peut être restauré."), code="not_hidden")
    return publish(actor=actor, target=target, reason=reason)


@transaction.atomic
def hide(*, actor: _User, target: models.Model, reason: str) -> ModerationItem:
    """Take the content out of public view, with a reason (shown in the public trash); open
    reports on it are upheld (journalled as such, reporters told). Refused when it is already
    hidden and nothing is reported."""
    _require_moderator(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du masquage."), code="reason_required")
    moderated = _moderated(target)
    item = lock_item(target)
    if item.state == ModerationState.HIDDEN and not item.open_reports:
        raise ValidationError(_("Ce contenu est déjà masqué."), code="already_hidden")
    if item.state != ModerationState.HIDDEN:
        moderated.on_hide(target, actor, reason)
        item.state = ModerationState.HIDDEN
        item.reason = reason
        _decided(item, actor)
        record_moderation_act(
            actor=actor, action=ModerationAction.HIDE, target=target, reason=reason
        )
    if _close_reports_on(item, actor=actor, status=ReportStatus.UPHELD, note=reason):
        record_moderation_act(
            actor=actor, action=ModerationAction.UPHOLD_REPORT, target=target, reason=reason
        )
    item.save()
    return item


@dataclass
class BulkResult:
    done: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (title, message)


def _bulk(actor: _User, item_ids: list[int], decide: Any) -> BulkResult:
    """Decide each item in its own transaction (one refusal does not undo the others)."""
    _require_moderator(actor)
    result = BulkResult()
    for item in ModerationItem.objects.filter(pk__in=item_ids).order_by("pk"):
        moderated = moderated_by_key(item.kind)
        target = moderated.queryset().filter(pk=item.object_id).first() if moderated else None
        if target is None:
            result.errors.append((item.title, _("Ce contenu n'existe plus.")))
            continue
        try:
            decide(target)
        except ValidationError as error:
            result.errors.append((item.title, " ".join(error.messages)))
        else:
            result.done += 1
    return result


def bulk_publish(*, actor: _User, item_ids: list[int], reason: str = "") -> BulkResult:
    return _bulk(actor, item_ids, lambda target: publish(actor=actor, target=target, reason=reason))


def bulk_hide(*, actor: _User, item_ids: list[int], reason: str) -> BulkResult:
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du masquage."), code="reason_required")
    return _bulk(actor, item_ids, lambda target: hide(actor=actor, target=target, reason=reason))


def forget_target(target: models.Model) -> None:
    """The content is deleted (withdrawn by its author…): its item and private originals go
    with it, in the caller's transaction. The journal and the reports keep their entries."""
    forget_targets(type(target), [target.pk])


def forget_targets(model: type[models.Model], ids: list[int]) -> None:
    content_type = ContentType.objects.get_for_model(model)
    ModerationItem.objects.filter(content_type=content_type, object_id__in=ids).delete()
    MaskedText.objects.filter(content_type=content_type, object_id__in=ids).delete()


def add_items(targets: Sequence[models.Model], *, batch_size: int = 1000) -> int:
    """Make the items of rows just written in bulk (their pks set); returns how many."""
    items = [new_item(target) for target in targets]
    return len(
        ModerationItem.objects.bulk_create(items, batch_size=batch_size, ignore_conflicts=True)
    )


def sync_items(model: type[models.Model], *, batch_size: int = 1000) -> int:
    """Make the missing items of `model`'s rows (after a bulk load); returns how many."""
    moderated = moderated_for(model)
    if moderated is None:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    known = ModerationItem.objects.filter(content_type=content_type).values("object_id")
    made = 0
    batch: list[ModerationItem] = []
    for target in moderated.queryset().exclude(pk__in=known).order_by("pk").iterator(batch_size):
        batch.append(new_item(target))
        if len(batch) >= batch_size:
            made += len(ModerationItem.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        made += len(ModerationItem.objects.bulk_create(batch, ignore_conflicts=True))
    return made


def refresh_open_reports(target: models.Model) -> ModerationItem:
    """Recount the target's open reports on its item (locked), and move it in the queue."""
    item = lock_item(target)
    item.open_reports = Report.objects.filter(
        content_type_id=item.content_type_id, object_id=item.object_id, status=ReportStatus.OPEN
    ).count()
    item.priority = priority_of(origin=item.origin, open_reports=item.open_reports)
    item.awaiting = item.state == ModerationState.PENDING or item.open_reports > 0
    item.save(update_fields=["open_reports", "priority", "awaiting"])
    return item
