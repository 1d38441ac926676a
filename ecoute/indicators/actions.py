"""Every state change of the indicators: importing measurements (the command and the admin's
upload both call `import_measurements`). The roll-ups of felt indicators move with the
experiences' actions (rollups.apply_experience_ids, registered in apps.py)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import ContactPoint, Organisation

from .importing import ImportReport, Line, decode, parse
from .models import Measurement, MeasurementRevision
from .rollups import add, measurement_deltas, new_deltas


def import_measurements(*, actor: User | None, source: str, content: bytes) -> ImportReport:
    """Check the whole file, then store it in one transaction: a new measurement is created,
    a changed one corrected (its former value stays in its history), an identical one left
    alone — importing the same file twice changes nothing. The roll-ups move by the
    differences. Nothing is stored when any line is wrong (`report.errors`)."""
    report = ImportReport(source=source[:200])
    text = decode(content)
    if text is None:
        report.error(1, _("le fichier n'est pas encodé en UTF-8."))
        return report
    lines = parse(text, report)
    if report.ok:
        _store(lines, report, actor)
    return report


def _key(measurement: Measurement) -> tuple[object, ...]:
    return (
        measurement.indicator,
        measurement.organisation_id,
        measurement.contact_point_id,
        measurement.period_start,
    )


@transaction.atomic
def _store(lines: list[Line], report: ImportReport, actor: User | None) -> None:
    points = ContactPoint.objects.select_related("organisation", "departement").in_bulk(
        {line.contact_point_id for line in lines if line.contact_point_id}
    )
    organisations = Organisation.objects.select_related("departement").in_bulk(
        {line.organisation_id for line in lines if line.organisation_id}
    )
    # Locked: two imports of overlapping files are serialised, each sees the other's values.
    existing = {
        _key(m): m
        for m in Measurement.objects.select_for_update().filter(
            Q(contact_point_id__in=list(points)) | Q(organisation_id__in=list(organisations)),
            indicator__in={line.indicator for line in lines},
            period_start__in={line.month for line in lines},
        )
    }
    deltas = new_deltas()
    created: list[Measurement] = []
    corrected: list[Measurement] = []
    changed: list[tuple[Measurement, Line]] = []
    now = timezone.now()
    for line in lines:
        measurement = existing.get(line.key)
        if measurement is None:
            measurement = Measurement(
                indicator=line.indicator,
                contact_point=points.get(line.contact_point_id) if line.contact_point_id else None,
                organisation=organisations.get(line.organisation_id)
                if line.organisation_id
                else None,
                period_start=line.month,
                numerator=line.numerator,
                denominator=line.denominator,
            )
            measurement_deltas(deltas, measurement, line.numerator, line.denominator)
            created.append(measurement)
            changed.append((measurement, line))
            continue
        if (measurement.numerator, measurement.denominator) == (line.numerator, line.denominator):
            report.unchanged += 1
            continue
        measurement.contact_point = (
            points.get(line.contact_point_id) if line.contact_point_id else None
        )
        measurement.organisation = (
            organisations.get(line.organisation_id) if line.organisation_id else None
        )
        measurement_deltas(
            deltas,
            measurement,
            line.numerator - measurement.numerator,
            line.denominator - measurement.denominator,
        )
        measurement.numerator, measurement.denominator = line.numerator, line.denominator
        measurement.updated_at = now
        changed.append((measurement, line))
        corrected.append(measurement)
    Measurement.objects.bulk_create(created, batch_size=1000)
    Measurement.objects.bulk_update(
        corrected, ["numerator", "denominator", "updated_at"], batch_size=1000
    )
    MeasurementRevision.objects.bulk_create(
        [
            MeasurementRevision(
                measurement=m,
                numerator=m.numerator,
                denominator=m.denominator,
                source=report.source,
                line=line.line,
                recorded_by=actor,
            )
            for m, line in changed
        ],
        batch_size=1000,
    )
    report.created, report.corrected = len(created), len(corrected)
    add(deltas)
