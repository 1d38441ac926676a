"""Pages do not get slower as data grows: the same page timed with little and with much data.

Runs against a throw-away in-memory SQLite test database. For each page, the median of 30
requests through Django's test client and the number of SQL queries, first with 50 rows
behind the page, then with 5,000 (generated rows, created with the test factories), and the
ratio between the two. A ratio near 1 means the page's cost does not depend on the data size.

    .venv/bin/python -m bench.pages
"""

from __future__ import annotations

import json
import os
import statistics
import time
from typing import Any

# SMALL exceeds every page size (20), so both runs render full pages: only the data grows.
SMALL, LARGE, REPEAT = 50, 5_000, 30


def _time_page(client: Any, url: str) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    ordered = sorted(timings)
    return {
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
        "queries": len(queries),
    }


def _populate(size: int, tag: str) -> dict[str, Any]:
    from ecoute.catalogue.models import ContactPoint
    from ecoute.experiences.models import Experience, ExperienceStatus
    from ecoute.indicators.rollups import apply_experiences
    from ecoute.moderation.actions import sync_items
    from tests.factories import ContactPointFactory, ExperienceFactory, OrganisationFactory

    organisation = OrganisationFactory(name=f"Maison {tag}")
    point = ContactPointFactory(organisation=organisation, name=f"Accueil {tag}")
    author = ExperienceFactory(contact_point=point, published=True).author
    template = Experience.objects.filter(contact_point=point).get()
    rows = []
    for index in range(size - 1):
        template.pk = None
        template.source_key = f"bench:{tag}:{index}"
        template.fingerprint = ""
        rows.append(
            Experience(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Experience._meta.concrete_fields
                    if f.attname != "id"
                }
            )
        )
    Experience.objects.bulk_create(rows, batch_size=500)
    # As many pending experiences, for the moderation queue.
    pending = [
        Experience(
            author=author,
            contact_point=point,
            network_id=point.organisation.network_id,
            title=f"En attente {tag} {index}",
            body="Texte en attente de modération, assez long pour être réaliste.",
            status=ExperienceStatus.PENDING,
        )
        for index in range(size)
    ]
    Experience.objects.bulk_create(pending, batch_size=500)
    sync_items(Experience)  # rows written in bulk join the queue (ModerationItem)
    apply_experiences(Experience.objects.published().filter(contact_point=point), 1)
    # As many other contact points, for the search (a scan of one folded column, see
    # docs/decisions/0003-search.md: this one is expected to grow with the directory).
    ContactPoint.objects.bulk_create(
        [
            ContactPoint(
                organisation=organisation,
                channel="guichet",
                name=f"Guichet {tag} {index}",
                search_text=f"guichet {tag} {index} commune {index % 97}",
            )
            for index in range(size)
        ],
        batch_size=500,
    )
    return {"point": point}


def run(full: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.factories import UserFactory

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    moderator = UserFactory(moderator=True)
    results: dict[str, Any] = {"rows_small": SMALL, "rows_large": LARGE, "repeat": REPEAT}
    measures: dict[str, dict[str, Any]] = {}
    for label, size in (("small", SMALL), ("large", LARGE)):
        point = _populate(size, label)["point"]
        client = Client()
        client.force_login(moderator)
        pages = {
            "contact point page": point.get_absolute_url(),
            "home": "/",
            "experiences list": "/experiences/",
            "moderation queue": "/moderation/",
            "search": "/services/?q=guichet+commune+42",
        }
        for name, url in pages.items():
            measures.setdefault(name, {})[label] = _time_page(client, url)
    for pair in measures.values():
        pair["ratio_large_to_small"] = round(
            pair["large"]["median_ms"] / pair["small"]["median_ms"], 2
        )
    results["pages"] = measures
    results["data"] = "generated (test factories), in-memory SQLite"
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
