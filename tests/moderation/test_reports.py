"""Reports: filing (every role, one open report per account and target, rate limit), the
moderators' queue (roles, query counts), and decisions logged in the journal."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ecoute.experiences.models import Answer, ExperienceStatus
from ecoute.moderation.models import ModerationAction, ModerationLogEntry, Report, ReportStatus
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


# Queue and decisions -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_queue_is_for_moderators_only(client, role):
    report = ReportFactory()
    user = _actor(role, report.target.contact_point.organisation)
    if user:
        client.force_login(user)
    response = client.get(reverse("moderation:reports"))
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "moderator":
        assert response.status_code == 200
        assert report.target.title in response.content.decode()
    else:
        assert response.status_code == 403


def test_queue_queries_do_not_grow(client):
    client.force_login(UserFactory(moderator=True))

    def make_rows():
        ReportFactory()  # an experience
        ReportFactory(target=AnswerFactory())  # an answer

    urls = [reverse("moderation:reports")]
    with_one = _counts_for(1, make_rows, client, urls, 10)
    with_many = _counts_for(9, make_rows, client, urls, 10)  # 20 rows: one full page
    assert with_one == with_many


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["dismiss_report", "uphold_report"])
def test_decisions_for_every_role(client, role, decision):
    report = ReportFactory()
    experience = report.target
    user = _actor(role, experience.contact_point.organisation)
    if user:
        client.force_login(user)
    response = client.post(reverse(f"moderation:{decision}", args=[report.pk]), {"note": "Injure"})
    report.refresh_from_db()
    experience.refresh_from_db()
    if role != "moderator":
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert report.status == ReportStatus.OPEN
        assert experience.status == ExperienceStatus.PUBLISHED
        assert not ModerationLogEntry.objects.exists()
        return
    assert response.status_code == 302
    assert report.handled_by == user
    if decision == "dismiss_report":
        assert report.status == ReportStatus.DISMISSED
        assert experience.status == ExperienceStatus.PUBLISHED
        assert list(ModerationLogEntry.objects.values_list("action", flat=True)) == [
            ModerationAction.DISMISS_REPORT
        ]
    else:
        assert report.status == ReportStatus.UPHELD
        assert experience.status == ExperienceStatus.HIDDEN
        assert experience.hidden_reason == "Injure"
        assert set(ModerationLogEntry.objects.values_list("action", flat=True)) == {
            ModerationAction.HIDE,
            ModerationAction.UPHOLD_REPORT,
        }


def test_a_decision_closes_every_open_report_on_the_content(client):
    experience = ExperienceFactory(published=True)
    reports = ReportFactory.create_batch(3, target=experience)
    other = ReportFactory()
    client.force_login(UserFactory(moderator=True))
    queue = client.get(reverse("moderation:reports")).content.decode()
    assert "3 signalements ouverts sur ce contenu" in queue
    client.post(reverse("moderation:dismiss_report", args=[reports[0].pk]), {"note": ""})
    assert set(
        Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)
    ) == {ReportStatus.DISMISSED}
    other.refresh_from_db()
    assert other.status == ReportStatus.OPEN
    # A second decision on a closed report is refused with a message, not a 500.
    response = client.post(reverse("moderation:uphold_report", args=[reports[1].pk]), {"note": "x"})
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PUBLISHED


def test_upholding_an_answer_report_hides_the_answer(client):
    answer = AnswerFactory()
    report = ReportFactory(target=answer)
    client.force_login(UserFactory(moderator=True))
    client.post(reverse("moderation:uphold_report", args=[report.pk]), {"note": "Propos injurieux"})
    answer.refresh_from_db()
    assert answer.hidden_at is not None
    page = client.get(answer.experience.get_absolute_url()).content.decode()
    assert answer.body not in page
    entry = ModerationLogEntry.objects.get(action=ModerationAction.HIDE)
    assert entry.content_type == ContentType.objects.get_for_model(Answer)


def test_uphold_needs_a_reason_and_htmx_shows_it_in_place(client):
    report = ReportFactory()
    client.force_login(UserFactory(moderator=True))
    url = reverse("moderation:uphold_report", args=[report.pk])
    response = client.post(url, {"note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Indiquez le motif du masquage" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    response = client.post(url, {"note": "Spam"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Contenu masqué" in response.content.decode()
    assert "<html" not in response.content.decode()


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


def test_journal_and_queue_link_to_each_other(client):
    client.force_login(UserFactory(moderator=True))
    assert (
        reverse("moderation:reports") in client.get(reverse("moderation:journal")).content.decode()
    )
    assert reverse("moderation:reports") in client.get(reverse("moderation:queue")).content.decode()
