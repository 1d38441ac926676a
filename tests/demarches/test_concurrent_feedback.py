"""Feedback sent at the same moment, threads each with its own connection (SQLite here, and
PostgreSQL in the suite's PostgreSQL run): the first insert of the day's roll-up row is raced,
yet the roll-up counts exactly what was stored."""

import pytest
from django.urls import reverse

from ecoute.demarches.models import Feedback, FeedbackDay
from tests.common.clicks import click_at_once
from tests.factories import UserFactory

from .factories import DemarcheFactory


@pytest.mark.django_db(transaction=True)
def test_ten_feedbacks_at_once_count_exactly_ten():
    demarche = DemarcheFactory(slug="revenus")
    url = reverse("demarches:feedback", args=["revenus"])
    senders = [(url, UserFactory()) for _ in range(10)]
    data = {"satisfaction": "bien", "clarity": "4", "help": "obtenue", "comment": ""}
    assert click_at_once(senders, data) == [302] * 10
    day = FeedbackDay.objects.get(demarche=demarche)
    assert Feedback.objects.filter(demarche=demarche).count() == 10
    assert (day.count, day.satisfaction_points, day.clarity_sum) == (10, 100, 40)
    assert (day.help_sought, day.help_obtained) == (10, 10)
