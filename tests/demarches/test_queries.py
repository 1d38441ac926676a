"""The rolling 12-month window and the minimum number of reviews behind a satisfaction score."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ecoute.demarches import actions
from ecoute.demarches.indicators import Level
from ecoute.demarches.models import Satisfaction
from ecoute.demarches.queries import feedback_stats, observatory_rows

from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db


def _reviews(demarche, count, *, days_ago=0, satisfaction=Satisfaction.GOOD):
    # Local noon of that day: the window counts local days.
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    received = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    for _ in range(count):
        actions.submit_feedback(demarche=demarche, satisfaction=satisfaction, received_at=received)


def test_no_score_below_the_minimum_says_how_many_reviews(settings):
    settings.ECOUTE_DEMARCHE_MIN_REVIEWS = 5
    demarche = DemarcheFactory()
    _reviews(demarche, 4)
    cell = observatory_rows([demarche])[0].cell("satisfaction")
    assert cell.value is None
    assert cell.level == Level.NOT_MEASURED
    assert cell.display == "pas encore assez d'avis (4 / 5)"


def test_score_from_the_minimum_on(settings):
    settings.ECOUTE_DEMARCHE_MIN_REVIEWS = 5
    demarche = DemarcheFactory()
    _reviews(demarche, 3, satisfaction=Satisfaction.GOOD)  # 10 points each
    _reviews(demarche, 1, satisfaction=Satisfaction.MEDIUM)  # 5
    _reviews(demarche, 1, satisfaction=Satisfaction.BAD)  # 0
    cell = observatory_rows([demarche])[0].cell("satisfaction")
    assert cell.value == Decimal("7.0")
    assert cell.display == "7 / 10"
    assert cell.level == Level.MEDIUM


def test_default_minimum_is_100_reviews_over_12_months():
    demarche = DemarcheFactory()
    _reviews(demarche, 99)
    assert observatory_rows([demarche])[0].cell("satisfaction").value is None
    _reviews(demarche, 1)
    assert observatory_rows([demarche])[0].cell("satisfaction").value == Decimal("10.0")


def test_reviews_older_than_the_window_no_longer_count(settings):
    settings.ECOUTE_DEMARCHE_MIN_REVIEWS = 3
    demarche = DemarcheFactory()
    _reviews(demarche, 2, days_ago=364)  # the window's first day: counted
    _reviews(demarche, 5, days_ago=365)  # a day too old
    stats = feedback_stats([demarche.pk])[demarche.pk]
    assert stats.count == 2 and not stats.enough
    # A year on, the same figures have left the window.
    later = timezone.localdate() + dt.timedelta(days=400)
    assert feedback_stats([demarche.pk], today=later) == {}


def test_window_length_is_configurable(settings):
    settings.ECOUTE_DEMARCHE_REVIEW_WINDOW_DAYS = 30
    demarche = DemarcheFactory()
    _reviews(demarche, 1, days_ago=29)
    _reviews(demarche, 1, days_ago=30)
    assert feedback_stats([demarche.pk])[demarche.pk].count == 1


def test_figures_of_many_demarches_in_two_queries(django_assert_num_queries):
    demarches = DemarcheFactory.create_batch(5)
    for demarche in demarches:
        _reviews(demarche, 2)
    with django_assert_num_queries(2):
        rows = observatory_rows(demarches)
    assert [row.stats.count for row in rows] == [2] * 5


def test_help_reachable_comes_from_reviews_without_a_measurement(settings):
    settings.ECOUTE_DEMARCHE_MIN_REVIEWS = 4
    demarche = DemarcheFactory()
    for help_answer in ["obtenue", "obtenue", "obtenue", "pas-obtenue", "pas-besoin"]:
        actions.submit_feedback(demarche=demarche, satisfaction="bien", help=help_answer)
    cell = observatory_rows([demarche])[0].cell("aide")
    assert (cell.value, cell.display, cell.level) == (Decimal(75), "75 %", Level.MEDIUM)
    assert "Je donne mon avis" in cell.source
    # A measurement, when there is one, is what counts.
    actions.record_measurement(
        actor=None,
        demarche=demarche,
        indicator="aide",
        value=90,
        measured_on=timezone.localdate(),
        source="Enquête",
    )
    assert observatory_rows([demarche])[0].cell("aide").value == Decimal(90)


def test_help_reachable_needs_enough_reviews(settings):
    settings.ECOUTE_DEMARCHE_MIN_REVIEWS = 10
    demarche = DemarcheFactory()
    actions.submit_feedback(demarche=demarche, satisfaction="bien", help="obtenue")
    assert observatory_rows([demarche])[0].cell("aide").level == Level.NOT_MEASURED
