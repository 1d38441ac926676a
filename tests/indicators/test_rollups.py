"""The roll-ups kept by the actions: exact sums at every scope and period, equal to the full
rebuild whatever happened (randomised sequences of publish, hide, edit, withdraw)."""

import datetime as dt
import random

import pytest
from django.core.management import call_command

from ecoute.experiences import actions
from ecoute.experiences.models import Experience, ExperienceStatus
from ecoute.experiences.ratings import Ratings
from ecoute.indicators.models import (
    SCOPES_WITHOUT_MONTHS,
    IndicatorRollup,
    PeriodKind,
    ScopeKind,
    keeps,
)
from ecoute.indicators.rollups import apply_experiences, periods, rebuild
from tests.factories import (
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    ExperienceFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)
from tests.indicators.helpers import nonzero_rollups

pytestmark = pytest.mark.django_db


def _value(indicator, scope_kind, scope_key, period_kind, start):
    row = IndicatorRollup.objects.filter(
        indicator=indicator,
        scope_kind=scope_kind,
        scope_key=scope_key,
        period_kind=period_kind,
        period_start=start,
    ).first()
    return (row.numerator, row.denominator, row.total) if row else (0, 0, 0)


@pytest.fixture
def places():
    head = OrganisationFactory(name="Direction")
    agency = OrganisationFactory(name="Agence", parent=head, network=head.network)
    other_region = RegionFactory(code="11", name="Île-de-France")
    paris = CommuneFactory(
        code="75056",
        name="Paris",
        departement=DepartementFactory(code="75", name="Paris", region=other_region),
    )
    return {
        "head": head,
        "agency": agency,
        "points": [
            ContactPointFactory(organisation=agency),
            ContactPointFactory(organisation=head),
            ContactPointFactory(organisation=agency, commune=paris),
        ],
        "moderator": UserFactory(moderator=True),
    }


def test_periods_are_the_month_its_semester_and_its_year():
    assert periods(dt.date(2026, 8, 17)) == [
        ("month", dt.date(2026, 8, 1)),
        ("semester", dt.date(2026, 7, 1)),
        ("year", dt.date(2026, 1, 1)),
    ]
    assert periods(dt.date(2026, 6, 30))[1] == ("semester", dt.date(2026, 1, 1))


def test_a_publication_counts_in_every_scope_and_period(places):
    point = places["points"][0]
    experience = ExperienceFactory(
        contact_point=point,
        occurred_on=dt.date(2026, 3, 5),
        rating_satisfaction=4,
        rating_delays=None,
    )
    actions.publish_experience(actor=places["moderator"], experience=experience)
    march, s1, year = (start for _kind, start in periods(dt.date(2026, 3, 1)))
    expected = (1, 1, 4)  # satisfied (4 ≥ 4), one rating, sum 4
    for scope in [
        (ScopeKind.CONTACT_POINT, str(point.pk)),
        (ScopeKind.ORGANISATION, str(places["agency"].pk)),
        (ScopeKind.ORGANISATION, str(places["head"].pk)),  # includes its sub-organisations
        (ScopeKind.NETWORK, str(places["head"].network_id)),
        (ScopeKind.COMMUNE, point.commune_id),
        (ScopeKind.DEPARTEMENT, point.departement_id),
        (ScopeKind.REGION, point.departement.region_id),
        (ScopeKind.NATION, "FR"),
    ]:
        for kind, start in [("month", march), ("semester", s1), ("year", year)]:
            # Contact points and communes keep no month rows (no page reads them).
            kept = kind != "month" or scope[0] not in SCOPES_WITHOUT_MONTHS
            assert _value("satisfaction", *scope, kind, start) == (
                expected if kept else (0, 0, 0)
            ), (scope, kind)
    # An unrated indicator makes no row; a rating below 4 counts in the denominator only.
    assert _value("delais", ScopeKind.NATION, "FR", "year", year) == (0, 0, 0)
    assert _value("accessibilite", ScopeKind.NATION, "FR", "year", year) == (0, 1, 3)


def test_rates_add_counts_never_average_rates(places):
    """3 ratings in one place (2 satisfied) and 1 in another (satisfied): 3/4, not (2/3+1)/2."""
    a, b = places["points"][0], places["points"][1]
    for point, mark in [(a, 5), (a, 4), (a, 1), (b, 5)]:
        ExperienceFactory(contact_point=point, published=True, rating_satisfaction=mark)
    year = dt.date(ExperienceFactory._meta.model.objects.first().occurred_on.year, 1, 1)
    assert _value("satisfaction", ScopeKind.ORGANISATION, str(places["head"].pk), "year", year) == (
        3,
        4,
        15,
    )


OPERATIONS = ("publish", "publish", "hide", "edit", "withdraw", "republish")


@pytest.mark.parametrize("seed", range(4))
def test_incremental_roll_ups_equal_the_rebuild(places, seed):
    rng = random.Random(seed)
    moderator = places["moderator"]
    experiences = []
    for _step in range(25):
        operation = rng.choice(OPERATIONS)
        if operation == "publish" or not experiences:
            experience = ExperienceFactory(
                contact_point=rng.choice(places["points"]),
                occurred_on=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(500)),
                **{
                    field: rng.choice([None, 1, 2, 3, 4, 5])
                    for field in ("rating_satisfaction", "rating_delays", "rating_simplicity")
                },
            )
            actions.publish_experience(actor=moderator, experience=experience)
            experiences.append(experience)
            continue
        experience = rng.choice(experiences)
        experience.refresh_from_db()
        if operation == "hide" and experience.status == ExperienceStatus.PUBLISHED:
            actions.hide_experience(actor=moderator, experience=experience, reason="Doublon")
        elif operation == "republish" and experience.status != ExperienceStatus.PUBLISHED:
            actions.publish_experience(actor=moderator, experience=experience)
        elif operation == "edit" and experience.status != ExperienceStatus.HIDDEN:
            actions.edit_experience(
                actor=experience.author,
                experience=experience,
                occurred_on=experience.occurred_on - dt.timedelta(days=rng.randrange(60)),
                channel="telephone",
                sentiment="positive",
                ratings=Ratings(*(rng.randint(1, 5) for _ in range(5))),
                title="Titre repris",
                body="Le récit repris, sans donnée personnelle.",
            )
            if rng.random() < 0.5:
                actions.publish_experience(actor=moderator, experience=experience)
        elif operation == "withdraw":
            actions.withdraw_experience(actor=experience.author, experience=experience)
            experiences.remove(experience)
    kept = nonzero_rollups()
    assert kept  # something was published
    rebuild()
    assert nonzero_rollups() == kept


def test_a_batch_is_one_group_by_and_one_upsert(places, django_assert_max_num_queries):
    """10,000 imported experiences or one: the same two statements (SQLite: one per 2,000
    keys)."""
    for point in places["points"]:
        ExperienceFactory.create_batch(
            3,
            contact_point=point,
            status=ExperienceStatus.PUBLISHED,
            published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
    IndicatorRollup.objects.all().delete()
    with django_assert_max_num_queries(2):  # PostgreSQL: one statement
        apply_experiences(Experience.objects.published(), 1)
    kept = nonzero_rollups()
    rebuild()
    assert nonzero_rollups() == kept


def test_the_rebuild_command(places, capsys):
    ExperienceFactory(contact_point=places["points"][0], published=True)
    kept = nonzero_rollups()
    IndicatorRollup.objects.all().delete()
    call_command("rebuild_indicator_rollups")
    assert "roll-up rows written" in capsys.readouterr().out
    assert nonzero_rollups() == kept
    call_command("rebuild_indicator_rollups", "--indicator", "delais")
    assert nonzero_rollups() == kept
    assert IndicatorRollup.objects.filter(period_kind=PeriodKind.MONTH).exists()


def test_the_database_path_equals_the_python_path(places):
    """PostgreSQL computes the felt roll-ups in one statement (felt_sql); SQLite expands them in
    Python (rollups.felt_deltas). Both give the same rows (run on PostgreSQL only)."""
    from django.db import connection

    from ecoute.indicators import felt_sql
    from ecoute.indicators.rollups import add, felt_deltas

    if connection.vendor != "postgresql":
        pytest.skip("felt_sql runs on PostgreSQL only")
    rng = random.Random(7)
    for _ in range(30):
        ExperienceFactory(
            contact_point=rng.choice(places["points"]),
            status=ExperienceStatus.PUBLISHED,
            published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            occurred_on=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(500)),
            rating_delays=rng.choice([None, 1, 4, 5]),
            rolled_up=False,
        )
    IndicatorRollup.objects.all().delete()
    felt_sql.apply(Experience.objects.published(), 1)
    by_sql = nonzero_rollups()
    IndicatorRollup.objects.all().delete()
    add(felt_deltas(Experience.objects.published()))
    assert nonzero_rollups() == by_sql
    felt_sql.apply(Experience.objects.filter(pk__in=[]), 1)  # nothing to add: no error
    felt_sql.apply(Experience.objects.published(), -1)
    assert nonzero_rollups() == set()


def test_contact_points_communes_and_organisations_keep_no_month_rows(places):
    """Their months are most of a batch's keys and no page reads them; every other scope keeps
    its months, and every scope its semesters and years."""
    point = places["points"][0]
    ExperienceFactory(contact_point=point, published=True, rating_satisfaction=5)
    kinds = set(IndicatorRollup.objects.values_list("scope_kind", "period_kind").distinct())
    for scope_kind in ScopeKind.values:
        for period_kind in PeriodKind.values:
            assert ((scope_kind, period_kind) in kinds) == keeps(scope_kind, period_kind)
    assert not keeps("contact_point", "month") and not keeps("commune", "month")
    assert not keeps("organisation", "month") and keeps("organisation", "semester")
    assert keeps("contact_point", "year") and keeps("network", "month")
