"""Moderation state changes. Callers own the moderated object; this app records the acts and
handles reports (hiding goes through the owning app's action, found in `reporting`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .masking import mask_personal_data
from .models import ModerationAction, ModerationLogEntry, Report, ReportReason, ReportStatus
from .permissions import can_moderate, can_report
from .reporting import reportable_for

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
    if reportable is None:
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
            return Report.objects.create(
                reporter=reporter,
                reason=reason,
                comment=mask_personal_data(comment).text,
                content_type=content_type,
                object_id=target.pk,
            )
    except IntegrityError as error:  # two simultaneous submissions: the constraint decides
        raise already from error


def _close_open_reports(*, actor: _User, report: Report, status: ReportStatus, note: str) -> int:
    return Report.objects.filter(
        content_type_id=report.content_type_id, object_id=report.object_id, status=ReportStatus.OPEN
    ).update(status=status, handled_by=actor, handled_at=timezone.now(), decision_note=note)


def _lock_open(report: Report) -> None:
    report.refresh_from_db(from_queryset=Report.objects.select_for_update())
    if report.status != ReportStatus.OPEN:
        raise ValidationError(_("Ce signalement a déjà été traité."), code="already_handled")


@transaction.atomic
def dismiss_report(*, actor: _User, report: Report, note: str = "") -> int:
    """The content is fine: close every open report on it. Returns how many were closed."""
    if not can_moderate(actor):
        raise PermissionDenied(_("Réservé aux modérateurs."))
    _lock_open(report)
    closed = _close_open_reports(
        actor=actor, report=report, status=ReportStatus.DISMISSED, note=note.strip()
    )
    target = report.target
    if target is not None:
        record_moderation_act(
            actor=actor,
            action=ModerationAction.DISMISS_REPORT,
            target=target,
            reason=note or report.get_reason_display(),
        )
    return closed


@transaction.atomic
def uphold_report(*, actor: _User, report: Report, reason: str) -> int:
    """The report is right: hide the content through its app's own action (which logs the
    hiding), close every open report on it, and log the decision. Returns how many closed."""
    if not can_moderate(actor):
        raise PermissionDenied(_("Réservé aux modérateurs."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du masquage."), code="reason_required")
    _lock_open(report)
    target = report.target
    reportable = reportable_for(type(target)) if target is not None else None
    if target is not None and reportable is not None and not reportable.is_hidden(target):
        reportable.hide(actor=actor, target=target, reason=reason)
    closed = _close_open_reports(
        actor=actor, report=report, status=ReportStatus.UPHELD, note=reason
    )
    if target is not None:
        record_moderation_act(
            actor=actor, action=ModerationAction.UPHOLD_REPORT, target=target, reason=reason
        )
    return closed
