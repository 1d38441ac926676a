"""Demo editions of the Services Publics + barometer: one per semester the demo's ratings and
measurements cover, computed from the roll-ups like any edition, published by the `admin`
account when the semester is over (the current one stays a draft to preview). Each says on its
pages that it is computed from demo data (real SP+ experiences and generated ones).

So that the latest published edition has a previous one to compare with, a few generated
ratings (marked as such) go to the semester before the one the indicators' demo ratings start
in, on the same contact points."""

import datetime as dt
import random

from django.utils import timezone

from ecoute.accounts.models import User
from ecoute.barometre import actions
from ecoute.barometre.models import Edition, EditionStatus
from ecoute.experiences.models import Experience
from ecoute.indicators.models import previous_semester, semester_start
from ecoute.indicators.queries import national_semesters

from .indicators import publish_generated_rating
from .remontees import GENERATED_MARK

DEMO_NOTE = (
    "Édition de démonstration : calculée à partir des expériences réelles de Services "
    "Publics + publiées dans la démo et d'avis et de mesures générés pour la démonstration."
)
EARLIER_RATINGS_PER_POINT = 12
INDICATOR_RATINGS = "demo:indicateurs:"  # the source keys of ecoute.demo.indicators


def load_earlier_ratings(*, author: User, moderator: User) -> int:
    """Generated ratings in the semester before the earliest demo rating; idempotent."""
    rated = Experience.objects.filter(
        source_key__startswith=INDICATOR_RATINGS, contact_point__isnull=False
    ).select_related("contact_point")
    dates = [e.occurred_on for e in rated if e.occurred_on is not None]
    points = {e.contact_point.pk: e.contact_point for e in rated if e.contact_point is not None}
    if not dates or not points:
        return 0
    previous_start = previous_semester(semester_start(min(dates)))
    rng = random.Random(21)  # noqa: S311 (generated demo marks, not a secret)
    count = 0
    for point in sorted(points.values(), key=lambda p: p.pk):
        for index in range(EARLIER_RATINGS_PER_POINT):
            # A little less satisfied than later on: the change reads "en hausse".
            marks = [rng.choices([1, 2, 3, 4, 5], weights=[2, 2, 2, 3, 2])[0] for _ in range(5)]
            publish_generated_rating(
                author=author,
                moderator=moderator,
                point=point,
                key=f"demo:barometre:{point.pk}:{index}",
                occurred_on=previous_start + dt.timedelta(days=10 + 14 * index),
                marks=marks,
                title=f"Avis généré pour le baromètre n° {index + 1}",
                body=f"{GENERATED_MARK} : des notes pour montrer le baromètre, sans récit réel.",
            )
            count += 1
    return count


def load_demo_editions(*, publisher: User) -> tuple[int, int]:
    """(published, drafts); idempotent: a published edition is left as it is."""
    today = timezone.localdate()
    published = 0
    for semester in national_semesters():
        if semester > today:
            continue
        year, half = actions.semester_parts(semester)
        if Edition.objects.filter(year=year, half=half, is_current=True).exists():
            published += 1
            continue
        edition = actions.prepare_edition(semester=semester, actor=publisher, note=DEMO_NOTE)
        if edition.semester_end >= today or not edition.figures.filter(denominator__gt=0):
            continue  # stays a draft: the semester is not over, or it has nothing to publish
        actions.publish_edition(edition=edition, actor=publisher)
        published += 1
    return published, Edition.objects.filter(status=EditionStatus.DRAFT).count()
