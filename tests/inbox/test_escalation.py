"""Escalation: unanswered past the delay, an experience moves up to the parent organisation
through the periodic command; idempotent; shown as escalated in both inboxes."""

import datetime as dt

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ecoute.inbox.actions import escalate_overdue_experiences
from ecoute.inbox.models import Handling, InboxEntry, InboxState, JournalEntry, JournalKind
from tests.factories import AnswerFactory, ExperienceFactory
from tests.inbox.conftest import login


def _published_days_ago(world, days):  # noqa: ANN001, ANN202
    return ExperienceFactory(
        contact_point=world["point_a"],
        published=True,
        published_at=timezone.now() - dt.timedelta(days=days),
    )


def test_overdue_experience_escalates_once(client, world, capsys):
    overdue = _published_days_ago(world, 15 + 7 + 1)  # delay 15 + escalation 7, one day over
    not_yet = _published_days_ago(world, 15 + 6)
    answered = _published_days_ago(world, 60)
    AnswerFactory(experience=answered)
    call_command("escalate_overdue_experiences")
    assert "1 expérience(s) escaladée(s)." in capsys.readouterr().out
    call_command("escalate_overdue_experiences")
    assert "0 expérience(s) escaladée(s)." in capsys.readouterr().out
    entry = JournalEntry.objects.get(kind=JournalKind.ESCALATED)
    assert entry.experience == overdue
    assert (entry.from_organisation, entry.to_organisation) == (
        world["agency_a"],
        world["direction"],
    )
    assert not JournalEntry.objects.filter(experience__in=[not_yet, answered]).exists()
    states = dict(
        InboxEntry.objects.filter(experience=overdue).values_list("organisation", "state")
    )
    assert states == {
        world["agency_a"].pk: InboxState.ESCALATED,
        world["direction"].pk: InboxState.ESCALATED,
    }
    handling = Handling.objects.get(experience=overdue)
    assert handling.escalated_to == world["direction"]
    # The direction is a root: nothing above it, nothing scheduled.
    assert handling.escalates_at is None
    # Both inboxes show it as escalated; the direction's agents may answer it.
    for user in (world["agent_a"], world["direction_agent"]):
        page = login(client, user).get(reverse("inbox:inbox"), {"etat": "escalade"})
        assert [e.experience_id for e in page.context["page"].items] == [overdue.pk]
        item = client.get(reverse("inbox:item", args=[overdue.pk])).content.decode()
        assert 'data-testid="escalated"' in item
        assert 'data-testid="journal-escalade"' in item


def test_answering_stops_the_escalation(world):
    overdue = _published_days_ago(world, 30)
    AnswerFactory(experience=overdue)
    assert Handling.objects.get(experience=overdue).escalates_at is None
    assert escalate_overdue_experiences() == 0


def test_escalation_goes_one_level_at_a_time(world):
    from tests.factories import OrganisationFactory

    region = OrganisationFactory(name="Région", network=world["direction"].network)
    world["direction"].parent = region
    world["direction"].path = f"{region.path}{world['direction'].pk}/"
    world["direction"].save(update_fields=["parent", "path"])
    world["agency_a"].path = f"{world['direction'].path}{world['agency_a'].pk}/"
    world["agency_a"].save(update_fields=["path"])
    overdue = _published_days_ago(world, 23)
    now = timezone.now()
    assert escalate_overdue_experiences(now=now) == 1
    assert Handling.objects.get(experience=overdue).escalated_to == world["direction"]
    assert escalate_overdue_experiences(now=now) == 0
    later = now + dt.timedelta(days=15 + 7 + 1)
    assert escalate_overdue_experiences(now=later) == 1
    assert Handling.objects.get(experience=overdue).escalated_to == region
