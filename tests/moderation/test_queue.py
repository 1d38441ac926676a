"""The moderation contract through HTTP and actions: the queue of every contribution (roles,
filters, priority, bulk decisions, query counts), the trash, reports entering the queue, edits
of masks in place, and the database invariants."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ecoute.experiences import actions as experience_actions
from ecoute.experiences.models import Experience, ExperienceOrigin, ExperienceStatus
from ecoute.moderation import actions
from ecoute.moderation.editing import edit_masks
from ecoute.moderation.models import (
    MaskedText,
    ModerationAction,
    ModerationItem,
    ModerationLogEntry,
    ModerationState,
    Report,
    ReportStatus,
)
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    ContactPointFactory,
    ExperienceFactory,
    ReportFactory,
    UserFactory,
)
from tests.indicators.helpers import felt_counts

pytestmark = pytest.mark.django_db
QUEUE = "/moderation/"


def _item(target) -> ModerationItem:  # noqa: ANN001
    return ModerationItem.objects.get(object_id=target.pk, kind=_kind(target))


def _kind(target) -> str:  # noqa: ANN001
    return "experience" if isinstance(target, Experience) else "reponse"


def _order(client) -> list[int]:  # noqa: ANN001
    content = client.get(QUEUE).content.decode()
    items = ModerationItem.objects.filter(awaiting=True)
    positions = {item.pk: content.find(f'data-testid="item-{item.pk}"') for item in items}
    return [pk for pk, _ in sorted(positions.items(), key=lambda kv: kv[1]) if _ >= 0]


def test_submit_puts_the_experience_in_the_queue_and_keeps_the_original_privately(client):
    author = UserFactory()
    experience = experience_actions.submit_experience(
        author=author,
        contact_point=ContactPointFactory(),
        occurred_on=timezone.localdate(),
        channel="guichet",
        sentiment="negative",
        ratings=experience_actions.Ratings(2, 2, 2, 2, 2),
        title="Rendez-vous manqué",
        body="Appelez-moi au 06 12 34 56 78, demandez Mme Durand.",
    )
    item = _item(experience)
    assert item.state == ModerationState.PENDING and item.awaiting
    assert "06 12" not in experience.body
    client.force_login(UserFactory(moderator=True))
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "06 12 34 56 78" in page  # the moderator sees the detected span
    public = client.get(experience.get_absolute_url())
    assert "06 12 34 56 78" not in public.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("usager", 403), ("agent", 403), ("moderator", 200)],
)
def test_queue_and_decisions_for_every_role(client, role, status):
    experience = ExperienceFactory()
    user = {
        "anonymous": lambda: None,
        "usager": UserFactory,
        "agent": lambda: AgentMembershipFactory().user,
        "moderator": lambda: UserFactory(moderator=True),
    }[role]()
    if user:
        client.force_login(user)
    assert client.get(QUEUE).status_code == status
    response = client.post(
        reverse("moderation:decide"), {"items": [_item(experience).pk], "decision": "publish"}
    )
    assert response.status_code == (302 if role in {"anonymous", "moderator"} else 403)
    experience.refresh_from_db()
    expected = ExperienceStatus.PUBLISHED if role == "moderator" else ExperienceStatus.PENDING
    assert experience.status == expected


def test_old_queue_url_redirects(client):
    client.force_login(UserFactory(moderator=True))
    response = client.get("/moderation/experiences/")
    assert response.status_code == 301
    assert response["Location"] == QUEUE


def test_bulk_publish_runs_the_callbacks_and_journals_each_item(client):
    experiences = [ExperienceFactory() for _ in range(3)]
    moderator = UserFactory(moderator=True)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:decide"),
        {"items": [_item(e).pk for e in experiences[:2]], "decision": "publish"},
        follow=True,
    )
    assert "2 éléments publiés." in response.content.decode()
    for experience in experiences[:2]:
        experience.refresh_from_db()
        assert experience.status == ExperienceStatus.PUBLISHED
        assert experience.published_at is not None
        assert _item(experience).state == ModerationState.PUBLISHED
        assert not _item(experience).awaiting
        assert felt_counts(experience.contact_point)[1] == 1  # roll-up
    assert ModerationLogEntry.objects.filter(action=ModerationAction.PUBLISH).count() == 2
    assert _item(experiences[2]).state == ModerationState.PENDING


def test_bulk_hide_requires_a_reason_with_a_form_error(client):
    experience = ExperienceFactory()
    client.force_login(UserFactory(moderator=True))
    response = client.post(
        reverse("moderation:decide"),
        {"items": [_item(experience).pk], "decision": "hide", "reason": " "},
    )
    assert response.status_code == 400
    assert "Indiquez le motif du masquage : il est public." in response.content.decode()
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PENDING
    response = client.post(reverse("moderation:decide"), {"decision": "publish"})
    assert response.status_code == 400
    assert "Cochez au moins un élément." in response.content.decode()


def test_hidden_items_go_to_the_public_trash_with_reason_not_text(client):
    experience = ExperienceFactory(body="Texte injurieux très particulier.")
    actions.hide(actor=UserFactory(moderator=True), target=experience, reason="Propos injurieux")
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.HIDDEN
    page = client.get(reverse("moderation:trash")).content.decode()  # anonymous visitor
    assert experience.title in page
    assert "Propos injurieux" in page
    assert "Texte injurieux très particulier" not in page
    answers = client.get(reverse("moderation:trash") + "?type=reponse").content.decode()
    assert experience.title not in answers
    assert reverse("moderation:trash") in client.get(reverse("experiences:list")).content.decode()


def test_restore_publishes_a_hidden_item_and_journals_it():
    moderator = UserFactory(moderator=True)
    experience = ExperienceFactory(hidden=True)
    actions.restore(actor=moderator, target=experience)
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PUBLISHED
    assert ModerationLogEntry.objects.filter(action=ModerationAction.RESTORE).count() == 1
    with pytest.raises(Exception, match="masqué peut être restauré"):
        actions.restore(actor=moderator, target=experience)


def test_priority_reported_then_new_then_imported_then_oldest(client):
    now = timezone.now()
    imported_old = ExperienceFactory(origin=ExperienceOrigin.IMPORTED, author=None)
    new_recent = ExperienceFactory()
    new_old = ExperienceFactory()
    reported = ExperienceFactory(published=True)
    ModerationItem.objects.filter(pk=_item(imported_old).pk).update(
        created_at=now - dt.timedelta(days=400)
    )
    ModerationItem.objects.filter(pk=_item(new_old).pk).update(
        created_at=now - dt.timedelta(days=10)
    )
    ReportFactory(target=reported)
    ReportFactory(target=reported)
    once = ExperienceFactory(published=True)
    ReportFactory(target=once)
    client.force_login(UserFactory(moderator=True))
    assert _order(client) == [
        _item(e).pk for e in (reported, once, new_old, new_recent, imported_old)
    ]


def test_filters_narrow_the_queue_and_a_bad_one_is_a_400(client):
    kept = ExperienceFactory()
    other = ExperienceFactory()
    answer = AnswerFactory()
    ReportFactory(target=answer)
    client.force_login(UserFactory(moderator=True))

    def shown(query: str) -> set[int]:
        content = client.get(QUEUE + query).content.decode()
        return {
            i.pk for i in ModerationItem.objects.all() if f'data-testid="item-{i.pk}"' in content
        }

    assert shown("?type=reponse") == {_item(answer).pk}
    assert shown("?signale=on") == {_item(answer).pk}
    assert shown(f"?reseau={kept.network_id}") == {_item(kept).pk}
    assert _item(other).pk in shown("?origine=new")
    assert shown("?origine=imported") == set()
    assert shown("?age=30") == set()
    response = client.get(QUEUE + "?departement=zzz")
    assert response.status_code == 400
    assert "Code de département attendu" in response.content.decode()


def test_queue_counts_per_state_and_kind(client):
    ExperienceFactory()
    ExperienceFactory(published=True)
    client.force_login(UserFactory(moderator=True))
    content = client.get(QUEUE).content.decode()
    assert 'data-testid="count-experience-pending">1<' in content
    assert 'data-testid="count-experience-published">1<' in content


def test_queue_queries_do_not_grow(client, django_assert_max_num_queries):
    client.force_login(UserFactory(moderator=True))
    ExperienceFactory()
    ReportFactory(target=AnswerFactory())
    with django_assert_max_num_queries(11) as one:
        client.get(QUEUE)
    for _ in range(24):
        ExperienceFactory()
        ReportFactory(target=AnswerFactory())
    with django_assert_max_num_queries(11) as many:
        client.get(QUEUE)
    # One query per kind of content on the page: 25 reported answers fill the first page.
    assert len(many.captured_queries) <= len(one.captured_queries)
    with django_assert_max_num_queries(6):
        client.get(reverse("moderation:trash"))


def test_a_report_raises_the_item_and_the_reporter_is_told_the_outcome(
    client, django_capture_on_commit_callbacks
):
    answer = AnswerFactory()
    reporter = UserFactory()
    client.force_login(reporter)
    client.post(reverse("moderation:report", args=["reponse", answer.pk]), {"reason": "abuse"})
    item = _item(answer)
    assert item.open_reports == 1 and item.awaiting and item.priority == 1
    moderator = UserFactory(moderator=True)
    client.force_login(moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("moderation:decide"),
            {"items": [item.pk], "decision": "hide", "reason": "Propos injurieux"},
        )
    answer.refresh_from_db()
    assert answer.hidden_at is not None
    assert Report.objects.get().status == ReportStatus.UPHELD
    assert [m.to for m in mail.outbox] == [[reporter.email]]
    assert "a été masqué" in mail.outbox[0].body
    item.refresh_from_db()
    assert item.state == ModerationState.HIDDEN and not item.awaiting
    assert "Propos injurieux" in client.get(reverse("moderation:trash")).content.decode()


def test_keeping_reported_content_dismisses_the_reports_and_tells_the_reporter(
    django_capture_on_commit_callbacks,
):
    experience = ExperienceFactory(published=True)
    report = ReportFactory(target=experience)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(actor=UserFactory(moderator=True), target=experience)
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert "reste publié" in mail.outbox[0].body
    assert not _item(experience).awaiting


def test_a_moderator_unmasks_a_false_positive_and_masks_a_missed_passage(client):
    experience = experience_actions.submit_experience(
        author=UserFactory(),
        contact_point=ContactPointFactory(),
        occurred_on=timezone.localdate(),
        channel="guichet",
        sentiment="negative",
        ratings=experience_actions.Ratings(2, 2, 2, 2, 2),
        title="Accueil",
        # An employer's name the detector rightly leaves (not a person), that the moderator
        # judges identifying here.
        body="L'entreprise Bricomax m'a dit d'appeler le 01 45 67 89 10. Bricomax était pressée.",
    )
    item = _item(experience)
    moderator = UserFactory(moderator=True)
    client.force_login(moderator)
    url = reverse("moderation:edit_masks", args=[item.pk])
    client.post(url, {"champ": "body", "ajouter": "Bricomax"})
    experience.refresh_from_db()
    assert "Bricomax" not in experience.body
    assert experience.body.count("[masqué par la modération]") == 2
    spans = MaskedText.objects.get(field="body").spans
    phone = next(i for i, s in enumerate(spans) if s["kind"] == "phone")
    client.post(url, {"champ": "body", "basculer": str(phone)})  # a false positive
    experience.refresh_from_db()
    assert "01 45 67 89 10" in experience.body
    assert experience.masked_items == 2
    entries = ModerationLogEntry.objects.filter(action=ModerationAction.EDIT_MASKS)
    assert entries.count() == 2
    assert all("Martin" not in e.reason for e in entries)
    response = client.post(url, {"champ": "body", "ajouter": "Introuvable"}, follow=True)
    assert "ne figure pas" in response.content.decode()
    client.logout()
    client.force_login(UserFactory())
    assert client.post(url, {"champ": "body", "ajouter": "pressé"}).status_code == 403
    assert client.get(reverse("moderation:item", args=[item.pk])).status_code == 403


def test_edit_masks_refuses_unknown_field_and_span():
    experience = ExperienceFactory()
    moderator = UserFactory(moderator=True)
    with pytest.raises(Exception, match="Champ inconnu"):
        edit_masks(actor=moderator, target=experience, field="rating", add="xx")
    with pytest.raises(Exception, match="n'existe pas"):
        edit_masks(actor=moderator, target=experience, field="body", toggle=3)


def test_withdrawing_forgets_the_item():
    experience = ExperienceFactory()
    experience_actions.withdraw_experience(actor=experience.author, experience=experience)
    assert not ModerationItem.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"state": "hidden", "reason": ""}, {"state": "published"}, {"state": "limbo"}],
)
def test_item_invariants_are_database_constraints(changes):
    item = _item(ExperienceFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationItem.objects.filter(pk=item.pk).update(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "hidden", "hidden_reason": ""},
        {"status": "published", "published_at": None},
        {"status": "limbo"},
    ],
)
def test_experience_invariants_are_database_constraints(changes):
    experience = ExperienceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Experience.objects.filter(pk=experience.pk).update(**changes)


@pytest.mark.parametrize(
    ("status", "offered", "not_offered"),
    [
        ("pending", ["item-publish", "item-hide"], []),
        ("published", ["item-hide"], ["item-publish"]),  # no "Conserver" with nothing to decide
        ("hidden", ["item-publish"], ["item-hide"]),  # "Restaurer" only
    ],
)
def test_the_item_page_offers_only_decisions_that_change_something(
    client, status, offered, not_offered
):
    experience = ExperienceFactory(status="pending")
    moderator = UserFactory(moderator=True)
    if status == "published":
        actions.publish(actor=moderator, target=experience)
    elif status == "hidden":
        actions.hide(actor=moderator, target=experience, reason="Hors sujet")
    client.force_login(UserFactory(moderator=True))
    page = client.get(reverse("moderation:item", args=[_item(experience).pk])).content.decode()
    for testid in offered:
        assert f'data-testid="{testid}"' in page
    for testid in not_offered:
        assert f'data-testid="{testid}"' not in page
