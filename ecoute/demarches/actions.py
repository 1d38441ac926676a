"""Every state change of the observatory: démarches and their measurements (administrators),
feedback ("Je donne mon avis", anyone), proposals (signed-in citizens, then administrators),
and moderation's callbacks for feedback comments and proposals (registered in `moderated.py`).

Free texts are masked (`moderation.masking`) before they are stored; the unmasked originals are
kept for moderators only (`moderation.submit_for_moderation`)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.moderation import actions as moderation
from ecoute.moderation.contributions import checked_text, lock_row
from ecoute.moderation.masking import mask_personal_data

from .models import (
    SATISFACTION_POINTS,
    Demarche,
    Feedback,
    FeedbackComment,
    FeedbackDay,
    Help,
    Indicator,
    Measurement,
    MomentDeVie,
    Proposal,
    ProposalStatus,
    Satisfaction,
)
from .permissions import (
    can_decide_proposal,
    can_propose,
    can_record_measurement,
    is_administrator,
)

COMMENT_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 200
REASON_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 1000
SOURCE_MAX_LENGTH = 300


def _url(value: str) -> str:
    value = value.strip()
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            _("Saisissez une adresse web complète, commençant par https://"), code="url"
        ) from None
    return value


# --- Démarches and measurements (administrators) -----------------------------------------


# Paths under /demarches/ that are pages, not démarches.
RESERVED_SLUGS = {"proposer", "propositions", "observatoire-csv"}


def save_demarche(*, actor: User, demarche: Demarche) -> Demarche:
    """Create or change a démarche (the admin's form calls this); the slug comes from the name
    when empty."""
    if not is_administrator(actor):
        raise PermissionDenied(_("Réservé aux administrateurs."))
    if not demarche.slug:
        demarche.slug = _free_slug(demarche.name)
    if demarche.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Cet identifiant est réservé, choisissez-en un autre.")})
    demarche.full_clean(exclude=["moments"])
    demarche.save()
    return demarche


def _free_slug(name: str) -> str:
    base = slugify(name)[:70] or "demarche"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Demarche.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def parse_measurement_value(indicator: str, raw: str | Decimal | float | int) -> Decimal:
    """The value of a measurement, checked: a percentage within 0–100, or a whole count of
    informations asked again. French decimal commas are accepted."""
    if indicator not in Indicator.values:
        raise ValidationError(
            _("Indicateur inconnu : %(value)s (attendu : %(choices)s).")
            % {"value": indicator, "choices": ", ".join(Indicator.values)},
            code="indicator",
        )
    try:
        value = Decimal(str(raw).strip().replace(",", ".").rstrip("%").strip())
    except InvalidOperation:
        raise ValidationError(
            _("Valeur illisible : %(value)s.") % {"value": raw}, code="value"
        ) from None
    if not value.is_finite() or value < 0:
        raise ValidationError(_("La valeur doit être un nombre positif."), code="value")
    if indicator == Indicator.DLNUF:
        if value != value.to_integral_value():
            raise ValidationError(
                _("« Dites-le-nous une fois » se compte en nombre entier d'informations."),
                code="value",
            )
    elif value > 100:
        raise ValidationError(_("Un pourcentage ne dépasse pas 100."), code="value")
    return value.quantize(Decimal("0.001"))


@transaction.atomic
def record_measurement(
    *,
    actor: User | None,
    demarche: Demarche,
    indicator: str,
    value: str | Decimal | float | int,
    measured_on: dt.date,
    source: str,
    generated: bool = False,
) -> Measurement:
    """Record one observatory figure (append-only: a later figure supersedes it on the pages).
    `actor` None: a command or loader run by the operator."""
    if actor is not None and not can_record_measurement(actor):
        raise PermissionDenied(_("Réservé aux administrateurs."))
    checked = parse_measurement_value(indicator, value)
    source = checked_text(source, maximum=SOURCE_MAX_LENGTH, what=_("Source"))
    if measured_on > timezone.localdate():
        raise ValidationError(_("La date de la mesure est dans le futur."), code="date")
    try:
        with transaction.atomic():
            return Measurement.objects.create(
                demarche=demarche,
                indicator=indicator,
                value=checked,
                measured_on=measured_on,
                source=source,
                generated=generated,
                recorded_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("Une mesure de cet indicateur existe déjà à cette date pour cette démarche."),
            code="duplicate",
        ) from None


# --- Feedback ("Je donne mon avis") -------------------------------------------------------


def _add_to_day(feedback: Feedback) -> None:
    """Add one feedback to its démarche's daily roll-up (a savepoint makes the first insert of
    the day safe under concurrency; the sums move with F())."""
    day = timezone.localdate(feedback.created_at)
    rows = FeedbackDay.objects.filter(demarche_id=feedback.demarche_id, day=day)
    if not rows.exists():
        try:
            with transaction.atomic():
                FeedbackDay.objects.create(demarche_id=feedback.demarche_id, day=day)
        except IntegrityError:
            pass  # created meanwhile by another feedback of the same day
    sought = feedback.help in (Help.REACHED, Help.NOT_REACHED)
    rows.update(
        count=F("count") + 1,
        satisfaction_points=F("satisfaction_points")
        + SATISFACTION_POINTS[Satisfaction(feedback.satisfaction)],
        clarity_count=F("clarity_count") + (1 if feedback.clarity else 0),
        clarity_sum=F("clarity_sum") + (feedback.clarity or 0),
        help_sought=F("help_sought") + (1 if sought else 0),
        help_obtained=F("help_obtained") + (1 if feedback.help == Help.REACHED else 0),
    )


@transaction.atomic
def submit_feedback(
    *,
    demarche: Demarche,
    satisfaction: str,
    clarity: int | None = None,
    help: str = "",
    comment: str = "",
    received_at: dt.datetime | None = None,
    source_key: str | None = None,
) -> Feedback:
    """Store one anonymous feedback: its answers count at once in the démarche's figures; its
    comment, masked, waits for moderation before it is shown. Nothing identifies the sender.
    `received_at` and `source_key` are for loaders (backdated, idempotent demo content)."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError(_("Choisissez comment ça s'est passé."), code="satisfaction")
    if clarity is not None and not 1 <= clarity <= 5:
        raise ValidationError(_("La clarté se note de 1 à 5."), code="clarity")
    if help and help not in Help.values:
        raise ValidationError(_("Réponse inconnue sur l'aide."), code="help")
    comment = checked_text(
        comment, maximum=COMMENT_MAX_LENGTH, what=_("Commentaire"), required=False
    )
    feedback = Feedback.objects.create(
        demarche=demarche,
        satisfaction=satisfaction,
        clarity=clarity,
        help=help,
        created_at=received_at or timezone.now(),
        source_key=source_key,
    )
    _add_to_day(feedback)
    if comment:
        masked = mask_personal_data(comment)
        stored = FeedbackComment.objects.create(
            feedback=feedback,
            demarche=demarche,
            text=masked.text,
            masked_items=min(masked.count, 32767),
        )
        moderation.submit_for_moderation(target=stored, originals={"text": comment})
    return feedback


@dataclass(frozen=True)
class MomentRow:
    slug: str
    number: int
    name: str
    description: str


@transaction.atomic
def load_moments_de_vie(*, rows: list[MomentRow], prune: bool = False) -> list[str]:
    """Create or update the moments de vie by slug, numbered as given.

    The numbers are unique, so they are freed first: a moment may take the number another one
    had. Moments absent from `rows` are deleted with `prune` (their démarches lose the link,
    not the démarche), else kept after the listed ones. Returns the absent moments' names.
    """
    slugs = [row.slug for row in rows]
    absent = MomentDeVie.objects.exclude(slug__in=slugs).order_by("number")
    names = [moment.name for moment in absent]
    if prune:
        absent.delete()
    offset = 1000 + max((m.number for m in MomentDeVie.objects.all()), default=0)
    MomentDeVie.objects.update(number=F("number") + offset)
    for row in rows:
        MomentDeVie.objects.update_or_create(
            slug=row.slug,
            defaults={"number": row.number, "name": row.name, "description": row.description},
        )
    last = max((row.number for row in rows), default=0)
    for index, moment in enumerate(MomentDeVie.objects.exclude(slug__in=slugs).order_by("number")):
        moment.number = last + 1 + index
        moment.save(update_fields=["number"])
    return names


def rebuild_feedback_days(*, demarche: Demarche | None = None) -> int:
    """Recount the daily roll-up from the feedback rows (repair; the action keeps it current).
    Returns the number of days written."""
    feedbacks = Feedback.objects.all() if demarche is None else demarche.feedbacks.all()
    days: dict[tuple[int, dt.date], FeedbackDay] = {}
    for feedback in feedbacks.only(
        "demarche_id", "satisfaction", "clarity", "help", "created_at"
    ).iterator():
        key = (feedback.demarche_id, timezone.localdate(feedback.created_at))
        day = days.setdefault(key, FeedbackDay(demarche_id=key[0], day=key[1]))
        day.count += 1
        day.satisfaction_points += SATISFACTION_POINTS[Satisfaction(feedback.satisfaction)]
        if feedback.clarity:
            day.clarity_count += 1
            day.clarity_sum += feedback.clarity
        if feedback.help in (Help.REACHED, Help.NOT_REACHED):
            day.help_sought += 1
            day.help_obtained += feedback.help == Help.REACHED
    with transaction.atomic():
        existing = FeedbackDay.objects.all()
        if demarche is not None:
            existing = existing.filter(demarche=demarche)
        existing.delete()
        FeedbackDay.objects.bulk_create(days.values(), batch_size=1000)
    return len(days)


# --- Proposals -----------------------------------------------------------------------------


@transaction.atomic
def propose_demarche(*, author: User, name: str, url: str, reason: str) -> Proposal:
    """A citizen proposes a démarche to follow: masked, waiting for moderation."""
    if not can_propose(author):
        raise PermissionDenied(_("Connectez-vous avec une adresse électronique confirmée."))
    originals = {
        "name": checked_text(name, maximum=NAME_MAX_LENGTH, what=_("Nom de la démarche")),
        "reason": checked_text(reason, maximum=REASON_MAX_LENGTH, what=_("Pourquoi la suivre")),
    }
    masked = {field: mask_personal_data(text) for field, text in originals.items()}
    proposal = Proposal.objects.create(
        author=author,
        name=masked["name"].text,
        url=_url(url),
        reason=masked["reason"].text,
        masked_items=min(sum(result.count for result in masked.values()), 32767),
    )
    moderation.submit_for_moderation(target=proposal, originals=originals)
    return proposal


def _lock_proposal(proposal: Proposal) -> None:
    lock_row(proposal)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("Cette proposition a déjà reçu une réponse."), code="decided")


@transaction.atomic
def accept_proposal(
    *, actor: User, proposal: Proposal, administration: str, note: str = ""
) -> Demarche:
    """An administrator accepts a proposal: the démarche is created (then completed in the
    admin: network, moments de vie, measurements) and the proposal points to it."""
    if not can_decide_proposal(actor):
        raise PermissionDenied(_("Réservé aux administrateurs."))
    _lock_proposal(proposal)
    administration = checked_text(administration, maximum=200, what=_("Administration"))
    demarche = save_demarche(
        actor=actor,
        demarche=Demarche(name=proposal.name, url=proposal.url, administration=administration),
    )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.demarche = demarche
    proposal.decision_note = checked_text(
        note, maximum=NOTE_MAX_LENGTH, what=_("Réponse"), required=False
    )
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "demarche", "decision_note", "decided_by", "decided_at"])
    return demarche


@transaction.atomic
def decline_proposal(*, actor: User, proposal: Proposal, note: str) -> Proposal:
    if not can_decide_proposal(actor):
        raise PermissionDenied(_("Réservé aux administrateurs."))
    _lock_proposal(proposal)
    proposal.status = ProposalStatus.DECLINED
    proposal.decision_note = checked_text(note, maximum=NOTE_MAX_LENGTH, what=_("Motif"))
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    return proposal


def erase_author_proposals(*, user: User, keep_contributions: bool) -> None:
    """Account deletion: delete the user's proposals still undecided (or all, without keeping
    contributions), or unlink the author. An accepted proposal's démarche stays."""
    proposals = Proposal.objects.filter(author=user)
    if keep_contributions:
        proposals.update(author=None)
        return
    ids = list(proposals.select_for_update().order_by("pk").values_list("pk", flat=True))
    moderation.forget_targets(Proposal, ids)
    Proposal.objects.filter(pk__in=ids).delete()
