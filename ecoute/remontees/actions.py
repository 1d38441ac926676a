"""Every state change of a remontée: raise, support, follow up (status), public summary;
moderation's callbacks (registered in `moderated.py`); account deletion.

Texts are masked (`moderation.masking`) before they are stored, the unmasked originals kept for
moderators only (`moderation.submit_for_moderation`). The author is e-mailed after commit when
the status changes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation
from ecoute.demarches.models import Demarche
from ecoute.moderation import actions as moderation
from ecoute.moderation.contributions import checked_text, lock_row
from ecoute.moderation.masking import mask_personal_data

from .models import (
    Kind,
    PublicSummary,
    Remontee,
    Scope,
    Status,
    StatusChange,
    Support,
    Theme,
    Visibility,
)
from .permissions import (
    can_raise_remontee,
    can_set_status,
    can_support,
    can_write_summary,
    raising_organisations,
)
from .tasks import send_status_changed

TITLE_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 5000
DEMARCHE_MAX_LENGTH = 200
COMMENT_MAX_LENGTH = 1000
SUMMARY_MAX_LENGTH = 2000


@transaction.atomic
def raise_remontee(
    *,
    author: User,
    organisation: Organisation,
    kind: str,
    scope: str,
    theme: str,
    title: str,
    description: str,
    demarche_name: str = "",
    demarche: Demarche | None = None,
    source_key: str | None = None,
) -> Remontee:
    """Store a difficulty raised from `organisation` (one of the author's), masked, waiting
    for moderation. A difficulty on an online démarche names it, or points to the
    observatory's `demarche` (whose name it then takes when none is given). `source_key` lets
    loaders mark generated demo content and stay idempotent."""
    if not can_raise_remontee(author):
        raise PermissionDenied(_("Réservé aux agents des services, adresse confirmée."))
    if organisation.pk not in {org.pk for org in raising_organisations(author)}:
        raise PermissionDenied(_("Vous ne pouvez faire une remontée que depuis vos organisations."))
    if kind not in Kind.values or scope not in Scope.values or theme not in Theme.values:
        raise ValidationError(_("Objet, périmètre ou thème inconnu."), code="choice")
    title = checked_text(title, maximum=TITLE_MAX_LENGTH, what=_("Titre"))
    description = checked_text(description, maximum=TEXT_MAX_LENGTH, what=_("Description"))
    if scope != Scope.DEMARCHE:
        demarche = None
    elif demarche is not None and not demarche_name.strip():
        demarche_name = demarche.name
    demarche_name = checked_text(
        demarche_name if scope == Scope.DEMARCHE else "",
        maximum=DEMARCHE_MAX_LENGTH,
        what=_("Démarche en ligne"),
        required=scope == Scope.DEMARCHE,
    )
    originals = {"title": title, "description": description, "demarche_name": demarche_name}
    masked = {name: mask_personal_data(text) for name, text in originals.items()}
    remontee = Remontee.objects.create(
        author=author,
        organisation=organisation,
        network_id=organisation.network_id,
        kind=kind,
        scope=scope,
        theme=theme,
        title=masked["title"].text,
        description=masked["description"].text,
        demarche_name=masked["demarche_name"].text,
        demarche=demarche,
        masked_items=min(sum(result.count for result in masked.values()), 32767),
        source_key=source_key,
    )
    moderation.submit_for_moderation(target=remontee, originals=originals)
    return remontee


# --- Agents and managers ------------------------------------------------------------------


@transaction.atomic
def set_support(*, user: User, remontee: Remontee, active: bool) -> int:
    """Say (active=True) or take back "moi aussi"; idempotent; returns the new count.

    Exact under concurrent clicks: the unique constraint refuses a second row (inserted in a
    savepoint, so the refusal leaves the transaction usable), a delete removes a row once,
    and the counter moves with F() by what really changed."""
    if not can_support(user, remontee):
        raise PermissionDenied(_("Vous ne pouvez pas soutenir cette remontée."))
    change = 0
    if active:
        try:
            with transaction.atomic():
                Support.objects.create(user=user, remontee=remontee)
            change = 1
        except IntegrityError:
            change = 0
    else:
        change = -Support.objects.filter(user=user, remontee=remontee).delete()[0]
    rows = Remontee.objects.filter(pk=remontee.pk)
    if change:
        rows.update(support_count=F("support_count") + change)
    remontee.support_count = rows.values_list("support_count", flat=True).get()
    return remontee.support_count


@transaction.atomic
def set_remontee_status(
    *, actor: User, remontee: Remontee, status: str, comment: str = ""
) -> StatusChange:
    """A manager moves the follow-up (reçue, à l'étude, prise en compte, close); journalled with
    an optional comment (masked); the author is e-mailed after commit."""
    if status not in Status.values:
        raise ValidationError(_("Statut inconnu."), code="status")
    comment = checked_text(
        comment, maximum=COMMENT_MAX_LENGTH, what=_("Commentaire"), required=False
    )
    lock_row(remontee)
    if not can_set_status(actor, remontee):
        raise PermissionDenied(_("Vous ne pouvez pas changer le statut de cette remontée."))
    if remontee.status == status:
        raise ValidationError(_("La remontée a déjà ce statut."), code="same_status")
    change = StatusChange.objects.create(
        remontee=remontee,
        actor=actor,
        from_status=remontee.status,
        to_status=status,
        comment=mask_personal_data(comment).text,
    )
    remontee.status = status
    remontee.status_changed_at = change.created_at
    remontee.save(update_fields=["status", "status_changed_at"])
    if remontee.author_id is not None:
        transaction.on_commit(lambda: send_status_changed.enqueue(change_id=change.pk))
    return change


@transaction.atomic
def write_public_summary(
    *, actor: User, remontee: Remontee, title: str, body: str
) -> PublicSummary:
    """A manager writes (or rewrites) what the organisation says in public about a remontée:
    masked, then waiting for moderation again; the author is never named."""
    lock_row(remontee)
    if not can_write_summary(actor, remontee):
        raise PermissionDenied(_("Vous ne pouvez pas publier de synthèse pour cette remontée."))
    originals = {
        "title": checked_text(title, maximum=TITLE_MAX_LENGTH, what=_("Titre")),
        "body": checked_text(body, maximum=SUMMARY_MAX_LENGTH, what=_("Synthèse")),
    }
    masked = {name: mask_personal_data(text) for name, text in originals.items()}
    summary = PublicSummary.objects.filter(remontee=remontee).first()
    if summary is not None:
        moderation.lock_item(summary)  # the moderation lock first, as every moderation action
        lock_row(summary)
    else:
        summary = PublicSummary(remontee=remontee)
    summary.written_by = actor
    summary.network_id = remontee.network_id
    summary.theme = remontee.theme
    summary.title = masked["title"].text
    summary.body = masked["body"].text
    summary.masked_items = min(sum(result.count for result in masked.values()), 32767)
    summary.visibility = Visibility.PENDING
    summary.published_at = None
    summary.hidden_reason = ""
    summary.save()
    moderation.submit_for_moderation(target=summary, originals=originals)
    return summary


def erase_author_remontees(*, user: User, keep_contributions: bool) -> None:
    """Account deletion, inside its transaction: delete the user's remontées (with their
    supports, journal and summary), or keep them with the author unlinked. Their supports of
    others' remontées stay, unlinked, so the counts stay true."""
    remontees = Remontee.objects.filter(author=user)
    if keep_contributions:
        remontees.update(author=None)
        return
    ids = list(remontees.select_for_update().order_by("pk").values_list("pk", flat=True))
    summary_ids = list(
        PublicSummary.objects.filter(remontee_id__in=ids).values_list("pk", flat=True)
    )
    moderation.forget_targets(PublicSummary, summary_ids)
    moderation.forget_targets(Remontee, ids)
    Remontee.objects.filter(pk__in=ids).delete()
