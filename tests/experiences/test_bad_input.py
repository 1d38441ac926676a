"""Every bad input gets a clear French error and leaves nothing half-saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoute.experiences.models import Experience
from tests.factories import ContactPointFactory, UserFactory, experience_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(client):
    client.force_login(UserFactory())
    return client


@pytest.fixture
def contact_point():
    return ContactPointFactory()


def post(client, contact_point, **overrides):
    return client.post(
        reverse("experiences:tell", args=[contact_point.pk]), experience_form_data(**overrides)
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"body": ""}, "Ce champ est obligatoire."),
        ({"title": "x" * 151}, "au plus 150 caractères"),
        ({"body": "trop court"}, "au moins 30 caractères"),
        ({"body": "x" * 5001}, "au plus 5000 caractères"),
        ({"rating_delays": "0"}, "La note doit être comprise entre 1 et 5."),
        ({"rating_delays": "6"}, "La note doit être comprise entre 1 et 5."),
        ({"rating_delays": "abc"}, "La note doit être comprise entre 1 et 5."),
        ({"rating_simplicity": ""}, "Donnez une note de 1 à 5."),
        ({"channel": "pigeon"}, "Sélectionnez un choix valide"),
        ({"occurred_on": "2999-01-01"}, "La date ne peut pas être dans le futur."),
        ({"occurred_on": "32/13/2024"}, "Saisissez une date valide."),
        ({"title": "bonjour\x00"}, "caractère nul"),
    ],
)
def test_invalid_fields_get_a_french_error_and_save_nothing(
    author_client, contact_point, overrides, message
):
    response = post(author_client, contact_point, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Experience.objects.count() == 0


def test_unknown_contact_point_is_a_404(author_client):
    response = author_client.post(
        reverse("experiences:tell", args=[999_999]), experience_form_data()
    )
    assert response.status_code == 404
    assert Experience.objects.count() == 0


def test_double_click_within_a_minute_is_refused(author_client, contact_point):
    assert post(author_client, contact_point).status_code == 302
    response = post(author_client, contact_point)
    assert response.status_code == 400
    assert (
        "déjà envoyé cette expérience il y a moins d'une minute"
        in response.content.decode().replace("&#x27;", "'")
    )
    assert Experience.objects.count() == 1


def test_same_text_after_a_minute_is_accepted(author_client, contact_point, settings):
    settings.ECOUTE_DUPLICATE_WINDOW_SECONDS = 0
    assert post(author_client, contact_point).status_code == 302
    assert post(author_client, contact_point).status_code == 302
    assert Experience.objects.count() == 2


def test_html_and_script_are_escaped_on_every_page(author_client, contact_point):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = post(author_client, contact_point, title=f"Titre {attack}", body=f"{attack} " * 3)
    assert response.status_code == 302
    experience = Experience.objects.get()
    page = author_client.get(experience.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_unconfirmed_account_cannot_post(client, contact_point):
    client.force_login(UserFactory(unconfirmed=True))
    response = post(client, contact_point)
    assert response.status_code == 403
    assert "Confirmez votre adresse" in response.content.decode()
    assert Experience.objects.count() == 0


def test_anonymous_visitor_without_email_and_postcode_is_refused(client, contact_point):
    # Without an account, an e-mail address and a postal code are required (tests/experiences/
    # test_tell_without_account.py covers that flow).
    response = post(client, contact_point)
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"email", "postal_code"}
    assert Experience.objects.count() == 0


def test_hide_without_reason_is_refused(client):
    from tests.factories import ExperienceFactory

    experience = ExperienceFactory()
    client.force_login(UserFactory(moderator=True))
    response = client.post(reverse("experiences:hide", args=[experience.pk]), {"reason": " "})
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.status == "pending"
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "Indiquez le motif du masquage." in page


def test_empty_answer_is_refused(client):
    from tests.factories import AgentMembershipFactory, ExperienceFactory

    experience = ExperienceFactory(published=True)
    agent = AgentMembershipFactory(organisation=experience.contact_point.organisation).user
    client.force_login(agent)
    response = client.post(reverse("experiences:answer", args=[experience.pk]), {"body": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert experience.answers.count() == 0


def test_moderation_next_cannot_redirect_off_site(client):
    from tests.factories import ExperienceFactory

    experience = ExperienceFactory()
    client.force_login(UserFactory(moderator=True))
    response = client.post(
        reverse("experiences:publish", args=[experience.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue")


def test_hide_without_reason_from_the_page_says_why(client):
    from tests.factories import ExperienceFactory

    experience = ExperienceFactory(published=True)
    client.force_login(UserFactory(moderator=True))
    response = client.post(
        reverse("experiences:hide", args=[experience.pk]),
        {"reason": "", "next": experience.get_absolute_url()},
        follow=True,
    )
    assert response.status_code == 200
    assert "Indiquez le motif du masquage." in response.content.decode()
    experience.refresh_from_db()
    assert experience.status == "published"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"channel": "pigeon"}, "choice"),
        ({"sentiment": "bof"}, "choice"),
        ({"title": " "}, "length"),
        ({"body": "x" * 5001}, "length"),
        ({"title": "x" * 151}, "length"),
    ],
)
def test_submit_action_refuses_what_the_form_would(contact_point, overrides, code):
    """Commands, the API and tasks call the action directly: it checks on its own."""
    from django.core.exceptions import ValidationError

    from ecoute.experiences.actions import Ratings, submit_experience

    arguments = {
        "author": UserFactory(),
        "contact_point": contact_point,
        "occurred_on": timezone.localdate(),
        "channel": "guichet",
        "sentiment": "positive",
        "ratings": Ratings(5, 5, 5, 5, 5),
        "title": "Un titre",
        "body": "Un récit assez long pour être accepté par le formulaire.",
    } | overrides
    with pytest.raises(ValidationError) as error:
        submit_experience(**arguments)
    assert error.value.code == code
    assert Experience.objects.count() == 0


def test_duplicate_fingerprint_holds_no_personal_data(author_client, contact_point):
    import hashlib

    from ecoute.experiences.actions import _fingerprint

    body = "Appelez-moi au 06 12 34 56 78, c'est urgent, merci."
    post(author_client, contact_point, body=body)
    experience = Experience.objects.get()
    assert "06 12" not in experience.body
    # The action's own recipe, over the stored (masked) text: no digest of the phone number.
    assert experience.fingerprint == _fingerprint(
        experience.author_id, contact_point.pk, experience.title, experience.body
    )
    raw = hashlib.sha256(
        "\x1f".join(
            str(p) for p in (experience.author_id, contact_point.pk, experience.title, body)
        ).encode()
    ).hexdigest()
    assert experience.fingerprint != raw


def test_texts_differing_only_in_masked_personal_data_are_one_duplicate(
    author_client, contact_point
):
    first = "Appelez-moi au 06 12 34 56 78, c'est urgent, merci."
    second = "Appelez-moi au 07 98 76 54 32, c'est urgent, merci."
    assert post(author_client, contact_point, body=first).status_code == 302
    response = post(author_client, contact_point, body=second)
    assert response.status_code == 400
    assert (
        "déjà envoyé cette expérience il y a moins d'une minute"
        in response.content.decode().replace("&#x27;", "'")
    )
    experience = Experience.objects.get()
    assert "06 12" not in experience.body and "07 98" not in experience.body
