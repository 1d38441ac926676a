"""Simultaneous clicks on PostgreSQL: the unique constraints keep one row, nobody gets a 500."""

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from ecoute.accounts.models import User
from ecoute.follows import actions
from ecoute.follows.models import DigestDelivery, Follow
from ecoute.moderation.actions import AlreadyReported, report_content
from ecoute.moderation.models import Report
from tests.factories import ContactPointFactory, ExperienceFactory, FollowFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and races need PostgreSQL"
    ),
]
THREADS = 8


def run_at_once(work: Callable[[], object]) -> tuple[list[object], list[BaseException]]:
    """Run `work` in THREADS threads released together; return results and errors."""
    barrier = threading.Barrier(THREADS)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target() -> None:
        try:
            barrier.wait()
            result = work()
            with lock:
                results.append(result)
        except BaseException as error:  # noqa: BLE001 - collected and asserted on
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_simultaneous_follows_make_one_row():
    user = UserFactory()
    contact_point = ContactPointFactory()

    def follow() -> object:
        return actions.follow_target(user=User.objects.get(pk=user.pk), target=contact_point)

    results, errors = run_at_once(follow)
    assert errors == []
    assert len({follow.pk for follow in results}) == 1
    assert Follow.objects.filter(user=user, contact_point=contact_point).count() == 1


def test_simultaneous_reports_make_one_open_report():
    reporter = UserFactory()
    experience = ExperienceFactory(published=True)

    def report() -> object:
        return report_content(
            reporter=User.objects.get(pk=reporter.pk), target=experience, reason="spam"
        )

    results, errors = run_at_once(report)
    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, AlreadyReported) for error in errors)
    assert Report.objects.filter(reporter=reporter).count() == 1


def test_simultaneous_digest_runs_deliver_once():
    user = FollowFactory().user
    period = actions.digest_period(frequency="weekly", today=dt.date(2026, 11, 30))

    results, errors = run_at_once(lambda: actions.deliver_digest(user=user, period=period))
    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert DigestDelivery.objects.filter(user=user).count() == 1
