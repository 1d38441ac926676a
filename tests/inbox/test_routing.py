"""Routing: the move is journaled, the author told after commit, the receiver sees it in its
inbox and may answer it; the sender no longer does."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecoute.inbox import actions
from ecoute.inbox.models import Handling, InboxEntry, JournalEntry, JournalKind
from tests.factories import OrganisationFactory, answer_form_data
from tests.inbox.conftest import login

REASON = "Relève de l'assurance maladie (remboursement)."


def test_route_to_another_network_then_answer_there(
    client, world, experience_a, django_capture_on_commit_callbacks
):
    client = login(client, world["agent_a"])
    client.post(reverse("inbox:assign", args=[experience_a.pk]), {"assignee": world["agent_a"].pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inbox:route", args=[experience_a.pk]),
            {"organisation": world["cpam_agency"].pk, "reason": REASON},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("inbox:inbox")  # no longer A's
    experience_a.refresh_from_db()
    assert experience_a.handling_organisation == world["cpam_agency"]
    entry = JournalEntry.objects.get(experience=experience_a, kind=JournalKind.ROUTED)
    assert (entry.from_organisation, entry.to_organisation) == (
        world["agency_a"],
        world["cpam_agency"],
    )
    assert entry.reason == REASON
    # The author is told which service handles it now (not the internal reason).
    (message,) = [m for m in mail.outbox if m.to == [experience_a.author.email]]
    assert "CPAM de Bourg" in message.body
    assert REASON not in message.body
    # Out of A's inbox, in CPAM's, unassigned, with CPAM's own delay.
    organisations = set(
        InboxEntry.objects.filter(experience=experience_a).values_list("organisation", flat=True)
    )
    assert organisations == {world["cpam_agency"].pk}
    handling = Handling.objects.get(experience=experience_a)
    assert handling.assignee is None
    assert (handling.due_at - entry.created_at).days in (9, 10)
    assert client.get(reverse("inbox:item", args=[experience_a.pk])).status_code == 403
    denied = client.post(
        reverse("experiences:answer", args=[experience_a.pk]), answer_form_data("Réponse de A")
    )
    assert denied.status_code == 403
    client.logout()
    cpam = login(client, world["cpam_agent"])
    inbox = cpam.get(reverse("inbox:inbox")).content.decode()
    assert f'inbox-row-{experience_a.pk}"' in inbox
    answered = cpam.post(
        reverse("experiences:answer", args=[experience_a.pk]),
        answer_form_data("Nous reprenons votre dossier de remboursement."),
    )
    assert answered.status_code == 302
    assert experience_a.answers.get().organisation == world["cpam_agency"]


def test_route_to_the_parent_and_to_a_sibling(world, experience_a):
    actions.route_experience(
        actor=world["agent_a"],
        experience=experience_a,
        organisation=world["direction"],
        reason="À traiter par la direction.",
    )
    assert set(
        InboxEntry.objects.filter(experience=experience_a).values_list("organisation", flat=True)
    ) == {world["direction"].pk}
    actions.route_experience(
        actor=world["direction_agent"],
        experience=experience_a,
        organisation=world["agency_b"],
        reason="Agence compétente pour ce dossier.",
    )
    assert set(
        InboxEntry.objects.filter(experience=experience_a).values_list("organisation", flat=True)
    ) == {world["direction"].pk, world["agency_b"].pk}


def test_route_needs_a_reason_and_a_listed_target(client, world, experience_a):
    with pytest.raises(ValidationError):
        actions.route_experience(
            actor=world["agent_a"],
            experience=experience_a,
            organisation=world["cpam_agency"],
            reason="  ",
        )
    far = OrganisationFactory(name="Ailleurs")  # another département, another network
    with pytest.raises(PermissionDenied):
        actions.route_experience(
            actor=world["agent_a"], experience=experience_a, organisation=far, reason=REASON
        )
    response = login(client, world["agent_a"]).post(
        reverse("inbox:route", args=[experience_a.pk]), {"organisation": far.pk, "reason": REASON}
    )
    assert response.status_code == 400
    assert "Choisissez un service" in response.content.decode()


def test_an_answered_experience_is_not_routed(world, experience_a):
    from tests.factories import AnswerFactory

    AnswerFactory(experience=experience_a)
    with pytest.raises(PermissionDenied):
        actions.route_experience(
            actor=world["agent_a"],
            experience=experience_a,
            organisation=world["cpam_agency"],
            reason=REASON,
        )
