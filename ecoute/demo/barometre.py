"""Demo editions of the Services Publics + barometer: one per semester the demo's ratings and
measurements cover, computed from the roll-ups like any edition, published by the `admin`
account when the semester is over (the current one stays a draft to preview). Each says on its
pages that it is computed from demo data (real SP+ experiences and generated ones)."""

from django.utils import timezone

from ecoute.accounts.models import User
from ecoute.barometre import actions
from ecoute.barometre.models import Edition, EditionStatus
from ecoute.indicators.queries import national_semesters

DEMO_NOTE = (
    "Édition de démonstration : calculée à partir des expériences réelles de Services "
    "Publics + publiées dans la démo et d'avis et de mesures générés pour la démonstration."
)


def load_demo_editions(*, publisher: User) -> tuple[int, int]:
    """(published, drafts); idempotent: a published edition is left as it is."""
    today = timezone.localdate()
    published = 0
    for semester in national_semesters():
        if semester > today:
            continue
        year, half = actions.semester_parts(semester)
        existing = Edition.objects.filter(year=year, half=half, is_current=True).first()
        if existing is not None:
            published += 1
            continue
        edition = actions.prepare_edition(semester=semester, actor=publisher, note=DEMO_NOTE)
        if edition.semester_end >= today or not edition.figures.filter(denominator__gt=0):
            continue  # stays a draft: the semester is not over, or it has nothing to publish
        actions.publish_edition(edition=edition, actor=publisher)
        published += 1
    return published, Edition.objects.filter(status=EditionStatus.DRAFT).count()
