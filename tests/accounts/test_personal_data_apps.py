"""Every app's section of "download my data" (`/compte/mes-donnees.json`) and what "delete my
account" (`/compte/supprimer/`, both choices) leaves of it: follows, "moi aussi" / "utile",
complex documents (rows and private files), reports, FranceConnect identities."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecoute.accounts import actions
from ecoute.accounts.models import ExternalIdentity, User
from ecoute.documents import storage
from ecoute.documents.actions import answer_document
from ecoute.documents.models import Document
from ecoute.experiences.models import Answer, AnswerUseful, Experience, MeToo
from ecoute.follows.models import DigestDelivery, Follow, NotificationSettings
from ecoute.moderation.actions import record_moderation_act
from ecoute.moderation.models import (
    ModerationAction,
    ModerationItem,
    Report,
    ReportReason,
    ReportStatus,
)
from tests.factories import (
    PASSWORD,
    AgentMembershipFactory,
    AnswerFactory,
    AnswerUsefulFactory,
    ContactPointFactory,
    DigestDeliveryFactory,
    DocumentFactory,
    ExperienceFactory,
    ExternalIdentityFactory,
    FollowFactory,
    MeTooFactory,
    NotificationSettingsFactory,
    ReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def _export(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("accounts:export_data"))
    assert response.status_code == 200
    return json.loads(response.content)


def _delete(client, user, choice: str, captured) -> None:
    client.force_login(user)
    with captured(execute=True):
        response = client.post(
            reverse("accounts:delete_account"), {"contributions": choice, "password": PASSWORD}
        )
    assert response.status_code == 302, response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()


def _when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


# --- follows ----------------------------------------------------------------------------------


@pytest.fixture
def follower():
    user = UserFactory()
    service = FollowFactory(user=user, contact_point=ContactPointFactory(name="CAF de l'Ain"))
    story = ExperienceFactory(published=True, title="Accueil rapide")
    FollowFactory(user=user, contact_point=None, experience=story)
    NotificationSettingsFactory(user=user, experience_emails=False, service_frequency="daily")
    DigestDeliveryFactory(user=user, experience_count=3, answer_count=1)
    FollowFactory()  # someone else's
    return {"user": user, "service": service, "story": story}


def test_export_holds_follows_preferences_and_digests(client, follower):
    section = _export(client, follower["user"])["follows"]
    assert [(row["kind"], row["name"]) for row in section["following"]] == [
        ("contact_point", "CAF de l'Ain"),
        ("experience", "Accueil rapide"),
    ]
    assert section["following"][1]["url"].endswith(follower["story"].get_absolute_url())
    assert section["notification_settings"]["experience_emails"] is False
    assert section["notification_settings"]["service_frequency"] == "daily"
    [digest] = section["digests"]
    assert (digest["frequency"], digest["experience_count"], digest["answer_count"]) == (
        "daily",
        3,
        1,
    )


def test_export_gives_default_preferences_when_never_chosen(client):
    section = _export(client, UserFactory())["follows"]
    assert section == {
        "following": [],
        "notification_settings": {
            "experience_emails": True,
            "service_frequency": "weekly",
            "agent_alerts": "daily",
            "chosen_at": None,
        },
        "digests": [],
    }


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deletion_removes_follows_preferences_and_digests(
    client, follower, choice, django_capture_on_commit_callbacks
):
    _delete(client, follower["user"], choice, django_capture_on_commit_callbacks)
    assert not Follow.objects.filter(user_id=follower["user"].pk).exists()
    assert Follow.objects.count() == 1  # the other account's
    assert not NotificationSettings.objects.filter(user_id=follower["user"].pk).exists()
    assert not DigestDelivery.objects.exists()
    assert Experience.objects.filter(pk=follower["story"].pk).exists()  # not theirs


# --- "moi aussi" and "utile" ------------------------------------------------------------------


@pytest.fixture
def reactor():
    user = UserFactory()
    metoo = MeTooFactory(user=user, experience__title="Dossier perdu")
    useful = AnswerUsefulFactory(user=user)
    MeTooFactory(experience=metoo.experience)  # another account's, same experience
    return {"user": user, "metoo": metoo, "useful": useful}


def test_export_holds_metoo_and_useful(client, reactor):
    data = _export(client, reactor["user"])
    [metoo] = data["metoo"]
    assert metoo["experience_id"] == reactor["metoo"].experience_id
    assert metoo["title"] == "Dossier perdu"
    [useful] = data["answers_found_useful"]
    answer = reactor["useful"].answer
    assert useful["experience_id"] == answer.experience_id
    assert useful["service"] == answer.organisation.display_name


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deletion_leaves_reactions_unlinked_so_counts_stay_exact(
    client, reactor, choice, django_capture_on_commit_callbacks
):
    _delete(client, reactor["user"], choice, django_capture_on_commit_callbacks)
    metoo = MeToo.objects.get(pk=reactor["metoo"].pk)
    assert metoo.user_id is None
    experience = Experience.objects.get(pk=metoo.experience_id)
    assert experience.metoo_count == 2 == MeToo.objects.filter(experience=experience).count()
    useful = AnswerUseful.objects.get(pk=reactor["useful"].pk)
    assert useful.user_id is None
    assert Answer.objects.get(pk=useful.answer_id).useful_count == 1


# --- complex documents ------------------------------------------------------------------------


@pytest.fixture
def sender():
    user = UserFactory()
    agent = AgentMembershipFactory()
    pending = DocumentFactory(author=user, title="Formulaire Cerfa 1234")
    answered = DocumentFactory(
        author=user, published=True, contact_point__organisation=agent.organisation
    )
    answer_document(
        author=agent.user,
        document=answered,
        answer="Voici la marche à suivre.",
        simplified_text="Remplissez la case 3.",
        simplified_file_data=storage.path_for(answered.file_key).read_bytes(),
    )
    answered.refresh_from_db()
    other = DocumentFactory()
    return {
        "user": user,
        "agent": agent.user,
        "pending": pending,
        "answered": answered,
        "other": other,
    }


def _files(*documents: Document) -> list:
    keys = [key for d in documents for key in (d.file_key, d.simplified_file_key) if key]
    return [storage.path_for(key) for key in keys]


def test_export_holds_documents_metadata_not_bytes(client, sender):
    section = _export(client, sender["user"])["documents"]
    assert [row["id"] for row in section] == [sender["pending"].pk, sender["answered"].pk]
    pending, answered = section
    assert pending["title"] == "Formulaire Cerfa 1234"
    assert pending["difficulty"] == sender["pending"].difficulty
    assert pending["status"] == "pending" and pending["answer"] is None
    assert pending["file"] == {"type": "application/pdf", "size": sender["pending"].file_size}
    assert abs(_when(pending["created_at"]) - sender["pending"].created_at) < dt.timedelta(
        milliseconds=1
    )
    assert answered["status"] == "published" and answered["published_at"]
    assert answered["answer"]["body"] == "Voici la marche à suivre."
    assert answered["answer"]["simplified_text"] == "Remplissez la case 3."
    assert "%PDF" not in json.dumps(section)


def test_deletion_removing_contributions_deletes_documents_and_their_files(
    client, sender, django_capture_on_commit_callbacks
):
    mine = _files(sender["pending"], sender["answered"])
    assert len(mine) == 3 and all(path.exists() for path in mine)
    _delete(client, sender["user"], "remove", django_capture_on_commit_callbacks)
    assert list(Document.objects.values_list("pk", flat=True)) == [sender["other"].pk]
    assert not any(path.exists() for path in mine)
    assert all(path.exists() for path in _files(sender["other"]))


def test_deletion_keeping_contributions_leaves_documents_with_the_organisation(
    client, sender, django_capture_on_commit_callbacks
):
    _delete(client, sender["user"], "keep", django_capture_on_commit_callbacks)
    kept = Document.objects.filter(pk__in=[sender["pending"].pk, sender["answered"].pk])
    assert kept.count() == 2 and not kept.exclude(author=None).exists()
    assert all(path.exists() for path in _files(sender["pending"], sender["answered"]))
    # The organisation still reads the original.
    client.force_login(sender["agent"])
    original = client.get(reverse("documents:original", args=[sender["answered"].pk]))
    assert original.status_code == 200
    assert b"".join(original.streaming_content).startswith(b"%PDF")
    original.close()


def test_refused_deletion_keeps_documents_and_files(
    client, sender, django_capture_on_commit_callbacks
):
    """A row that must keep the account (a journal entry) undoes the whole deletion: the
    documents come back and no file was removed (files go only after commit)."""
    user = sender["user"]
    record_moderation_act(actor=user, action=ModerationAction.PUBLISH, target=sender["pending"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(actions.AccountDeletionRefused):
            actions.delete_account(user=user, keep_contributions=False)
    assert Document.objects.filter(author=user).count() == 2
    assert all(path.exists() for path in _files(sender["pending"], sender["answered"]))


# --- reports ----------------------------------------------------------------------------------


@pytest.fixture
def reporter():
    user = UserFactory()
    open_report = ReportFactory(reporter=user, reason=ReportReason.PERSONAL_DATA, comment="Nom")
    answer = AnswerFactory()
    handled = ReportFactory(
        reporter=user,
        target=answer,
        status=ReportStatus.DISMISSED,
        handled_by=UserFactory(moderator=True),
        handled_at=timezone.now(),
    )
    return {"user": user, "open": open_report, "handled": handled, "answer": answer}


def test_export_holds_the_reports_filed(client, reporter):
    section = _export(client, reporter["user"])["reports"]
    assert [(row["content"], row["content_id"], row["status"]) for row in section] == [
        ("experience", reporter["open"].object_id, "open"),
        ("answer", reporter["answer"].pk, "dismissed"),
    ]
    assert section[0]["reason"] == "personal_data" and section[0]["comment"] == "Nom"
    assert section[1]["handled_at"] is not None


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deletion_keeps_reports_for_the_moderators_without_their_reporter(
    client, reporter, choice, django_capture_on_commit_callbacks
):
    _delete(client, reporter["user"], choice, django_capture_on_commit_callbacks)
    reports = Report.objects.filter(pk__in=[reporter["open"].pk, reporter["handled"].pk])
    assert reports.count() == 2 and not reports.exclude(reporter=None).exists()
    assert list(Report.objects.filter(status=ReportStatus.OPEN)) == [reporter["open"]]
    # The open report still reaches the moderators: in the reported queue, then on the item's
    # page, its reporter shown as a deleted account.
    moderator = UserFactory(moderator=True)
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue"), {"signale": "on"})
    assert queue.status_code == 200
    target = reporter["open"].target
    assert target.title in queue.content.decode()
    item = ModerationItem.objects.get(kind="experience", object_id=target.pk)
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "Données personnelles" in page and "compte supprimé" in page


# --- FranceConnect identity -------------------------------------------------------------------


def test_export_says_a_franceconnect_identity_is_linked_without_its_sub(client):
    identity = ExternalIdentityFactory(subject="fc-secret-sub")
    data = _export(client, identity.user)
    [linked] = data["external_identities"]
    assert linked["provider"] == "franceconnect" and linked["subject_held"] is True
    assert "fc-secret-sub" not in json.dumps(data)
    assert _export(client, UserFactory())["external_identities"] == []


@pytest.mark.parametrize("keep", [True, False])
def test_deletion_removes_the_franceconnect_identity(keep):
    identity = ExternalIdentityFactory()
    other = ExternalIdentityFactory()
    actions.delete_account(user=identity.user, keep_contributions=keep)
    assert list(ExternalIdentity.objects.all()) == [other]


# --- all sections together --------------------------------------------------------------------


def test_export_queries_do_not_grow_with_the_rows(client):
    user = UserFactory()
    client.force_login(user)

    def add_rows() -> None:
        FollowFactory(user=user)
        MeTooFactory(user=user)
        AnswerUsefulFactory(user=user)
        DocumentFactory(author=user)
        ReportFactory(reporter=user)
        ReportFactory(reporter=user, target=AnswerFactory())

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:export_data")).status_code == 200
        return len(captured.captured_queries)

    add_rows()
    with_one = count()
    for _ in range(4):
        add_rows()
    assert count() == with_one
