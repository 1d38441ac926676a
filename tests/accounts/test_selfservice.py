"""Account self-service: forgotten password, change password and address, JSON export,
deletion (both ways), expiry of unconfirmed accounts."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecoute.accounts import actions
from ecoute.accounts.models import User
from ecoute.accounts.personal_data import (
    PersonalDataSection,
    export_personal_data,
    register_section,
    registered_sections,
)
from ecoute.experiences import actions as experience_actions
from ecoute.experiences.models import Answer, Experience
from ecoute.moderation.actions import record_moderation_act
from ecoute.moderation.models import ModerationAction
from tests.factories import (
    PASSWORD,
    AgentMembershipFactory,
    AnswerFactory,
    ContactPointFactory,
    ExperienceFactory,
    UserFactory,
)
from tests.indicators.helpers import felt_counts

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-tout-nouveau-secret-77"


def _body(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


# --- Forgotten password -------------------------------------------------------------------


def test_forgotten_password_link_sets_a_new_password(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ECOUTE_SITE_URL = "https://ecoute.example"
    user = UserFactory(email="jeanne@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": " Jeanne@Example.ORG "})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jeanne@example.org"]
    link = re.search(r"https://ecoute\.example(/compte/mot-de-passe/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1))["Location"]  # Django hides the token from the page
    assert client.get(form_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert mail.outbox[-1].subject == "Votre mot de passe Écoute a été modifié"
    # The link served once: it no longer works.
    response = client.get(link.group(1), follow=True)
    assert "Lien non valable" in _body(response)
    login = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert login.status_code == 200  # the old password is refused


def test_forgotten_password_answers_the_same_whether_the_address_exists(client):
    UserFactory(email="known@example.org")
    known = client.post(reverse("accounts:password_reset"), {"email": "known@example.org"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    done = client.get(known["Location"])
    assert "Si un compte utilise cette adresse" in _body(done)


def test_forgotten_password_is_rate_limited_by_normalised_address(client):
    UserFactory(email="jeanne@example.org")
    url = reverse("accounts:password_reset")
    spellings = ["jeanne@example.org", "JEANNE@example.org", " Jeanne@Example.org "]
    for spelling in spellings:
        assert client.post(url, {"email": spelling}).status_code == 302
    assert client.post(url, {"email": "jeanne@EXAMPLE.org"}).status_code == 429
    assert len(mail.outbox) == 3
    # Another address still gets through (until the per-client limit).
    assert client.post(url, {"email": "autre@example.org"}).status_code == 302


def test_forgotten_password_is_rate_limited_by_client(client):
    url = reverse("accounts:password_reset")
    for number in range(10):
        assert client.post(url, {"email": f"a{number}@example.org"}).status_code == 302
    assert client.post(url, {"email": "b@example.org"}).status_code == 429


def test_forgotten_password_form_errors(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "pas-une-adresse"})
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in _body(response)


def test_tampered_reset_link_is_refused(client):
    response = client.get(
        reverse("accounts:password_reset_confirm", args=["MQ", "abc-def"]), follow=True
    )
    assert response.status_code == 200
    assert "Lien non valable" in _body(response)


@pytest.mark.parametrize(
    "name",
    ["password_reset", "password_reset_done", "password_reset_complete"],
)
def test_password_pages_answer_head(client, name):
    assert client.head(reverse(f"accounts:{name}")).status_code == 200


# --- Change password ----------------------------------------------------------------------


def test_change_password_keeps_this_session_and_notifies(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")
    wrong = client.post(
        url,
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in _body(wrong)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in
    assert mail.outbox[-1].to == [user.email]


def test_change_password_requires_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


# --- Change e-mail address ----------------------------------------------------------------


def _request_change(client, user, new_email, captured):
    client.force_login(user)
    with captured(execute=True):
        return client.post(
            reverse("accounts:change_email"), {"new_email": new_email, "password": PASSWORD}
        )


def test_change_email_takes_effect_only_once_confirmed(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="ancienne@example.org")
    response = _request_change(
        client, user, "Nouvelle@Example.org", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "ancienne@example.org"  # nothing changes before the link is opened
    assert mail.outbox[0].to == ["nouvelle@example.org"]
    link = re.search(r"/compte/adresse/confirmer/\S+/", mail.outbox[0].body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "nouvelle@example.org"
    assert user.email_confirmed_at is not None
    notice = mail.outbox[-1]
    assert notice.to == ["ancienne@example.org"]
    assert "nouvelle@example.org" in notice.body
    # The link served once: the address it was bound to is gone.
    assert client.get(link).status_code == 400


def test_change_email_to_a_taken_address_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="prise@example.org")
    user = UserFactory(email="moi@example.org")
    free = _request_change(client, user, "libre@example.org", django_capture_on_commit_callbacks)
    taken = _request_change(client, user, "PRISE@example.org", django_capture_on_commit_callbacks)
    assert free.status_code == taken.status_code == 302
    assert free["Location"] == taken["Location"]
    # The owner of the taken address is told; no link that could take it over is sent.
    assert mail.outbox[-1].to == ["prise@example.org"]
    assert "/compte/adresse/confirmer/" not in mail.outbox[-1].body


def test_change_email_link_fails_if_the_address_was_taken_meanwhile(client):
    user = UserFactory(email="moi@example.org")
    token = actions.make_email_change_token(user, "convoitee@example.org")
    UserFactory(email="convoitee@example.org")
    response = client.get(reverse("accounts:confirm_email_change", args=[token]))
    assert response.status_code == 400
    assert "utilisée par un autre compte" in _body(response)
    user.refresh_from_db()
    assert user.email == "moi@example.org"


@pytest.mark.parametrize(
    "token",
    [
        "pas-un-jeton",
        signing.dumps({"u": 1, "old": "x@example.org", "new": "y@example.org"}, salt="autre"),
        signing.dumps(["liste"], salt=actions.EMAIL_CHANGE_SALT),
        signing.dumps({"u": "1", "old": 3, "new": "y@example.org"}, salt=actions.EMAIL_CHANGE_SALT),
    ],
)
def test_bad_email_change_links_are_a_clear_400(client, token):
    UserFactory(email="x@example.org")
    response = client.get(reverse("accounts:confirm_email_change", args=[token]))
    assert response.status_code == 400
    assert "n'est pas valide" in _body(response)


def test_change_email_form_errors(client):
    user = UserFactory(email="moi@example.org")
    client.force_login(user)
    url = reverse("accounts:change_email")
    same = client.post(url, {"new_email": "MOI@example.org", "password": PASSWORD})
    assert same.status_code == 400 and "déjà l'adresse de votre compte" in _body(same)
    wrong = client.post(url, {"new_email": "autre@example.org", "password": "faux"})
    assert wrong.status_code == 400 and "Mot de passe incorrect." in _body(wrong)
    assert not mail.outbox
    assert client.head(url).status_code == 200


# --- Export ---------------------------------------------------------------------------------


def test_export_holds_the_account_its_experiences_and_answers_received(client):
    author = UserFactory(username="Jeanne", email="jeanne@example.org")
    experience = ExperienceFactory(author=author, published=True, title="Accueil rapide")
    answer = AnswerFactory(experience=experience, body="Merci pour votre retour.")
    ExperienceFactory(author=author, title="En attente")
    ExperienceFactory(title="Celle d'un autre")
    client.force_login(author)
    response = client.get(reverse("accounts:export_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ecoute-mes-donnees-')
    data = json.loads(response.content)
    assert data["format"] == "ecoute.personal-data" and data["version"] == 1
    assert data["account"]["pseudonym"] == "Jeanne"
    assert data["account"]["email"] == "jeanne@example.org"
    assert [item["title"] for item in data["experiences"]] == ["Accueil rapide", "En attente"]
    first = data["experiences"][0]
    assert first["status"] == "published"
    assert first["ratings"] == {
        "satisfaction": 2,
        "delays": 1,
        "accessibility": 3,
        "simplicity": 2,
        "relationship": 4,
    }
    assert first["contact_point"] == experience.contact_point.name
    [received] = first["answers_received"]
    assert received["service"] == answer.organisation.display_name
    assert received["body"] == "Merci pour votre retour."
    # DjangoJSONEncoder writes milliseconds.
    exported_at = dt.datetime.fromisoformat(received["created_at"])
    assert abs(exported_at - answer.created_at) < dt.timedelta(milliseconds=1)
    assert data["answers_written"] == []
    assert data["agent_memberships"] == []


def test_export_of_an_agent_lists_memberships_and_answers_written(client):
    membership = AgentMembershipFactory()
    answer = AnswerFactory(author=membership.user, body="Réponse de l'agence.")
    client.force_login(membership.user)
    data = json.loads(client.get(reverse("accounts:export_data")).content)
    assert data["agent_memberships"][0]["organisation"] == membership.organisation.display_name
    assert data["answers_written"][0]["experience_id"] == answer.experience_id
    assert data["answers_written"][0]["body"] == "Réponse de l'agence."


def test_apps_add_their_section_to_the_export(client):
    user = UserFactory()
    sections = registered_sections()
    register_section(PersonalDataSection(key="example_app", export=lambda u: [f"suivi de {u.pk}"]))
    try:
        assert export_personal_data(user)["example_app"] == [f"suivi de {user.pk}"]
    finally:
        from ecoute.accounts import personal_data

        personal_data._SECTIONS.pop("example_app")
    assert registered_sections() == sections


def test_export_queries_do_not_grow(client):
    author = UserFactory()
    client.force_login(author)
    url = reverse("accounts:export_data")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured.captured_queries)

    AnswerFactory(experience=ExperienceFactory(author=author, published=True))
    with_one = count()
    for _ in range(9):
        AnswerFactory(experience=ExperienceFactory(author=author, published=True))
    assert count() == with_one


def test_export_requires_login_and_answers_head(client):
    response = client.get(reverse("accounts:export_data"))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    client.force_login(UserFactory())
    assert client.head(reverse("accounts:export_data")).status_code == 200


# --- Deletion -------------------------------------------------------------------------------


@pytest.fixture
def author_world():
    contact_point = ContactPointFactory()
    moderator = UserFactory(moderator=True)
    author = UserFactory(username="Partante", email="partante@example.org")
    mine = ExperienceFactory(author=author, contact_point=contact_point)
    pending = ExperienceFactory(author=author, contact_point=contact_point)
    theirs = ExperienceFactory(contact_point=contact_point)
    for experience in (mine, theirs):
        experience_actions.publish_experience(actor=moderator, experience=experience)
    answer = AnswerFactory(experience=mine)
    return {
        "contact_point": contact_point,
        "author": author,
        "mine": mine,
        "pending": pending,
        "theirs": theirs,
        "answer": answer,
    }


def _delete(client, user, choice, captured, password=PASSWORD):
    client.force_login(user)
    with captured(execute=True):
        return client.post(
            reverse("accounts:delete_account"), {"contributions": choice, "password": password}
        )


def _summary(contact_point) -> tuple[int, int, int]:
    """(satisfied, ratings, sum) of the contact point's satisfaction roll-ups."""
    return felt_counts(contact_point)


def test_delete_account_removing_contributions(
    client, author_world, django_capture_on_commit_callbacks
):
    response = _delete(client, author_world["author"], "remove", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("ui:home")
    assert not User.objects.filter(username="Partante").exists()
    assert not Experience.objects.filter(
        pk__in=[author_world["mine"].pk, author_world["pending"].pk]
    ).exists()
    assert not Answer.objects.filter(pk=author_world["answer"].pk).exists()
    assert Experience.objects.filter(pk=author_world["theirs"].pk).exists()
    _satisfied, count, total = _summary(author_world["contact_point"])
    assert count == 1
    assert total == author_world["theirs"].rating_satisfaction
    assert mail.outbox[-1].to == ["partante@example.org"]
    # Signed out, and the address and pseudonym are free again.
    assert client.get(reverse("accounts:profile")).status_code == 302
    UserFactory(username="partante", email="PARTANTE@example.org")


def test_delete_account_keeping_contributions_anonymised(
    client, author_world, django_capture_on_commit_callbacks
):
    before = _summary(author_world["contact_point"])
    response = _delete(client, author_world["author"], "keep", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not User.objects.filter(username="Partante").exists()
    mine = Experience.objects.get(pk=author_world["mine"].pk)
    assert mine.author is None and mine.status == "published"
    assert Experience.objects.get(pk=author_world["pending"].pk).author is None
    assert Answer.objects.filter(pk=author_world["answer"].pk).exists()
    after = _summary(author_world["contact_point"])
    assert after == before
    page = _body(client.get(mine.get_absolute_url()))
    assert "Auteur anonyme" in page and "Partante" not in page


def test_delete_account_needs_the_password_and_a_choice(
    client, author_world, django_capture_on_commit_callbacks
):
    wrong = _delete(
        client, author_world["author"], "remove", django_capture_on_commit_callbacks, "faux"
    )
    assert wrong.status_code == 400 and "Mot de passe incorrect." in _body(wrong)
    no_choice = _delete(client, author_world["author"], "", django_capture_on_commit_callbacks)
    assert no_choice.status_code == 400
    assert User.objects.filter(username="Partante").exists()
    assert Experience.objects.filter(author=author_world["author"]).count() == 2


def test_delete_account_requires_login(client):
    response = client.post(reverse("accounts:delete_account"))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


@pytest.mark.parametrize("role", ["moderator", "admin", "agent_who_answered"])
def test_role_accounts_cannot_delete_themselves(client, role, django_capture_on_commit_callbacks):
    if role == "moderator":
        user = UserFactory(moderator=True)
    elif role == "admin":
        user = UserFactory(is_staff=True, is_superuser=True)
    else:
        user = AgentMembershipFactory().user
        AnswerFactory(author=user)
    client.force_login(user)
    page = client.get(reverse("accounts:delete_account"))
    assert page.status_code == 200 and 'data-testid="delete-refused"' in _body(page)
    response = _delete(client, user, "remove", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    with pytest.raises(actions.AccountDeletionRefused):
        actions.delete_account(user=user, keep_contributions=True)


def test_rows_that_must_stay_stop_the_deletion_and_undo_it(
    client, django_capture_on_commit_callbacks
):
    """A former moderator (flag removed) still authors journal entries: refused, and the
    contributions already erased in the same transaction come back."""
    former = UserFactory()
    mine = ExperienceFactory(author=former)
    record_moderation_act(actor=former, action=ModerationAction.PUBLISH, target=mine)
    response = _delete(client, former, "remove", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert "demandez sa suppression" in _body(response)
    assert User.objects.filter(pk=former.pk).exists()
    assert Experience.objects.filter(pk=mine.pk, author=former).exists()
    assert not mail.outbox


def test_an_agent_without_answers_can_delete_their_account(
    client, django_capture_on_commit_callbacks
):
    membership = AgentMembershipFactory()
    response = _delete(client, membership.user, "remove", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not User.objects.filter(pk=membership.user_id).exists()


# --- Expiry of unconfirmed accounts -------------------------------------------------------


def _joined(days_ago: float, **traits) -> User:
    return UserFactory(date_joined=timezone.now() - dt.timedelta(days=days_ago), **traits)


def test_purge_deletes_old_unconfirmed_accounts_only(settings):
    settings.ECOUTE_UNCONFIRMED_ACCOUNT_DAYS = 7
    expired = _joined(8, unconfirmed=True, email="oubli@example.org")
    recent = _joined(6, unconfirmed=True)
    confirmed = _joined(30)
    staff = _joined(30, unconfirmed=True, is_staff=True)
    moderator = _joined(30, unconfirmed=True, moderator=True)
    out = StringIO()
    call_command("purge_unconfirmed_accounts", "--dry-run", stdout=out)
    assert out.getvalue().startswith("1 compte")
    assert User.objects.filter(pk=expired.pk).exists()
    out = StringIO()
    call_command("purge_unconfirmed_accounts", stdout=out)
    assert out.getvalue().startswith("1 compte")
    remaining = set(User.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, confirmed.pk, staff.pk, moderator.pk}
    # The address is free again.
    UserFactory(email="OUBLI@example.org")


def test_purge_skips_accounts_that_rows_must_keep(settings):
    kept = _joined(30, unconfirmed=True)
    record_moderation_act(actor=kept, action=ModerationAction.PUBLISH, target=ExperienceFactory())
    gone = _joined(30, unconfirmed=True)
    assert actions.purge_unconfirmed_accounts(older_than=dt.timedelta(days=7)) == 1
    assert User.objects.filter(pk=kept.pk).exists()
    assert not User.objects.filter(pk=gone.pk).exists()


def test_purge_delay_comes_from_the_option_or_the_setting(settings):
    settings.ECOUTE_UNCONFIRMED_ACCOUNT_DAYS = 30
    user = _joined(10, unconfirmed=True)
    call_command("purge_unconfirmed_accounts", stdout=StringIO())
    assert User.objects.filter(pk=user.pk).exists()
    call_command("purge_unconfirmed_accounts", "--days", "9", stdout=StringIO())
    assert not User.objects.filter(pk=user.pk).exists()
    with pytest.raises(CommandError):
        call_command("purge_unconfirmed_accounts", "--days", "0")
