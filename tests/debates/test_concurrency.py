"""50 voters at once on PostgreSQL: every vote counted, exactly, once per account."""

import threading

import pytest
from django.db import connection, connections

from ecoute.accounts.models import User
from ecoute.debates import actions
from ecoute.debates.models import Contribution, Vote
from tests.factories import UserFactory

from .factories import ContributionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and races need PostgreSQL"
    ),
]
VOTERS = 50


def run_together(works):
    barrier = threading.Barrier(len(works))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(work):
        try:
            barrier.wait()
            work()
        except BaseException as error:  # noqa: BLE001 - asserted on
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_fifty_concurrent_voters_are_counted_exactly():
    contribution = ContributionFactory()
    voters = UserFactory.create_batch(VOTERS)
    values = ["pour", "contre", "mitige"]

    def voter(i):
        def work():
            actions.cast_vote(
                actor=User.objects.get(pk=voters[i].pk),
                contribution=Contribution.objects.select_related("section__consultation").get(
                    pk=contribution.pk
                ),
                value=values[i % 3],
            )

        return work

    assert run_together([voter(i) for i in range(VOTERS)]) == []
    contribution.refresh_from_db()
    assert contribution.votes_total == VOTERS == Vote.objects.count()
    assert contribution.votes_for == len(range(0, VOTERS, 3))
    assert contribution.votes_against == len(range(1, VOTERS, 3))
    assert contribution.votes_mixed == len(range(2, VOTERS, 3))

    # Everyone changes their mind at once: still exact.
    def changer(i):
        def work():
            actions.cast_vote(
                actor=User.objects.get(pk=voters[i].pk),
                contribution=Contribution.objects.select_related("section__consultation").get(
                    pk=contribution.pk
                ),
                value="pour",
            )

        return work

    assert run_together([changer(i) for i in range(VOTERS)]) == []
    contribution.refresh_from_db()
    assert (contribution.votes_for, contribution.votes_total) == (VOTERS, VOTERS)
    assert contribution.votes_against == contribution.votes_mixed == 0


def test_one_account_voting_twice_at_once_counts_once():
    contribution = ContributionFactory()
    voter = UserFactory()

    def work():
        actions.cast_vote(
            actor=User.objects.get(pk=voter.pk),
            contribution=Contribution.objects.select_related("section__consultation").get(
                pk=contribution.pk
            ),
            value="contre",
        )

    assert run_together([work] * 8) == []
    contribution.refresh_from_db()
    assert (contribution.votes_against, contribution.votes_total) == (1, 1)
    assert Vote.objects.filter(user=voter).count() == 1
