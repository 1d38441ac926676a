"""The organiser builds a debate in the admin: sections, then their own contributions through
the add form (« Contribution de l'organisateur », pinned or not), written by
`actions.add_organiser_contribution`; every refusal a form error or a 302/403, never a 500."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ecoute.debates import actions
from ecoute.debates.models import Contribution, Contributors, Section, Visibility
from ecoute.moderation.models import ModerationItem, ModerationState
from tests.factories import UserFactory, staff_with_permissions

from .factories import ConsultationFactory, ContributionFactory, SectionFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:debates_contribution_add")
CHANGELIST = reverse("admin:debates_contribution_changelist")
SECTION_ADD = reverse("admin:debates_section_add")


@pytest.fixture
def draft_section(db):
    consultation = ConsultationFactory(draft=True, title="Fonction publique")
    return SectionFactory(
        consultation=consultation, title="Problématique", contributors=Contributors.ORGANISERS
    )


def _data(target: Section, **overrides: object) -> dict:
    data = {"section": target.pk, "title": "Le constat", "body": "Un texte.", "pinned": "on"}
    data.update(overrides)
    return data


def test_organiser_adds_a_pinned_contribution_to_a_draft_consultation(
    client, builder, draft_section
):
    client.force_login(builder)

    response = client.post(
        ADD, _data(draft_section, body="Écrivez à jean.dupont@example.org pour en parler.")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    contribution = Contribution.objects.get()
    assert contribution.by_organiser and contribution.pinned
    assert contribution.author == builder
    assert contribution.visibility == Visibility.PUBLISHED
    assert contribution.published_at is not None
    assert "jean.dupont@example.org" not in contribution.body  # masked like any contribution
    assert contribution.masked_items == 1
    item = ModerationItem.objects.get(
        content_type=ContentType.objects.get_for_model(Contribution), object_id=contribution.pk
    )
    assert item.state == ModerationState.PUBLISHED
    # The organiser is not a participant.
    assert not draft_section.consultation.participations.exists()


def test_add_form_names_each_section_with_its_consultation(client, builder, draft_section):
    client.force_login(builder)

    page = client.get(ADD).content.decode()

    assert "Fonction publique — Problématique" in page
    assert 'name="pinned"' in page
    assert 'name="votes_total"' not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"body": "   "}, "Ce champ est obligatoire."),
        ({"body": "x" * (actions.BODY_MAX_LENGTH + 1)}, "Texte : texte vide ou trop long."),
        ({"title": "x" * 201}, "au plus 200 caractères"),
        ({"title": "Bip\x07"}, "caractères non autorisés"),
        ({"section": "999999"}, "Sélectionnez un choix valide"),
        ({"section": "abc"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_a_form_error(client, builder, draft_section, overrides, message):
    client.force_login(builder)

    response = client.post(ADD, _data(draft_section, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "usager", "moderator"])
def test_non_staff_are_sent_to_the_admin_login(client, draft_section, role):
    user = {"anonymous": None, "usager": UserFactory(), "moderator": UserFactory(moderator=True)}
    if user[role] is not None:
        client.force_login(user[role])

    for response in (client.get(ADD), client.post(ADD, _data(draft_section))):
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    "apps",
    [
        (),  # staff without any permission
        ("debates",),  # the contribution permissions, not the organisers' rule
        ("consultations",),  # the organisers' rule, not the contribution permissions
    ],
)
def test_staff_without_the_permissions_get_403(client, draft_section, apps):
    client.force_login(staff_with_permissions(*apps))

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _data(draft_section)).status_code == 403
    assert not Contribution.objects.exists()


def test_the_action_refuses_non_organisers(draft_section):
    with pytest.raises(PermissionDenied):
        actions.add_organiser_contribution(
            actor=UserFactory(), section=draft_section, title="T", body="B"
        )


def test_change_form_still_answers_through_the_action(client, builder):
    proposal = ContributionFactory(title="Des stages")
    client.force_login(builder)
    change = reverse("admin:debates_contribution_change", args=[proposal.pk])

    page = client.get(change).content.decode()
    response = client.post(change, {"answer_status": "retenue", "answer": "Nous le ferons."})

    assert 'name="answer"' in page
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.answer_status == "retenue"
    assert proposal.answered_at is not None


def test_pin_without_the_organisers_rule_is_a_message_not_a_500(client):
    contribution = ContributionFactory()
    client.force_login(staff_with_permissions("debates"))

    response = client.post(
        CHANGELIST, {"action": "pin", "_selected_action": [contribution.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Réservé aux organisateurs." in response.content.decode()
    contribution.refresh_from_db()
    assert not contribution.pinned


def test_organiser_adds_a_section_with_its_rules(client, builder):
    consultation = ConsultationFactory(draft=True)
    client.force_login(builder)

    response = client.post(
        SECTION_ADD,
        {
            "consultation": consultation.pk,
            "kind": "propositions",
            "title": "Propositions",
            "slug": "propositions",
            "description": "",
            "order": "3",
            "contributors": "participants",
            "votes_allowed": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    section = Section.objects.get()
    assert section.votes_allowed and not section.arguments_allowed
    duplicate = client.post(
        SECTION_ADD,
        {
            "consultation": consultation.pk,
            "kind": "autre",
            "title": "Propositions bis",
            "slug": "propositions",
            "order": "4",
            "contributors": "participants",
        },
    )
    assert duplicate.status_code == 200
    assert Section.objects.count() == 1
    reserved = client.post(
        SECTION_ADD,
        {
            "consultation": consultation.pk,
            "kind": "autre",
            "title": "Résultats",
            "slug": "resultats",
            "order": "5",
            "contributors": "participants",
        },
    )
    assert reserved.status_code == 200
    assert Section.objects.count() == 1
