"""Agents' public answers through HTTP: preview then publish, one official answer per
organisation and explicit complements, idempotent publication (one e-mail per answer), edits
kept as public revisions, who may do what, and the masking that keeps the service's own
public contact details."""

import threading
import uuid

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoute.experiences import actions
from ecoute.experiences.models import Answer, AnswerRevision, Experience
from ecoute.experiences.queries import public_contact_details
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    AnswerRevisionFactory,
    ContactPointFactory,
    ExperienceFactory,
    FollowFactory,
    OrganisationFactory,
    UserFactory,
    answer_form_data,
)

pytestmark = pytest.mark.django_db

SERVICE_PHONE = "04 74 45 12 34"
THIRD_PARTY_PHONE = "06 12 34 56 78"
TEXT = f"Merci. Appelez notre accueil au {SERVICE_PHONE}, pas le {THIRD_PARTY_PHONE} de M. Dupont."


@pytest.fixture
def experience():
    point = ContactPointFactory(phone=SERVICE_PHONE)
    return ExperienceFactory(contact_point=point, published=True, author__email="jeanne@x.org")


def _agent(experience: Experience):
    return AgentMembershipFactory(organisation=experience.contact_point.organisation).user


def _answer_url(experience: Experience) -> str:
    return reverse("experiences:answer", args=[experience.pk])


def _as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _publish(client: Client, experience: Experience, text: str = TEXT, **extra: str):
    return client.post(_answer_url(experience), answer_form_data(text, **extra))


# Preview, then publish ---------------------------------------------------------------------


def test_preview_shows_the_masked_text_keeps_the_service_phone_and_publishes_nothing(experience):
    client = _as(_agent(experience))
    data = answer_form_data(TEXT, etape="apercu")
    response = client.post(_answer_url(experience), data)
    assert response.status_code == 200
    page = response.text
    preview = page[page.index('data-testid="answer-preview"') :]
    assert '<mark class="ecoute-masked">[téléphone masqué]</mark>' in preview
    assert SERVICE_PHONE in preview and THIRD_PARTY_PHONE not in preview.split("<form")[0]
    assert 'data-testid="preview-masked-count"' in page
    # The typed text and the one-time key travel in the confirmation form.
    assert f'name="jeton" value="{data["jeton"]}"' in page
    assert 'name="etape" value="publier"' in page
    assert not Answer.objects.exists()


def test_back_to_the_form_keeps_the_text(experience):
    client = _as(_agent(experience))
    response = client.post(_answer_url(experience), answer_form_data(TEXT, etape="modifier"))
    assert response.status_code == 200
    assert 'data-testid="answer-form"' in response.text
    assert "Appelez notre accueil" in response.text
    assert not Answer.objects.exists()


def test_publish_stores_the_masked_text_a_first_revision_and_sends_one_email(
    experience, django_capture_on_commit_callbacks
):
    follower = FollowFactory(contact_point=None, experience=experience).user
    client = _as(_agent(experience))
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(client, experience)
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{experience.get_absolute_url()}#answer-{answer.pk}"
    # The third party's phone and name are masked; the service's own phone is kept.
    assert answer.is_official and answer.masked_items == 2
    assert "Dupont" not in answer.body
    assert SERVICE_PHONE in answer.body and "[téléphone masqué]" in answer.body
    assert list(answer.revisions.values_list("body", flat=True)) == [answer.body]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["jeanne@x.org", follower.email]
    )
    page = client.get(experience.get_absolute_url()).text
    assert f'data-testid="answer-{answer.pk}"' in page
    assert THIRD_PARTY_PHONE not in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", "login"),
        ("citizen", 403),
        ("other_agent", 403),
        ("moderator", 403),
        ("agent", 302),
    ],
)
@pytest.mark.parametrize("step", ["apercu", "modifier", "publier"])
def test_who_may_preview_and_publish_an_answer(experience, role, expected, step):
    user = {
        "visitor": None,
        "citizen": UserFactory(),
        "other_agent": AgentMembershipFactory().user,
        "moderator": UserFactory(moderator=True),
        "agent": _agent(experience),
    }[role]
    response = _as(user).post(_answer_url(experience), answer_form_data(TEXT, etape=step))
    if expected == "login":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    elif expected == 403:
        assert response.status_code == 403
    else:
        assert response.status_code == (302 if step == "publier" else 200)
    assert Answer.objects.count() == (1 if role == "agent" and step == "publier" else 0)


def test_a_pending_experience_cannot_be_answered(experience):
    agent = _agent(experience)
    Experience.objects.filter(pk=experience.pk).update(status="pending")
    assert _publish(_as(agent), experience).status_code == 403


def test_get_is_not_allowed_on_the_answer_route(experience):
    assert _as(_agent(experience)).get(_answer_url(experience)).status_code == 405


@pytest.mark.parametrize(
    "data",
    [
        {"body": TEXT, "etape": "publier"},  # no one-time key
        {"body": TEXT, "etape": "publier", "jeton": "not-a-key"},
        {"body": "court", "etape": "publier", "jeton": uuid.uuid4().hex},
        {"body": "x" * 5001, "etape": "apercu", "jeton": uuid.uuid4().hex},
        {"body": "avec \x00 un caractère de contrôle", "jeton": uuid.uuid4().hex},
    ],
)
def test_bad_input_gives_the_form_back_with_a_400(experience, data):
    response = _as(_agent(experience)).post(_answer_url(experience), data)
    assert response.status_code == 400
    assert 'data-testid="answer-form"' in response.text
    assert not Answer.objects.exists()


# One official answer, complements, idempotence ---------------------------------------------


def test_a_double_click_publishes_once_and_emails_once(
    experience, django_capture_on_commit_callbacks
):
    client = _as(_agent(experience))
    data = answer_form_data(TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_answer_url(experience), data)
        second = client.post(_answer_url(experience), data)
    answer = Answer.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"].endswith(f"#answer-{answer.pk}")
    assert "déjà publiée" in client.get(second["Location"]).text
    assert [message.to for message in mail.outbox] == [["jeanne@x.org"]]


def test_a_second_official_answer_is_refused_and_offered_as_a_complement(experience):
    official = AnswerFactory(experience=experience)
    colleague = _agent(experience)
    response = _publish(_as(colleague), experience, "Nous avons aussi changé les horaires.")
    assert response.status_code == 409
    assert "déjà publié sa réponse officielle" in response.text
    assert "Nous avons aussi changé les horaires." in response.text
    assert 'name="complement" value="True"' in response.text
    assert list(Answer.objects.all()) == [official]


def test_the_detail_page_offers_a_complement_once_the_official_answer_exists(
    experience, django_capture_on_commit_callbacks
):
    agent = _agent(experience)
    client = _as(agent)
    assert 'name="complement" value="False"' in client.get(experience.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        _publish(client, experience)
    page = client.get(experience.get_absolute_url()).text
    assert 'data-testid="complement-help"' in page and 'name="complement" value="True"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(
            client, experience, "Complément : le guichet ouvre à 8 h.", complement="True"
        )
    assert response.status_code == 302
    official, complement = Answer.objects.order_by("pk")
    assert complement.follow_up_of == official and not complement.is_official
    assert "Complément de" in client.get(experience.get_absolute_url()).text
    # One e-mail per published answer.
    assert [message.to for message in mail.outbox] == [["jeanne@x.org"], ["jeanne@x.org"]]


def test_a_complement_without_an_official_answer_is_refused(experience):
    response = _publish(_as(_agent(experience)), experience, complement="True")
    assert response.status_code == 400
    assert "réponse officielle" in response.text
    assert not Answer.objects.exists()


def test_another_organisation_gives_its_own_official_answer(experience):
    AnswerFactory(experience=experience)
    direction = OrganisationFactory(network=experience.network)
    organisation = experience.contact_point.organisation
    organisation.parent = direction
    organisation.path = f"/{direction.pk}/{organisation.pk}/"
    organisation.save(update_fields=["parent", "path"])
    # An agent of the direction above answers in the direction's name: its own official one.
    direction_agent = AgentMembershipFactory(organisation=direction).user
    assert _publish(_as(direction_agent), experience).status_code == 302
    assert Answer.objects.filter(follow_up_of__isnull=True).count() == 2


def test_the_database_refuses_two_official_answers_of_one_organisation():
    answer = AnswerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerFactory(experience=answer.experience, organisation=answer.organisation)
    AnswerFactory(
        experience=answer.experience, organisation=answer.organisation, follow_up_of=answer
    )


def _post_at_once(posts: list[tuple[object, dict]], url: str) -> list[int]:
    """POST from one thread per (user, data), all released together; the status codes."""
    barrier = threading.Barrier(len(posts), timeout=30)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(user, data) -> None:  # noqa: ANN001
        try:
            client = _as(user)
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return statuses


@pytest.mark.django_db(transaction=True)
def test_agents_of_one_service_publishing_at_once_make_one_official_answer(
    django_capture_on_commit_callbacks,
):
    experience = ExperienceFactory(published=True)
    agents = [_agent(experience) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = _post_at_once(
            [(agent, answer_form_data(TEXT)) for agent in agents], _answer_url(experience)
        )
    assert sorted(statuses) == [302, 409, 409, 409, 409]
    assert Answer.objects.count() == 1 == AnswerRevision.objects.count()


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_five_times_at_once_publishes_one_answer():
    experience = ExperienceFactory(published=True)
    agent = _agent(experience)
    data = answer_form_data(TEXT)
    statuses = _post_at_once([(agent, data)] * 5, _answer_url(experience))
    assert statuses == [302] * 5
    assert Answer.objects.count() == 1 == AnswerRevision.objects.count()


# Edit and history ---------------------------------------------------------------------------


def _edit_url(answer: Answer) -> str:
    return reverse("experiences:answer_edit", args=[answer.pk])


def _history_url(answer: Answer) -> str:
    return reverse("experiences:answer_history", args=[answer.pk])


@pytest.fixture
def published(experience, django_capture_on_commit_callbacks):
    author = _agent(experience)
    with django_capture_on_commit_callbacks(execute=True):
        answer = actions.answer_experience(author=author, experience=experience, body=TEXT)
    mail.outbox.clear()
    return answer


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", "login"),
        ("citizen", 403),
        ("experience_author", 403),
        ("other_agent", 403),
        ("parent_agent", 403),
        ("moderator", 403),
        ("former_member", 403),
        ("author", 200),
        ("colleague", 200),
    ],
)
def test_who_may_edit_an_answer(published, role, expected):
    organisation = published.organisation
    direction = OrganisationFactory(network=organisation.network)
    organisation.parent = direction
    organisation.path = f"/{direction.pk}/{organisation.pk}/"
    organisation.save(update_fields=["parent", "path"])
    if role == "former_member":
        published.author.memberships.all().delete()
    user = {
        "visitor": None,
        "citizen": UserFactory(),
        "experience_author": published.experience.author,
        "other_agent": AgentMembershipFactory().user,
        "parent_agent": AgentMembershipFactory(organisation=direction).user,
        "moderator": UserFactory(moderator=True),
        "former_member": published.author,
        "author": published.author,
        "colleague": AgentMembershipFactory(organisation=organisation).user,
    }[role]
    client = _as(user)
    steps = [
        client.get(_edit_url(published)),
        client.post(_edit_url(published), {"body": "Texte corrigé.", "etape": "apercu"}),
        client.post(_edit_url(published), {"body": "Texte corrigé.", "etape": "publier"}),
    ]
    if expected == "login":
        assert all(reverse("accounts:login") in response["Location"] for response in steps)
    else:
        expected_codes = [403] * 3 if expected == 403 else [200, 200, 302]
        assert [response.status_code for response in steps] == expected_codes
    published.refresh_from_db()
    assert published.revisions.count() == (2 if expected == 200 else 1)
    assert (published.body == "Texte corrigé.") == (expected == 200)
    edit_link = f'data-testid="edit-answer-{published.pk}"'
    page = client.get(published.experience.get_absolute_url()).text
    assert (edit_link in page) == (expected == 200)


def test_an_edit_is_masked_kept_in_the_history_and_sends_no_email(
    published, django_capture_on_commit_callbacks
):
    client = _as(published.author)
    new_text = "Correction : écrivez à accueil@service.fr ou appelez le 06 98 76 54 32."
    preview = client.post(_edit_url(published), {"body": new_text, "etape": "apercu"})
    assert preview.text.count('<mark class="ecoute-masked">') == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_edit_url(published), {"body": new_text, "etape": "publier"})
        # A double click on "Publier" makes no second version.
        client.post(_edit_url(published), {"body": new_text, "etape": "publier"})
    assert response["Location"].endswith(f"#answer-{published.pk}")
    assert mail.outbox == []
    published.refresh_from_db()
    assert published.edited_at is not None and published.masked_items == 2
    assert published.revisions.count() == 2
    page = Client().get(published.experience.get_absolute_url()).text
    assert f'data-testid="answer-edited-{published.pk}"' in page and "modifiée le" in page
    assert _history_url(published) in page
    history = Client().get(_history_url(published))
    assert history.status_code == 200
    body = history.text
    assert "accueil@service.fr" not in body and "[adresse électronique masquée]" in body
    assert body.index("Correction") < body.index("Appelez notre accueil")  # newest first
    assert THIRD_PARTY_PHONE not in body


def test_a_hidden_answer_can_be_neither_edited_nor_its_history_seen(published):
    moderator = UserFactory(moderator=True)
    actions.hide_answer(actor=moderator, answer=published, reason="Propos inadaptés")
    assert _as(published.author).get(_edit_url(published)).status_code == 403
    assert Client().get(_history_url(published)).status_code == 404


def test_history_of_an_unknown_answer_or_unpublished_experience_is_404(published):
    assert Client().get(reverse("experiences:answer_history", args=[9999])).status_code == 404
    Experience.objects.filter(pk=published.experience_id).update(
        status="hidden", hidden_reason="Hors charte"
    )
    assert Client().get(_history_url(published)).status_code == 404
    assert _as(published.author).get(_edit_url(published)).status_code == 403


def test_edit_with_a_bad_text_gives_the_form_back(published):
    client = _as(published.author)
    response = client.post(_edit_url(published), {"body": "court", "etape": "publier"})
    assert response.status_code == 400
    assert published.revisions.count() == 1


# Query counts -------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_experience_page_and_history_queries_do_not_grow_with_answers_and_revisions(
    django_assert_max_num_queries,
):
    experience = ExperienceFactory(published=True)
    agent = _agent(experience)
    first = AnswerFactory(experience=experience, author=agent, edited_at="2026-01-01T10:00Z")
    AnswerRevisionFactory.create_batch(2, answer=first)
    counts = {
        "visitor": [_queries(Client(), experience.get_absolute_url())],
        "agent": [_queries(_as(agent), experience.get_absolute_url())],
        "history": [_queries(Client(), _history_url(first))],
    }
    for _ in range(10):
        follow_up = AnswerFactory(experience=experience, author=agent, follow_up_of=first)
        Answer.objects.filter(pk=follow_up.pk).update(edited_at="2026-01-02T10:00Z")
        AnswerRevisionFactory.create_batch(3, answer=follow_up)
    AnswerRevisionFactory.create_batch(30, answer=first)
    counts["visitor"].append(_queries(Client(), experience.get_absolute_url()))
    counts["agent"].append(_queries(_as(agent), experience.get_absolute_url()))
    counts["history"].append(_queries(Client(), _history_url(first)))
    for name, (before, after) in counts.items():
        assert before == after, name
    agent_client = _as(agent)
    with django_assert_max_num_queries(14):
        agent_client.get(experience.get_absolute_url())
    with django_assert_max_num_queries(6):
        Client().get(_history_url(first))


# Keeping the service's public contact details -------------------------------------------------


def test_public_contact_details_are_the_services_own_directory_entries():
    organisation = OrganisationFactory()
    own = ContactPointFactory(organisation=organisation, phone="04 74 00 00 01", address="2 rue A")
    ContactPointFactory(organisation=organisation, phone="", url="mailto:Accueil@Service.fr")
    elsewhere = ContactPointFactory(phone="04 74 00 00 09")
    details = public_contact_details(organisation=organisation)
    assert own.phone in details and "2 rue A" in details and "Accueil@Service.fr" in details
    assert elsewhere.phone not in details
    # The experience's own contact point is part of it (a service below the organisation).
    assert elsewhere.phone in public_contact_details(
        organisation=organisation, contact_point_id=elsewhere.pk
    )


def test_the_services_email_is_kept_whatever_its_case_a_third_partys_is_masked(experience):
    ContactPointFactory(
        organisation=experience.contact_point.organisation, url="mailto:accueil@caf.fr"
    )
    answer = actions.answer_experience(
        author=_agent(experience),
        experience=experience,
        body="Écrivez à ACCUEIL@caf.fr, pas à jean.dupont@gmail.com.",
    )
    assert answer.body == "Écrivez à ACCUEIL@caf.fr, pas à [adresse électronique masquée]."
