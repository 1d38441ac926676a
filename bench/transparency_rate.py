"""The transparency rate (decision 0022) at the scale of the real directory: every active counter
of the SP+ catalogue and the contact-point roll-up rows that 10 M experiences leave behind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecoute_transparency_bench \\
        .venv/bin/python -m bench.transparency_rate [--rounds 7] [--seed]

Needs PostgreSQL with the reference data loaded (`manage.py load_reference_data`: ~14,600 active
counters, 37 networks). `--seed` adds (once; existing keys are kept) a contact-point roll-up row
for every contact point × 8 indicators × 24 months, 4 semesters and 2 years of 2025–2026 with a
random sample of 0–25: what a long history of ratings leaves in the table, the rows the rate
reads (the other scopes do not change its query). Then it times `transparency.compute` for
France, one network and one département, and the pages through the test client (median).
"""

import argparse
import datetime as dt
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ecoute.catalogue.models import ContactPoint, Network  # noqa: E402
from ecoute.indicators import transparency  # noqa: E402
from ecoute.indicators.definitions import INDICATORS  # noqa: E402
from ecoute.indicators.models import IndicatorRollup  # noqa: E402

SEMESTER = dt.date(2026, 1, 1)

SEED = """
INSERT INTO indicators_indicatorrollup
  (indicator, scope_kind, scope_key, period_kind, period_start, numerator, denominator, total)
SELECT i.slug, 'contact_point', cp.id::text, p.kind, p.start, 0, (random() * 25)::int, 0
FROM catalogue_contactpoint cp
CROSS JOIN unnest(%s::text[]) AS i(slug)
CROSS JOIN (
  SELECT 'month' AS kind, (date '2025-01-01' + (n || ' month')::interval)::date AS start
  FROM generate_series(0, 23) n
  UNION ALL SELECT 'semester', d::date
  FROM unnest(ARRAY['2025-01-01', '2025-07-01', '2026-01-01', '2026-07-01']) d
  UNION ALL SELECT 'year', d::date FROM unnest(ARRAY['2025-01-01', '2026-01-01']) d
) p
ON CONFLICT DO NOTHING
"""


def median_ms(function, rounds: int) -> tuple[float, float, int]:
    timings, queries = [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(timings), min(timings), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only (DATABASE_URL=postgres://…)")
    if args.seed:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(SEED, [[i.slug for i in INDICATORS]])
            cursor.execute("VACUUM ANALYZE indicators_indicatorrollup")
        print(f"seeded in {time.perf_counter() - start:.0f} s")
    counters = ContactPoint.objects.active().filter(channel=transparency.SERVICE_CHANNEL)
    print(
        f"{counters.count()} active counters, {Network.objects.count()} networks, "
        f"{IndicatorRollup.objects.count()} roll-up rows "
        f"({IndicatorRollup.objects.filter(scope_kind='contact_point').count()} contact point)"
    )
    # The network with the most counters.
    network_id, network_slug = (
        counters.values_list("organisation__network_id", "organisation__network__slug")
        .annotate(size=Count("pk"))
        .order_by("-size")
        .values_list("organisation__network_id", "organisation__network__slug")
        .first()
    ) or (None, "")
    report = transparency.compute(SEMESTER)
    print(f"France {SEMESTER}: {report.nation.published} of {report.nation.total} counters")
    client = Client()
    for label, function in [
        ("compute, France", lambda: transparency.compute(SEMESTER)),
        (
            f"compute, network {network_slug}",
            lambda: transparency.compute(SEMESTER, network_id=network_id),
        ),
        ("compute, département 59", lambda: transparency.compute(SEMESTER, departement="59")),
        (
            "page /resultats/transparence/",
            lambda: client.get("/resultats/transparence/?semestre=2026-S1", HTTP_HOST="localhost"),
        ),
        (
            f"page /resultats/reseaux/{network_slug}/",
            lambda: client.get(f"/resultats/reseaux/{network_slug}/", HTTP_HOST="localhost"),
        ),
        (
            "page /resultats/departements/59/",
            lambda: client.get("/resultats/departements/59/", HTTP_HOST="localhost"),
        ),
    ]:
        median, best, queries = median_ms(function, args.rounds)
        print(f"{label}: median {median:.0f} ms, min {best:.0f} ms, {queries} queries")


if __name__ == "__main__":
    main()
