"""Proposals in "download my data" and "delete my account"; feedback is anonymous."""

import pytest

from ecoute.accounts.actions import delete_account
from ecoute.accounts.personal_data import export_personal_data
from ecoute.demarches import actions
from ecoute.demarches.models import Feedback, Proposal
from ecoute.moderation.models import ModerationItem
from tests.factories import UserFactory

from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db


def _propose(user):
    return actions.propose_demarche(
        author=user, name="Aide au logement", url="https://www.caf.fr/", reason="Très utilisée."
    )


def test_export_lists_the_proposals():
    user = UserFactory()
    proposal = _propose(user)
    exported = export_personal_data(user)["demarches"]["proposals"]
    assert [row["id"] for row in exported] == [proposal.pk]
    assert exported[0]["demarche_url"] == "https://www.caf.fr/"


@pytest.mark.parametrize("keep", [True, False])
def test_deleting_the_account_keeps_or_removes_proposals(keep):
    user = UserFactory()
    proposal = _propose(user)
    actions.submit_feedback(demarche=DemarcheFactory(), satisfaction="bien")
    delete_account(user=user, keep_contributions=keep)
    if keep:
        assert Proposal.objects.get(pk=proposal.pk).author is None
    else:
        assert not Proposal.objects.exists()
        assert not ModerationItem.objects.filter(kind="proposition-demarche").exists()
    assert Feedback.objects.count() == 1  # anonymous: never linked to the account
