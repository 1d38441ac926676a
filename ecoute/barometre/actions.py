"""Every change of a barometer edition: prepare (a draft frozen from the current roll-ups),
publish, prepare a correction. Views, the admin and `prepare_barometer_edition` call these."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Network
from ecoute.indicators.definitions import BY_SLUG, INDICATORS
from ecoute.indicators.models import NATION_KEY
from ecoute.indicators.queries import IndicatorValue, semester_label, semester_rollups
from ecoute.territories.models import Departement

from .models import Edition, EditionStatus, Figure, FigureScope
from .queries import previous_edition

MAX_REASON = 2000


class EditionError(Exception):
    """A refused change, with a French message for the person who asked."""


def semester_parts(semester: dt.date) -> tuple[int, int]:
    if semester.day != 1 or semester.month not in (1, 7):
        raise EditionError(_("Un semestre commence le 1er janvier ou le 1er juillet."))
    return semester.year, 1 if semester.month == 1 else 2


def _figures(edition: Edition) -> list[Figure]:
    """The semester's roll-ups (nation, networks, départements) as unsaved figures, with the
    sufficient-sample flag of the minimum sample in force now."""
    rows = semester_rollups(edition.semester, FigureScope.values)
    networks = dict(Network.objects.values_list("pk", "name"))
    departements = dict(Departement.objects.values_list("code", "name"))
    found = {(slug, kind, key): counts for slug, kind, key, *counts in rows}
    for indicator in INDICATORS:  # the national line is always complete
        found.setdefault((indicator.slug, FigureScope.NATION, NATION_KEY), [0, 0, 0])
    figures = []
    for (slug, kind, key), (numerator, denominator, total) in sorted(found.items()):
        if kind != FigureScope.NATION and denominator == 0:
            continue  # a 0/0 row says nothing
        if kind == FigureScope.NETWORK:
            name = networks.get(int(key), f"réseau {key}")
        elif kind == FigureScope.DEPARTEMENT:
            name = departements.get(key, key)
        else:
            name = "France entière"  # data, stored in the source language like the others
        value = IndicatorValue(BY_SLUG[slug], numerator, denominator, total)
        figures.append(
            Figure(
                edition=edition,
                indicator=slug,
                scope_kind=kind,
                scope_key=key,
                scope_name=str(name)[:200],
                numerator=numerator,
                denominator=denominator,
                total=total,
                sufficient=value.sufficient,
            )
        )
    return figures


def _freeze(edition: Edition, actor: User | None) -> Edition:
    edition.minimum_sample = int(settings.ECOUTE_INDICATOR_MIN_SAMPLE)
    edition.prepared_at = timezone.now()
    edition.prepared_by = actor
    edition.save()
    edition.figures.all().delete()
    Figure.objects.bulk_create(_figures(edition), batch_size=1000)
    return edition


@transaction.atomic
def prepare_edition(*, semester: dt.date, actor: User | None, note: str | None = None) -> Edition:
    """A draft edition of `semester` frozen from the current roll-ups; preparing again while it
    is a draft freezes it anew. Refused for a future semester and for a semester already
    published (prepare a correction instead)."""
    year, half = semester_parts(semester)
    if semester > timezone.localdate():
        raise EditionError(_("Ce semestre n'a pas encore commencé."))
    editions = list(Edition.objects.select_for_update().filter(year=year, half=half))
    draft = next((e for e in editions if e.status == EditionStatus.DRAFT), None)
    if draft is not None:
        if note is not None:
            draft.note = note.strip()
        return _freeze(draft, actor)
    if editions:
        raise EditionError(
            _(
                "L'édition %(label)s est déjà publiée : elle ne change plus. Préparez une "
                "correction pour en publier une nouvelle version."
            )
            % {"label": semester_label(semester)}
        )
    return _freeze(Edition(year=year, half=half, version=1, note=(note or "").strip()), actor)


@transaction.atomic
def prepare_correction(*, edition: Edition, actor: User | None, reason: str) -> Edition:
    """A draft new version of a published edition, frozen from the current roll-ups; once
    published it replaces `edition`, which stays readable (marked as replaced)."""
    reason = reason.strip()
    if not reason:
        raise EditionError(_("Dites pourquoi cette édition est corrigée."))
    if len(reason) > MAX_REASON:
        raise EditionError(
            _("Le motif est trop long (%(max)s caractères au plus).") % {"max": MAX_REASON}
        )
    editions = list(
        Edition.objects.select_for_update().filter(year=edition.year, half=edition.half)
    )
    current = next((e for e in editions if e.pk == edition.pk), None)
    if current is None or not current.is_current:
        raise EditionError(_("Seule l'édition en vigueur d'un semestre peut être corrigée."))
    if any(e.status == EditionStatus.DRAFT for e in editions):
        raise EditionError(_("Une nouvelle version de ce semestre est déjà en préparation."))
    version = (max(e.version for e in editions)) + 1
    correction = Edition(
        year=edition.year,
        half=edition.half,
        version=version,
        supersedes=current,
        correction_reason=reason,
        note=current.note,
    )
    return _freeze(correction, actor)


def too_early_to_publish(edition: Edition) -> str | None:
    """Why the edition cannot be published yet (its semester is not over), or None."""
    if edition.semester_end < timezone.localdate():
        return None
    return _(
        "Le semestre %(label)s n'est pas terminé : l'édition sera publiable après le %(end)s."
    ) % {"label": edition.label, "end": edition.semester_end.strftime("%d/%m/%Y")}


@transaction.atomic
def publish_edition(*, edition: Edition, actor: User | None) -> Edition:
    """Publish a draft: from now on neither the edition nor its figures change (the database
    refuses it too). A correction takes the place of the edition it supersedes. Refused before
    the semester is over."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != EditionStatus.DRAFT:
        raise EditionError(_("Cette édition est déjà publiée."))
    if (too_early := too_early_to_publish(edition)) is not None:
        raise EditionError(too_early)
    if not edition.figures.filter(denominator__gt=0).exists():
        raise EditionError(_("Cette édition ne contient aucune valeur : rien à publier."))
    if edition.supersedes_id is not None:
        replaced = Edition.objects.select_for_update().get(pk=edition.supersedes_id)
        replaced.is_current = False
        replaced.save(update_fields=["is_current"])
    edition.compared_to = previous_edition(edition)
    edition.status = EditionStatus.PUBLISHED
    edition.is_current = True
    edition.published_at = timezone.now()
    edition.published_by = actor
    edition.save(
        update_fields=["compared_to", "status", "is_current", "published_at", "published_by"]
    )
    return edition
