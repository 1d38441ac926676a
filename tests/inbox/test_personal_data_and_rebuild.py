"""The agent's notes and assignments in "download my data"; `rebuild_inbox` rewrites the same
entries as the actions."""

from django.core.management import call_command
from django.urls import reverse

from ecoute.accounts.personal_data import export_personal_data
from ecoute.inbox.models import InboxEntry
from tests.factories import ExperienceFactory
from tests.inbox.conftest import login


def test_export_holds_the_agent_notes_and_assignments(client, world, experience_a):
    client = login(client, world["agent_a"])
    client.post(reverse("inbox:note", args=[experience_a.pk]), {"body": "Vu au guichet."})
    client.post(reverse("inbox:assign", args=[experience_a.pk]), {"assignee": world["agent_a"].pk})
    section = export_personal_data(world["agent_a"])["inbox"]
    assert [note["body"] for note in section["internal_notes"]] == ["Vu au guichet."]
    assert [row["experience_id"] for row in section["assigned_experiences"]] == [experience_a.pk]


def test_rebuild_gives_the_rows_the_actions_wrote(client, world, experience_a, capsys):
    login(client, world["agent_a"]).post(
        reverse("inbox:assign", args=[experience_a.pk]), {"assignee": world["agent_a"].pk}
    )
    ExperienceFactory(contact_point=world["point_b"], published=True)
    fields = ["organisation_id", "experience_id", "state", "is_open", "assignee_id", "due_at"]
    before = sorted(InboxEntry.objects.values_list(*fields))
    InboxEntry.objects.all().delete()
    call_command("rebuild_inbox")
    assert "2 expérience(s)" in capsys.readouterr().out
    assert sorted(InboxEntry.objects.values_list(*fields)) == before
