"""The remontées' actions: raise (masked, moderated), moderation's decisions through the
contract (queue, trash), status follow-up with its journal and e-mail, public summary,
account deletion."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ecoute.accounts.personal_data import registered_sections
from ecoute.moderation import actions as moderation
from ecoute.moderation.editing import edit_masks
from ecoute.moderation.masking import PHONE_MASK
from ecoute.moderation.models import MaskedText, ModerationItem, ModerationState
from ecoute.remontees import actions
from ecoute.remontees.models import PublicSummary, Remontee, Status, StatusChange, Support
from tests.factories import (
    AgentMembershipFactory,
    OrganisationFactory,
    PublicSummaryFactory,
    RemonteeFactory,
    SupportFactory,
    UserFactory,
)

from .world import raise_form_data

pytestmark = pytest.mark.django_db


def _raise(world, *, author=None, organisation=None, **overrides):
    data = raise_form_data(world.organisation) | overrides
    data.pop("organisation")
    return actions.raise_remontee(
        author=author or world.author, organisation=organisation or world.organisation, **data
    )


def test_raise_masks_before_storage_and_joins_the_moderation_queue(world):
    remontee = _raise(world)
    assert "06 12 34 56 78" not in remontee.description and PHONE_MASK in remontee.description
    assert remontee.masked_items >= 1
    assert remontee.network == world.organisation.network
    stored = Remontee.objects.get()
    assert "06 12 34 56 78" not in stored.description
    item = ModerationItem.objects.get(object_id=remontee.pk, kind="remontee")
    assert item.state == ModerationState.PENDING and item.awaiting
    assert item.network_id == world.organisation.network_id
    # The unmasked original is kept for moderators only (decision 0012).
    assert MaskedText.objects.filter(object_id=remontee.pk, field="description").exists()


def test_raise_refuses_what_it_must(world):
    unconfirmed = AgentMembershipFactory(
        organisation=world.organisation, user__unconfirmed=True
    ).user
    for author, organisation in [
        (UserFactory(), world.organisation),  # not an agent
        (world.author, world.elsewhere),  # not one of the author's organisations
        (unconfirmed, world.organisation),
    ]:
        with pytest.raises(PermissionDenied):
            _raise(world, author=author, organisation=organisation)
    for bad in [
        {"theme": "inconnu"},
        {"scope": "demarche", "demarche_name": "  "},
        {"title": "x" * 151},
    ]:
        with pytest.raises(ValidationError):
            _raise(world, **bad)
    assert not Remontee.objects.exists()


def test_a_demarche_is_named_only_when_it_is_concerned(world):
    about = _raise(world, scope="demarche", demarche_name="Demande de RSA en ligne")
    assert about.demarche_name == "Demande de RSA en ligne"
    other = _raise(world, scope="organisation", demarche_name="ignoré", title="Autre titre ici")
    assert other.demarche_name == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        Remontee.objects.filter(pk=other.pk).update(scope="demarche")


def test_moderation_publishes_hides_and_the_public_trash_never_names_it(world, client):
    moderator = world.users["moderator"]
    remontee = _raise(world)
    moderation.publish(actor=moderator, target=remontee)
    remontee.refresh_from_db()
    assert remontee.is_published and remontee.published_at is not None
    moderation.hide(actor=moderator, target=remontee, reason="Propos injurieux")
    remontee.refresh_from_db()
    assert remontee.visibility == "hidden" and remontee.hidden_reason == "Propos injurieux"
    # An agents' internal text: not even its title goes to the public trash.
    for params in ({"type": "remontee"}, {}):
        trash = client.get(reverse("moderation:trash"), params)
        assert trash.status_code == 200
        assert remontee.title not in trash.text and "Propos injurieux" not in trash.text
        assert "chaque validation" not in trash.text


def test_moderation_queue_lists_remontees_with_their_kind(world, client):
    remontee = _raise(world)
    client.force_login(world.users["moderator"])
    page = client.get(reverse("moderation:queue"))
    assert page.status_code == 200
    assert remontee.title in page.text and "emontée d&#x27;agent" in page.text
    item = ModerationItem.objects.get(kind="remontee")
    detail = client.get(reverse("moderation:item", args=[item.pk]))
    assert detail.status_code == 200 and remontee.title in detail.text


def test_moderator_can_mask_a_passage_by_hand(world):
    remontee = _raise(world)
    edit_masks(
        actor=world.users["moderator"], target=remontee, field="description", add="mise à jour"
    )
    remontee.refresh_from_db()
    assert "mise à jour" not in remontee.description


def test_status_change_is_journalled_and_the_author_is_told(
    world, django_capture_on_commit_callbacks
):
    remontee = RemonteeFactory(published=True, organisation=world.organisation, author=world.author)
    manager = world.users["manager"]
    with django_capture_on_commit_callbacks(execute=True):
        change = actions.set_remontee_status(
            actor=manager,
            remontee=remontee,
            status=Status.STUDYING,
            comment="Transmis à l'éditeur, rappel au 06 12 34 56 78",
        )
    remontee.refresh_from_db()
    assert remontee.status == Status.STUDYING and remontee.status_changed_at is not None
    assert change.actor == manager and change.from_status == Status.RECEIVED
    assert "06 12 34 56 78" not in change.comment
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.author.email]
    assert "À l'étude" in message.subject and remontee.get_absolute_url() in message.body
    with pytest.raises(ValidationError):  # the same status again
        actions.set_remontee_status(actor=manager, remontee=remontee, status=Status.STUDYING)
    with pytest.raises(ValidationError):
        actions.set_remontee_status(actor=manager, remontee=remontee, status="perdue")
    with pytest.raises(PermissionDenied):
        actions.set_remontee_status(
            actor=world.users["agent_a"], remontee=remontee, status=Status.CLOSED
        )
    assert StatusChange.objects.count() == 1


def test_status_cannot_move_before_publication(world):
    remontee = RemonteeFactory(organisation=world.organisation)
    with pytest.raises(PermissionDenied):
        actions.set_remontee_status(
            actor=world.users["manager"], remontee=remontee, status=Status.STUDYING
        )


def test_public_summary_is_masked_moderated_and_rewritten_back_to_review(world):
    remontee = RemonteeFactory(published=True, organisation=world.organisation)
    manager = world.users["manager"]
    summary = actions.write_public_summary(
        actor=manager,
        remontee=remontee,
        title="Un correctif est prévu",
        body="Le blocage est connu ; contact : jean.martin@example.org. Correctif en mars.",
    )
    assert summary.visibility == "pending" and "jean.martin@example.org" not in summary.body
    item = ModerationItem.objects.get(kind="synthese-remontee")
    assert item.state == ModerationState.PENDING
    moderation.publish(actor=world.users["moderator"], target=summary)
    summary.refresh_from_db()
    assert summary.visibility == "published"
    again = actions.write_public_summary(
        actor=manager, remontee=remontee, title="Correctif livré", body="Le correctif est livré."
    )
    assert again.pk == summary.pk and again.visibility == "pending"
    item.refresh_from_db()
    assert item.state == ModerationState.PENDING
    with pytest.raises(PermissionDenied):
        actions.write_public_summary(
            actor=world.users["agent_a"], remontee=remontee, title="x" * 10, body="y" * 40
        )
    assert PublicSummary.objects.count() == 1


def test_support_is_idempotent_and_refused_to_the_author(world):
    remontee = RemonteeFactory(published=True, organisation=world.organisation, author=world.author)
    agent = world.users["agent_same_network"]
    assert actions.set_support(user=agent, remontee=remontee, active=True) == 1
    assert actions.set_support(user=agent, remontee=remontee, active=True) == 1
    assert actions.set_support(user=agent, remontee=remontee, active=False) == 0
    assert actions.set_support(user=agent, remontee=remontee, active=False) == 0
    for refused in (world.author, world.users["agent_b"], world.users["citizen"]):
        with pytest.raises(PermissionDenied):
            actions.set_support(user=refused, remontee=remontee, active=True)
    pending = RemonteeFactory(organisation=world.organisation)
    with pytest.raises(PermissionDenied):
        actions.set_support(user=agent, remontee=pending, active=True)


def test_one_support_per_account_is_a_database_constraint():
    support = SupportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(user=support.user, remontee=support.remontee)


def _section():
    return next(section for section in registered_sections() if section.key == "remontees")


def test_account_deletion_keeps_or_removes_remontees(world):
    kept = RemonteeFactory(published=True, organisation=world.organisation, author=world.author)
    PublicSummaryFactory(remontee=kept)
    SupportFactory(remontee=kept)
    export = _section().export(world.author)
    assert [row["id"] for row in export["raised"]] == [kept.pk]
    with transaction.atomic():
        _section().erase(user=world.author, keep_contributions=True)
    kept.refresh_from_db()
    assert kept.author is None
    other = RemonteeFactory(published=True, organisation=OrganisationFactory())
    PublicSummaryFactory(remontee=other)
    content_type = ContentType.objects.get_for_model(Remontee)
    with transaction.atomic():
        _section().erase(user=other.author, keep_contributions=False)
    assert not Remontee.objects.filter(pk=other.pk).exists()
    assert not ModerationItem.objects.filter(content_type=content_type, object_id=other.pk).exists()
    assert (
        not ModerationItem.objects.filter(kind="synthese-remontee", title__contains="")
        .exclude(object_id__in=PublicSummary.objects.values("pk"))
        .exists()
    )
