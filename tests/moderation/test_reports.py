"""Reports: filing (every role, one open report per account and target, rate limit), the
queue's reported filter (roles, query counts, the former reports page redirecting to it), and
the item page's decisions on reported content (every role, logged in the journal, reporters
told)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from ecoute.experiences.models import Answer, ExperienceStatus
from ecoute.moderation import queries
from ecoute.moderation.models import (
    ModerationAction,
    ModerationItem,
    ModerationLogEntry,
    Report,
    ReportStatus,
)
from ecoute.moderation.registry import moderated_for
from ecoute.moderation.reporting import all_reportable
from tests.experiences.test_query_counts import _counts_for
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    ExperienceFactory,
    ReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "unconfirmed", "usager", "agent_other_org", "agent", "moderator"]


def _actor(role: str, organisation):  # noqa: ANN001, ANN202
    return {
        "anonymous": lambda: None,
        "unconfirmed": lambda: UserFactory(unconfirmed=True),
        "usager": UserFactory,
        "agent_other_org": lambda: AgentMembershipFactory().user,
        "agent": lambda: AgentMembershipFactory(organisation=organisation).user,
        "moderator": lambda: UserFactory(moderator=True),
    }[role]()


@pytest.fixture(params=["experience", "reponse"])
def content(request):  # noqa: ANN001, ANN201
    answer = AnswerFactory()
    return (request.param, answer.experience if request.param == "experience" else answer)


@pytest.mark.parametrize("role", ROLES)
def test_report_for_every_role(client, role, content):
    key, target = content
    experience = target if key == "experience" else target.experience
    user = _actor(role, experience.contact_point.organisation)
    if user:
        client.force_login(user)
    url = reverse("moderation:report", args=[key, target.pk])

    response = client.post(url, {"reason": "abuse", "comment": "Insultant envers l'agent."})

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role == "unconfirmed":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(experience.get_absolute_url())
        report = Report.objects.get()
        assert (report.reporter, report.reason, report.target) == (user, "abuse", target)
        # Thanked, and the content is still shown.
        page = client.get(response["Location"]).content.decode()
        assert "Merci pour votre signalement" in page
        assert (
            f'data-testid="{"experience" if key == "experience" else "answer"}-{target.pk}"' in page
        )
        return
    assert not Report.objects.exists()


def test_report_form_offers_the_reasons(client):
    client.force_login(UserFactory())
    experience = ExperienceFactory(published=True)
    response = client.get(reverse("moderation:report", args=["experience", experience.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ["Données personnelles", "Propos injurieux", "Hors sujet", "Spam", "Autre"]:
        assert label in html
    assert (
        client.head(reverse("moderation:report", args=["experience", experience.pk])).status_code
        == 200
    )


def test_pages_show_report_links(client):
    answer = AnswerFactory()
    html = client.get(answer.experience.get_absolute_url()).content.decode()
    assert reverse("moderation:report", args=["experience", answer.experience.pk]) in html
    assert reverse("moderation:report", args=["reponse", answer.pk]) in html


def test_one_open_report_per_account_and_target(client):
    user = UserFactory()
    client.force_login(user)
    experience = ExperienceFactory(published=True)
    url = reverse("moderation:report", args=["experience", experience.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 302
    response = client.post(url, {"reason": "other"})
    assert response.status_code == 400
    assert "déjà signalé ce contenu" in response.content.decode()
    assert Report.objects.count() == 1
    # Once handled, the same person may report it again.
    Report.objects.update(status=ReportStatus.DISMISSED, handled_at="2026-01-01T00:00Z")
    assert client.post(url, {"reason": "other"}).status_code == 302
    assert Report.objects.filter(status=ReportStatus.OPEN).count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"reason": "inconnu"}, {"reason": "spam", "comment": "x" * 1001}]
)
def test_bad_report_gives_a_form_error(client, data):
    client.force_login(UserFactory())
    experience = ExperienceFactory(published=True)
    response = client.post(reverse("moderation:report", args=["experience", experience.pk]), data)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_comment_is_masked(client):
    client.force_login(UserFactory())
    experience = ExperienceFactory(published=True)
    client.post(
        reverse("moderation:report", args=["experience", experience.pk]),
        {"reason": "personal_data", "comment": "Il cite jeanne.martin@example.org"},
    )
    assert "jeanne.martin@example.org" not in Report.objects.get().comment


def test_unseen_content_cannot_be_reported(client):
    client.force_login(UserFactory())
    pending = ExperienceFactory()
    hidden_answer = AnswerFactory(hidden_at="2026-01-01T00:00Z", hidden_reason="Injure")
    assert (
        client.get(reverse("moderation:report", args=["experience", pending.pk])).status_code == 404
    )
    assert (
        client.get(reverse("moderation:report", args=["reponse", hidden_answer.pk])).status_code
        == 404
    )
    assert client.get(reverse("moderation:report", args=["commune", 1])).status_code == 404
    assert client.get(reverse("moderation:report", args=["experience", 99999])).status_code == 404


def test_reports_are_rate_limited(client):
    client.force_login(UserFactory())
    experiences = ExperienceFactory.create_batch(21, published=True)
    statuses = [
        client.post(
            reverse("moderation:report", args=["experience", experience.pk]), {"reason": "spam"}
        ).status_code
        for experience in experiences
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert Report.objects.count() == 20


# The reported queue and the item page's decisions ------------------------------------------
# (the former reports page, /moderation/signalements/, is now the queue's reported filter)

REPORTED = "/moderation/?signale=on"


def _item(target) -> ModerationItem:  # noqa: ANN001
    kind = "reponse" if isinstance(target, Answer) else "experience"
    return ModerationItem.objects.get(kind=kind, object_id=target.pk)


def _decide(client, item: ModerationItem, decision: str, reason: str = ""):  # noqa: ANN001, ANN202
    """The item page's decision form, as its buttons send it."""
    return client.post(
        reverse("moderation:decide"),
        {
            "items": [item.pk],
            "from_item": item.pk,
            "next": reverse("moderation:item", args=[item.pk]),
            "decision": decision,
            "reason": reason,
        },
    )


@pytest.mark.parametrize("role", ROLES)
def test_reported_queue_and_item_page_are_for_moderators_only(client, role):
    report = ReportFactory()
    ExperienceFactory(published=True, title="Jamais signalé")
    user = _actor(role, report.target.contact_point.organisation)
    if user:
        client.force_login(user)
    responses = [
        client.get(REPORTED),
        client.get(reverse("moderation:item", args=[_item(report.target).pk])),
    ]
    for response in responses:
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        elif role == "moderator":
            assert response.status_code == 200
            assert report.target.title in response.content.decode()
        else:
            assert response.status_code == 403
    if role == "moderator":
        assert "Jamais signalé" not in responses[0].content.decode()


@pytest.mark.parametrize("role", ["anonymous", "usager", "moderator"])
def test_old_reports_page_redirects_permanently_to_the_reported_filter(client, role):
    if role != "anonymous":
        client.force_login(UserFactory(moderator=role == "moderator"))
    old = reverse("moderation:reports")
    assert old == "/moderation/signalements/"
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, REPORTED)
    # The queue's filters pass through; the old page's cursor (report order) and junk do not.
    response = client.get(old, {"type": "reponse", "apres": "abc", "x": "1", "signale": ""})
    assert response["Location"] == "/moderation/?type=reponse&signale=on"
    assert client.head(old).status_code == 301
    assert client.post(old).status_code == 405


def test_reported_queue_and_item_page_queries_do_not_grow(client):
    client.force_login(UserFactory(moderator=True))

    def make_rows():
        ReportFactory()  # an experience
        ReportFactory(target=AnswerFactory())  # an answer

    with_one = _counts_for(1, make_rows, client, [REPORTED], 11)
    with_many = _counts_for(9, make_rows, client, [REPORTED], 11)  # 20 rows: one full page
    assert with_one == with_many
    # The item's page lists its open reports in one query, however many there are.
    experience = ExperienceFactory(published=True)
    url = reverse("moderation:item", args=[_item(experience).pk])

    def report_it():
        ReportFactory(target=experience)

    with_one = _counts_for(1, report_it, client, [url], 12)
    with_many = _counts_for(19, report_it, client, [url], 12)
    assert with_one == with_many
    assert "20 signalements" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["publish", "hide"])
def test_item_page_decisions_for_every_role(
    client, role, decision, django_capture_on_commit_callbacks
):
    report = ReportFactory()
    experience = report.target
    item = _item(experience)
    user = _actor(role, experience.contact_point.organisation)
    if user:
        client.force_login(user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, item, decision, "Injure envers un agent")
    report.refresh_from_db()
    experience.refresh_from_db()
    if role != "moderator":
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert report.status == ReportStatus.OPEN
        assert experience.status == ExperienceStatus.PUBLISHED
        assert not ModerationLogEntry.objects.exists()
        assert not mail.outbox
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:item", args=[item.pk])
    assert report.handled_by == user
    assert report.decision_note == "Injure envers un agent"
    actions = set(ModerationLogEntry.objects.values_list("action", flat=True))
    [told] = [m for m in mail.outbox if m.to == [report.reporter.email]]
    if decision == "publish":  # "Conserver": the reports are dismissed
        assert report.status == ReportStatus.DISMISSED
        assert experience.status == ExperienceStatus.PUBLISHED
        assert actions == {ModerationAction.DISMISS_REPORT}
        assert "reste publié" in told.body
    else:  # "Masquer": the reports are upheld
        assert report.status == ReportStatus.UPHELD
        assert experience.status == ExperienceStatus.HIDDEN
        assert experience.hidden_reason == "Injure envers un agent"
        assert actions == {ModerationAction.HIDE, ModerationAction.UPHOLD_REPORT}
        assert "a été masqué" in told.body
    item.refresh_from_db()
    assert (item.open_reports, item.awaiting) == (0, False)
    assert experience.title not in client.get(REPORTED).content.decode()


def test_item_page_says_what_each_decision_does_to_the_reports(client):
    client.force_login(UserFactory(moderator=True))
    experience = ExperienceFactory(published=True)
    item = _item(experience)
    url = reverse("moderation:item", args=[item.pk])
    page = client.get(url).content.decode()
    # Published and not reported: hiding is the only decision that changes something.
    assert ">Conserver" not in page and ">Masquer</button>" in page
    assert 'data-testid="item-reports"' not in page

    ReportFactory.create_batch(2, target=experience)
    page = client.get(url).content.decode()
    assert "2 signalements" in page
    assert "Conserver (classer les signalements sans suite)" in page
    assert "Masquer (retenir les signalements)" in page
    assert "La décision vaut pour les 2 signalements" in page

    # Content hidden while reports stay open (reported, then hidden elsewhere): the decision
    # may still uphold them (journalled, without hiding it twice) or restore it.
    hidden = ExperienceFactory(hidden=True)
    ReportFactory(target=hidden)
    hidden_item = _item(hidden)
    page = client.get(reverse("moderation:item", args=[hidden_item.pk])).content.decode()
    assert "1 signalement" in page
    assert "Restaurer (classer les signalements sans suite)" in page
    assert "Retenir les signalements (déjà masqué)" in page
    _decide(client, hidden_item, "hide", "Propos injurieux")
    assert Report.objects.get(object_id=hidden.pk).status == ReportStatus.UPHELD
    assert list(ModerationLogEntry.objects.values_list("action", flat=True)) == [
        ModerationAction.UPHOLD_REPORT
    ]


def test_a_decision_closes_every_open_report_on_the_content(client):
    experience = ExperienceFactory(published=True)
    reports = ReportFactory.create_batch(3, target=experience)
    other = ReportFactory()
    client.force_login(UserFactory(moderator=True))
    item = _item(experience)
    reported = client.get(REPORTED).content.decode()
    assert f'data-testid="reported-{item.pk}">3 signalements<' in reported
    _decide(client, item, "publish")
    assert set(
        Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)
    ) == {ReportStatus.DISMISSED}
    other.refresh_from_db()
    assert other.status == ReportStatus.OPEN
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.reason) == (ModerationAction.DISMISS_REPORT, "Contenu conservé")
    # Deciding again once nothing is reported is refused with a message, not a 500.
    response = _decide(client, item, "publish")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "déjà publié" in page
    assert ">Conserver" not in page  # nothing left to decide: not offered again


def test_hiding_a_reported_answer_hides_the_answer(client):
    answer = AnswerFactory()
    report = ReportFactory(target=answer)
    client.force_login(UserFactory(moderator=True))
    _decide(client, _item(answer), "hide", "Propos injurieux")
    answer.refresh_from_db()
    report.refresh_from_db()
    assert answer.hidden_at is not None
    assert report.status == ReportStatus.UPHELD
    page = client.get(answer.experience.get_absolute_url()).content.decode()
    assert answer.body not in page
    entry = ModerationLogEntry.objects.get(action=ModerationAction.UPHOLD_REPORT)
    assert entry.content_type == ContentType.objects.get_for_model(Answer)
    assert "Propos injurieux" in client.get(reverse("moderation:trash")).content.decode()


def test_hiding_needs_a_reason_shown_beside_the_field(client):
    report = ReportFactory()
    client.force_login(UserFactory(moderator=True))
    response = _decide(client, _item(report.target), "hide", "  ")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="item-reason-error"' in page and "Indiquez le motif du masquage" in page
    assert "Masquer (retenir les signalements)" in page  # still the reported item's page
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN


def test_content_is_not_hidden_automatically(client):
    experience = ExperienceFactory(published=True)
    for _ in range(10):
        client.force_login(UserFactory())
        client.post(
            reverse("moderation:report", args=["experience", experience.pk]), {"reason": "spam"}
        )
    experience.refresh_from_db()
    assert Report.objects.count() == 10
    assert experience.status == ExperienceStatus.PUBLISHED


def test_queue_and_journal_link_to_the_reported_filter(client, monkeypatch):
    client.force_login(UserFactory(moderator=True))
    ReportFactory()
    ExperienceFactory()  # pending, not reported
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert f'href="{REPORTED}" data-testid="reports-link">Signalés (1)<' in queue
    journal = client.get(reverse("moderation:journal")).content.decode()
    assert f'href="{REPORTED}"' in journal
    assert reverse("moderation:reports") not in queue + journal  # no needless redirect
    # Capped like the other counts.
    ReportFactory(target=AnswerFactory())
    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    assert "Signalés (plus de 1)" in client.get(reverse("moderation:queue")).content.decode()


def test_only_moderated_content_is_reportable():
    """Reports are decided in the moderation queue: every reportable model is moderated."""
    assert {r.key for r in all_reportable()} >= {"experience", "reponse", "avis-demarche"}
    for reportable in all_reportable():
        assert moderated_for(reportable.model) is not None, reportable.key
