"""Telling an experience without an account: e-mail confirmed by a link + postal code."""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ecoute.experiences import guests
from ecoute.experiences.actions import Ratings
from ecoute.experiences.models import Experience, ExperienceStatus, GuestSubmission
from ecoute.moderation.masking import EMAIL_MASK, NIR_MASK, PHONE_MASK
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    DepartementFactory,
    GuestSubmissionFactory,
    UserFactory,
    answer_form_data,
    experience_form_data,
)

pytestmark = pytest.mark.django_db

GUEST_EMAIL = "Jeanne.Martin+ecoute@Example.org"


@pytest.fixture
def contact_point():
    return ContactPointFactory(name="Accueil CAF de Bourg-en-Bresse")


def guest_data(**overrides: str) -> dict[str, str]:
    return experience_form_data(email=GUEST_EMAIL, postal_code="01000") | overrides


def tell(client, contact_point, **overrides: str):
    return client.post(
        reverse("experiences:tell", args=[contact_point.pk]), guest_data(**overrides)
    )


def confirmation_path(message) -> str:
    link = re.search(r"http://\S+/experiences/confirmer/\S+/", message.body).group(0)
    return link.replace("http://127.0.0.1:8000", "")


def test_anonymous_visitor_gets_the_form_without_account(client, contact_point):
    url = reverse("experiences:tell", args=[contact_point.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for testid in ("guest-fields", "account-intents", "intent-login", "intent-signup"):
        assert f'data-testid="{testid}"' in page
    assert 'name="email"' in page and 'name="postal_code"' in page
    assert 'data-testid="intent-franceconnect"' not in page  # not configured in tests
    assert client.head(url).status_code == 200


def test_signed_in_user_gets_the_plain_form(client, contact_point):
    client.force_login(UserFactory())
    page = client.get(reverse("experiences:tell", args=[contact_point.pk])).content.decode()
    assert 'name="email"' not in page
    assert 'data-testid="account-intents"' not in page


def test_guest_submission_waits_for_its_link_then_enters_moderation(
    client, contact_point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = tell(client, contact_point)
    assert response.status_code == 302
    assert response["Location"] == reverse("experiences:tell_sent", args=[contact_point.pk])

    # Stored masked, unconfirmed, not an experience yet.
    submission = GuestSubmission.objects.get()
    assert submission.email == GUEST_EMAIL.lower()
    assert submission.postal_code == "01000"
    assert submission.confirmed_at is None and submission.experience is None
    body = submission.draft["body"]
    assert "06 12 34 56 78" not in body and "jeanne.martin@example.org" not in body
    assert PHONE_MASK in body and EMAIL_MASK in body and NIR_MASK in body
    assert submission.draft["masked_items"] == 3
    assert Experience.objects.count() == 0

    # The sender is told where the link went; the link is e-mailed to that address only.
    sent = client.get(response["Location"]).content.decode()
    assert GUEST_EMAIL.lower() in sent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [GUEST_EMAIL.lower()]
    assert "48 heures" in mail.outbox[0].body

    # The link: the experience enters moderation like an account's, without an author.
    response = client.get(confirmation_path(mail.outbox[0]))
    assert response.status_code == 200
    assert 'data-testid="guest-confirmed"' in response.content.decode()
    experience = Experience.objects.get()
    assert experience.status == ExperienceStatus.PENDING
    assert experience.author is None
    assert experience.masked_items == 3
    assert PHONE_MASK in experience.body
    submission.refresh_from_db()
    assert submission.experience == experience
    assert submission.confirmed_at is not None
    assert submission.draft == {}


def test_moderator_sees_it_agent_and_public_do_not_until_published(
    client, contact_point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(client, contact_point)
    client.get(confirmation_path(mail.outbox[0]))
    experience = Experience.objects.get()
    detail = reverse("experiences:detail", args=[experience.pk])

    assert client.get(detail).status_code == 404  # the guest has no account: nobody to show
    client.force_login(AgentMembershipFactory(organisation=contact_point.organisation).user)
    assert client.get(detail).status_code == 404
    moderator = UserFactory(moderator=True)
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert escape(experience.title) in queue
    assert GUEST_EMAIL.lower() not in queue

    # Published: notified at the confirmed address, shown without it.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("experiences:publish", args=[experience.pk]))
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[GUEST_EMAIL.lower()]]
    assert "a été publiée" in mail.outbox[0].body
    client.logout()
    page = client.get(detail).content.decode()
    assert escape(experience.title) in page
    assert "jeanne.martin" not in page.lower()
    assert "Auteur anonyme" in page

    # Answered: notified too.
    agent = AgentMembershipFactory(organisation=contact_point.organisation).user
    client.force_login(agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("experiences:answer", args=[experience.pk]),
            answer_form_data("Nous avons renforcé l'accueil du lundi matin."),
        )
    assert [message.to for message in mail.outbox] == [[GUEST_EMAIL.lower()]]


def test_reused_link_is_refused_clearly(client, contact_point, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(client, contact_point)
    path = confirmation_path(mail.outbox[0])
    assert client.get(path).status_code == 200
    response = client.get(path)
    assert response.status_code == 400
    assert "déjà été utilisé" in response.content.decode()
    assert Experience.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    ["abc", "eyJzIjoxfQ:1tAbCd:forged-signature", "x" * 300, "%00"],
)
def test_tampered_or_garbage_link_is_refused_clearly(client, token):
    response = client.get(reverse("experiences:confirm_guest", args=[token]))
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()
    assert Experience.objects.count() == 0


def test_link_bound_to_other_content_is_refused(client):
    # The link carries the submission id and a prefix of its fingerprint: if the row under
    # that id holds other content, nothing is confirmed.
    submission = GuestSubmissionFactory()
    token = guests.make_confirmation_token(submission)
    GuestSubmission.objects.filter(pk=submission.pk).update(fingerprint="f" * 64)
    response = client.get(reverse("experiences:confirm_guest", args=[token]))
    assert response.status_code == 410
    assert Experience.objects.count() == 0
    assert GuestSubmission.objects.filter(confirmed_at__isnull=False).count() == 0


def test_expired_link_is_refused_clearly(client, settings):
    submission = GuestSubmissionFactory()
    issued = time.time() - (settings.ECOUTE_GUEST_CONFIRMATION_HOURS + 1) * 3600
    with mock.patch("django.core.signing.time.time", return_value=issued):
        token = guests.make_confirmation_token(submission)
    response = client.get(reverse("experiences:confirm_guest", args=[token]))
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()
    assert Experience.objects.count() == 0


def test_fresh_link_to_an_old_submission_is_expired(client, settings):
    submission = GuestSubmissionFactory()
    GuestSubmission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=settings.ECOUTE_GUEST_CONFIRMATION_HOURS + 1)
    )
    response = client.get(
        reverse("experiences:confirm_guest", args=[guests.make_confirmation_token(submission)])
    )
    assert response.status_code == 410
    assert Experience.objects.count() == 0


def test_link_to_a_purged_submission_is_expired(client):
    submission = GuestSubmissionFactory()
    token = guests.make_confirmation_token(submission)
    submission.delete()
    response = client.get(reverse("experiences:confirm_guest", args=[token]))
    assert response.status_code == 410


@pytest.mark.parametrize(
    ("postal_code", "message"),
    [
        ("", "Ce champ est obligatoire"),
        ("7501", "5 chiffres"),
        ("75 0111", "5 chiffres"),
        ("ABCDE", "5 chiffres"),
        ("01000x", "5 chiffres"),
        ("99000", "aucun département"),
        ("00100", "aucun département"),
    ],
)
def test_invalid_postcode_is_a_form_error(client, contact_point, postal_code, message):
    response = tell(client, contact_point, postal_code=postal_code)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["postal_code"])
    assert message in errors
    assert GuestSubmission.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("postal_code", "departement"),
    [("01 000", "01"), ("20000", "2A"), ("97400", "974")],
)
def test_postcode_of_a_known_departement_is_accepted(
    client, contact_point, postal_code, departement
):
    DepartementFactory(code=departement, name=f"Département {departement}")
    assert tell(client, contact_point, postal_code=postal_code).status_code == 302
    assert GuestSubmission.objects.get().postal_code == postal_code.replace(" ", "")


def test_postcode_format_alone_is_checked_without_territories(client):
    contact_point = ContactPointFactory()
    from ecoute.territories.models import Departement

    with mock.patch.object(Departement.objects, "all", return_value=Departement.objects.none()):
        assert tell(client, contact_point, postal_code="99000").status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", ""), ("email", "pas-une-adresse"), ("email", "a@b"), ("title", ""), ("body", "")],
)
def test_bad_guest_input_is_a_form_error(client, contact_point, field, value):
    response = tell(client, contact_point, **{field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert GuestSubmission.objects.count() == 0


def test_duplicate_submission_is_refused(client, contact_point, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tell(client, contact_point).status_code == 302
        # Same story, same mailbox (other case): refused while the first link is valid.
        response = tell(client, contact_point, email=GUEST_EMAIL.upper())
    assert response.status_code == 400
    assert "déjà envoyé cette expérience" in response.content.decode()
    assert GuestSubmission.objects.count() == 1
    assert len(mail.outbox) == 1


def test_duplicate_after_confirmation_is_refused_then_allowed_once_expired(
    client, contact_point, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(client, contact_point)
    client.get(confirmation_path(mail.outbox[0]))
    assert tell(client, contact_point).status_code == 400
    GuestSubmission.objects.update(
        created_at=timezone.now() - dt.timedelta(hours=settings.ECOUTE_GUEST_CONFIRMATION_HOURS + 1)
    )
    assert tell(client, contact_point).status_code == 302


def test_expired_unconfirmed_copy_does_not_block_a_new_one(client, contact_point, settings):
    assert tell(client, contact_point).status_code == 302
    GuestSubmission.objects.update(
        created_at=timezone.now() - dt.timedelta(hours=settings.ECOUTE_GUEST_CONFIRMATION_HOURS + 1)
    )
    assert tell(client, contact_point).status_code == 302
    assert GuestSubmission.objects.count() == 1  # the expired copy was replaced


def test_only_one_unconfirmed_copy_of_a_story_in_the_database():
    first = GuestSubmissionFactory()
    with pytest.raises(IntegrityError):
        GuestSubmissionFactory(fingerprint=first.fingerprint)


def test_rate_limited_per_mailbox(client, contact_point):
    # Five stories from one mailbox (however spelt) per hour, from any address.
    for number in range(5):
        response = client.post(
            reverse("experiences:tell", args=[contact_point.pk]),
            guest_data(title=f"Histoire numéro {number}", email=f"JEANNE+{number}@example.org"),
            REMOTE_ADDR=f"203.0.113.{number}",
        )
        assert response.status_code == 302
    response = client.post(
        reverse("experiences:tell", args=[contact_point.pk]),
        guest_data(title="Une de trop", email="jeanne@example.org"),
        REMOTE_ADDR="203.0.113.99",
    )
    assert response.status_code == 429
    assert GuestSubmission.objects.count() == 5


def test_rate_limited_per_client(client, contact_point):
    for number in range(20):
        response = client.post(
            reverse("experiences:tell", args=[contact_point.pk]),
            guest_data(title=f"Histoire numéro {number}", email=f"personne{number}@example.org"),
        )
        assert response.status_code == 302
    response = client.post(
        reverse("experiences:tell", args=[contact_point.pk]),
        guest_data(title="Une de trop", email="autre@example.org"),
    )
    assert response.status_code == 429


def test_purge_deletes_only_expired_unconfirmed_submissions(settings):
    old = timezone.now() - dt.timedelta(hours=settings.ECOUTE_GUEST_CONFIRMATION_HOURS + 1)
    expired = GuestSubmissionFactory()
    recent = GuestSubmissionFactory()
    confirmed = GuestSubmissionFactory()
    guests.confirm_guest_experience(token=guests.make_confirmation_token(confirmed))
    GuestSubmission.objects.filter(pk__in=[expired.pk, confirmed.pk]).update(created_at=old)

    call_command("purge_unconfirmed_experiences", stdout=(out := __import__("io").StringIO()))
    assert "1 expérience(s)" in out.getvalue()
    remaining = set(GuestSubmission.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, confirmed.pk}
    assert Experience.objects.count() == 1


def test_action_refuses_bad_postal_code_and_masks(contact_point):
    from django.core.exceptions import ValidationError

    fields = {
        "email": "a@example.org",
        "contact_point": contact_point,
        "occurred_on": timezone.localdate(),
        "channel": "guichet",
        "sentiment": "negative",
        "ratings": Ratings(2, 2, 2, 2, 2),
        "title": "Un titre",
        "body": "Appelez le 06 12 34 56 78",
    }
    with pytest.raises(ValidationError):
        guests.submit_guest_experience(postal_code="7501", **fields)
    with pytest.raises(ValidationError):
        guests.submit_guest_experience(
            postal_code="75011", **fields | {"occurred_on": timezone.localdate() + dt.timedelta(1)}
        )
    submission = guests.submit_guest_experience(postal_code="75011", **fields)
    assert PHONE_MASK in submission.draft["body"]
    assert "06 12" not in submission.draft["body"]


def test_unknown_contact_point_is_404(client):
    assert client.get(reverse("experiences:tell", args=[999_999])).status_code == 404
    assert client.get(reverse("experiences:tell_sent", args=[999_999])).status_code == 404


@pytest.mark.parametrize("role", ["usager", "agent_of_another_org", "agent", "moderator"])
def test_accounts_of_every_role_tell_as_themselves(client, contact_point, role):
    # Guest fields sent by a signed-in account are ignored: no link, the experience is theirs.
    if role == "usager":
        user = UserFactory()
    elif role == "moderator":
        user = UserFactory(moderator=True)
    else:
        organisation = None if role == "agent_of_another_org" else contact_point.organisation
        membership = (
            AgentMembershipFactory(organisation=organisation)
            if organisation
            else AgentMembershipFactory()
        )
        user = membership.user
    client.force_login(user)
    response = tell(client, contact_point)
    assert response.status_code == 302
    assert Experience.objects.get().author == user
    assert GuestSubmission.objects.count() == 0
    assert mail.outbox == []


def test_link_confirms_whoever_opens_it(client, contact_point, django_capture_on_commit_callbacks):
    # The link proves the mailbox, not an account: opened while signed in, it stays authorless.
    with django_capture_on_commit_callbacks(execute=True):
        tell(client, contact_point)
    client.force_login(UserFactory())
    assert client.get(confirmation_path(mail.outbox[0])).status_code == 200
    assert Experience.objects.get().author is None


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_submissions_store_one(contact_point):
    """Two requests with the same story at the same moment: the partial unique index lets one
    through and the other gets the duplicate error (never a 500, never two links)."""
    import threading

    from django.db import connection

    from ecoute.experiences.actions import DuplicateSubmission

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            guests.submit_guest_experience(
                email="jeanne@example.org",
                postal_code="01000",
                contact_point=contact_point,
                occurred_on=timezone.localdate(),
                channel="guichet",
                sentiment="negative",
                ratings=Ratings(2, 2, 2, 2, 2),
                title="Même histoire",
                body="Envoyée quatre fois en même temps par un double clic nerveux.",
            )
            outcomes.append("stored")
        except DuplicateSubmission:
            outcomes.append("duplicate")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "stored"]
    assert GuestSubmission.objects.count() == 1
