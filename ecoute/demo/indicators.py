"""Demo content of the indicators: generated ratings on a few CAF contact points (enough to
pass the minimum sample, over two semesters) and the generated performance measurements of
data/indicators/ (SOURCE.md), imported through the same action as `import_indicators`."""

import datetime as dt
import random
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ecoute.accounts.models import User
from ecoute.catalogue.models import ContactPoint, Organisation
from ecoute.experiences import actions
from ecoute.experiences.models import Experience, ExperienceOrigin
from ecoute.experiences.ratings import Ratings
from ecoute.indicators.actions import import_measurements
from ecoute.indicators.importing import ImportReport

from .remontees import GENERATED_MARK

RATED_POINTS = 3
RATINGS_PER_POINT = 12  # over the default minimum sample (10)
MEASUREMENTS = Path("indicators") / "mesures-generees.csv"


def publish_generated_rating(
    *,
    author: User,
    moderator: User,
    point: ContactPoint,
    key: str,
    occurred_on: dt.date,
    marks: list[int],
    title: str,
    body: str,
) -> None:
    """One generated, rated and published experience (marked as generated), unless its source
    key exists already (idempotent)."""
    if Experience.objects.filter(source_key=key).exists():
        return
    experience = actions.submit_experience(
        author=author,
        contact_point=point,
        occurred_on=occurred_on,
        channel=point.channel,
        sentiment="positive" if marks[0] >= 4 else "negative",
        ratings=Ratings(*marks),
        title=title,
        body=body,
        origin=ExperienceOrigin.GENERATED,
        source_key=key,
    )
    actions.publish_experience(actor=moderator, experience=experience)


def load_demo_ratings(*, author: User, moderator: User, besides: Organisation) -> int:
    """Published generated experiences with ratings (short texts saying they are generated) on
    CAF contact points of other organisations than `besides` (whose agents' inbox the demo
    stages); idempotent by source key. Returns how many exist."""
    points = list(
        ContactPoint.objects.filter(
            organisation__network__slug="cnaf", is_active=True, departement__isnull=False
        )
        .exclude(organisation=besides)
        .order_by("departement_id", "channel", "id")[:RATED_POINTS]
    )
    rng = random.Random(10)  # noqa: S311 (generated demo marks, not a secret)
    today = timezone.localdate()
    count = 0
    for point in points:
        for index in range(RATINGS_PER_POINT):
            marks = [rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 4, 3])[0] for _ in range(5)]
            publish_generated_rating(
                author=author,
                moderator=moderator,
                point=point,
                key=f"demo:indicateurs:{point.pk}:{index}",
                occurred_on=today - dt.timedelta(days=20 * index + 1),
                marks=marks,
                title=f"Avis généré n° {index + 1}",
                body=f"{GENERATED_MARK} : des notes pour montrer les indicateurs, sans récit réel.",
            )
            count += 1
    return count


def load_demo_measurements(*, actor: User) -> ImportReport | None:
    """The generated measurements of the structures present in the loaded catalogue (the file
    names 60 real SP+ structures; a partial catalogue has fewer)."""
    path = Path(settings.ECOUTE_DATA_DIR) / MEASUREMENTS
    if not path.exists():
        return None
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    known = set(
        Organisation.objects.filter(sp_code__in={line.split(",")[1] for line in lines}).values_list(
            "sp_code", flat=True
        )
    )
    kept = [line for line in lines if line.split(",")[1] in known]
    if not kept:
        return None
    content = "\n".join([header, *kept]).encode()
    return import_measurements(actor=actor, source=path.name, content=content)
