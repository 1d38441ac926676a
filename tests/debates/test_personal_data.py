"""Debates in "download my data" and "delete my account": counters stay exact."""

import pytest

from ecoute.accounts.actions import delete_account
from ecoute.accounts.personal_data import export_personal_data
from ecoute.debates import actions
from ecoute.debates.models import Argument, Contribution, Source, Vote
from ecoute.moderation.models import ModerationItem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(section):
    user, other = UserFactory(), UserFactory()
    mine = actions.propose_contribution(author=user, section=section, title="Mienne", body="Oui")
    theirs = actions.propose_contribution(author=other, section=section, title="Autre", body="Non")
    actions.cast_vote(actor=user, contribution=theirs, value="contre")
    actions.cast_vote(actor=other, contribution=theirs, value="pour")
    argument = actions.add_argument(author=user, contribution=theirs, side="pour", body="Car")
    actions.support_argument(actor=other, argument=argument)
    their_argument = actions.add_argument(author=other, contribution=theirs, side="pour", body="B")
    actions.support_argument(actor=user, argument=their_argument)
    actions.add_source(author=user, contribution=theirs, url="https://a.fr", title="A")
    return user, mine, theirs, their_argument


def test_export_lists_everything(activity):
    user, mine, _theirs, _argument = activity
    exported = export_personal_data(user)["debats"]
    assert [c["title"] for c in exported["contributions"]] == ["Mienne"]
    assert exported["votes"][0]["value"] == "contre"
    assert len(exported["arguments"]) == len(exported["sources"]) == 1
    assert len(exported["argument_supports"]) == 1


@pytest.mark.parametrize("keep", [True, False])
def test_deleting_the_account_moves_the_counters(activity, keep):
    user, mine, theirs, their_argument = activity
    delete_account(user=user, keep_contributions=keep)
    theirs.refresh_from_db()
    their_argument.refresh_from_db()
    assert (theirs.votes_for, theirs.votes_against, theirs.votes_total) == (1, 0, 1)
    assert their_argument.votes_count == 0
    assert Vote.objects.count() == 1
    if keep:
        assert Contribution.objects.get(pk=mine.pk).author is None
        assert (theirs.arguments_count, theirs.sources_count) == (2, 1)
    else:
        assert not Contribution.objects.filter(pk=mine.pk).exists()
        assert Argument.objects.count() == 1 and Source.objects.count() == 0
        assert (theirs.arguments_count, theirs.sources_count) == (1, 0)
        assert not ModerationItem.objects.filter(object_id=mine.pk, kind="contribution-debat")
