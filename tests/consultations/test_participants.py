"""/consultations/<slug>/participants/: the count, the listed pseudonyms (keyset pages) and, for
a participant, the form that hides or shows their own pseudonym."""

import pytest
from django.urls import reverse

from ecoute.consultations.models import Participation
from tests.factories import UserFactory

from .conftest import ROLES, login
from .factories import ConsultationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def url(consultation) -> str:
    return reverse("consultations:participants", args=[consultation.slug])


def toggle_url(consultation) -> str:
    return reverse("consultations:set_listed", args=[consultation.slug])


def test_count_includes_unlisted_but_list_shows_listed_pseudonyms_only(client):
    consultation = ConsultationFactory()
    ParticipationFactory(consultation=consultation, user=UserFactory(username="Camille"))
    ParticipationFactory(
        consultation=consultation, user=UserFactory(username="Discret"), is_listed=False
    )

    html = client.get(url(consultation)).content.decode()

    assert "2 participants" in html
    assert "Camille" in html
    assert "Discret" not in html


def test_keyset_pages_of_pseudonyms(client):
    consultation = ConsultationFactory()
    ParticipationFactory.create_batch(55, consultation=consultation)

    first = client.get(url(consultation))
    second = client.get(url(consultation), {"apres": first.context["page"].next_cursor})

    assert len(first.context["page"].items) == 50
    assert len(second.context["page"].items) == 5


@pytest.mark.parametrize("rows", [1, 25])
def test_query_count_does_not_grow_with_rows(client, users, django_assert_max_num_queries, rows):
    consultation = ConsultationFactory()
    ParticipationFactory.create_batch(rows, consultation=consultation)
    ParticipationFactory(consultation=consultation, user=users["usager"])
    login(client, users["usager"])

    with django_assert_max_num_queries(12):
        assert client.get(url(consultation)).status_code == 200


def test_participant_hides_then_shows_their_pseudonym(client):
    consultation = ConsultationFactory()
    me = UserFactory(username="Camille")
    ParticipationFactory(consultation=consultation, user=me)
    login(client, me)
    assert 'data-testid="toggle-listed"' in client.get(url(consultation)).content.decode()

    response = client.post(toggle_url(consultation), {"listed": "0"}, follow=True)

    html = response.content.decode()
    assert "votre participation reste comptée" in html
    assert "Afficher mon pseudonyme" in html
    assert not Participation.objects.get(user=me).is_listed
    assert "1 participant" in html

    client.post(toggle_url(consultation), {"listed": "1"})
    assert Participation.objects.get(user=me).is_listed


@pytest.mark.parametrize("role", ROLES)
def test_only_participants_may_change_the_listing(client, users, role):
    consultation = ConsultationFactory()
    login(client, users[role])

    response = client.post(toggle_url(consultation), {"listed": "0"})

    if role == "anonymous":
        assert response.status_code == 302
        assert "/compte/connexion/" in response["Location"]
    else:
        assert response.status_code == 403
        assert "Vous n'avez pas participé" in response.content.decode().replace("&#x27;", "'")
    assert 'data-testid="toggle-listed"' not in client.get(url(consultation)).content.decode()


def test_bad_choice_is_a_400(client, users):
    consultation = ConsultationFactory()
    ParticipationFactory(consultation=consultation, user=users["usager"])
    login(client, users["usager"])

    assert client.post(toggle_url(consultation), {"listed": "peut-être"}).status_code == 400
    assert client.post(toggle_url(consultation)).status_code == 400


def test_get_on_the_form_url_is_refused(client, users):
    consultation = ConsultationFactory()
    login(client, users["usager"])

    assert client.get(toggle_url(consultation)).status_code == 405


def test_csrf_is_required(users):
    from django.test import Client

    consultation = ConsultationFactory()
    ParticipationFactory(consultation=consultation, user=users["usager"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["usager"])

    assert client.post(toggle_url(consultation), {"listed": "0"}).status_code == 403
    assert Participation.objects.get(user=users["usager"]).is_listed


def test_drafts_participants_are_a_404_for_the_public(client):
    assert client.get(url(ConsultationFactory(draft=True))).status_code == 404


def test_personal_data_export_lists_participations(users):
    from ecoute.accounts.personal_data import export_personal_data

    consultation = ConsultationFactory(title="Accueil")
    ParticipationFactory(consultation=consultation, user=users["usager"], is_listed=False)

    exported = export_personal_data(users["usager"])["consultations"]["participations"]

    assert exported[0]["consultation"] == "Accueil"
    assert exported[0]["pseudonym_listed"] is False


def test_anonymous_visitor_is_told_how_to_hide_their_pseudonym(client):
    html = client.get(url(ConsultationFactory())).content.decode()

    assert 'data-testid="login-to-hide"' in html
    assert "/compte/connexion/?next=" in html


MINE = reverse("consultations:mine")


def test_my_participations_lists_mine_with_their_toggle(client, users):
    me = users["usager"]
    mine = ConsultationFactory(title="Accueil")
    ConsultationFactory(title="Pas la mienne")
    ParticipationFactory(consultation=mine, user=me)
    login(client, me)
    assert MINE in client.get(reverse("consultations:list")).content.decode()

    html = client.get(MINE).content.decode()

    assert "Accueil" in html and "Pas la mienne" not in html
    response = client.post(toggle_url(mine), {"listed": "0", "retour": MINE})
    assert response.status_code == 302 and response["Location"] == MINE
    assert not Participation.objects.get(user=me).is_listed
    assert "Afficher mon pseudonyme" in client.get(MINE).content.decode()


def test_toggle_never_redirects_off_site(client, users):
    consultation = ConsultationFactory()
    ParticipationFactory(consultation=consultation, user=users["usager"])
    login(client, users["usager"])

    response = client.post(
        toggle_url(consultation), {"listed": "0", "retour": "https://evil.example"}
    )

    assert response["Location"] == url(consultation)


def test_my_participations_needs_an_account(client):
    response = client.get(MINE)

    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


@pytest.mark.parametrize("rows", [1, 25])
def test_my_participations_query_count(client, users, django_assert_max_num_queries, rows):
    for _number in range(rows):
        ParticipationFactory(user=users["usager"])
    login(client, users["usager"])

    with django_assert_max_num_queries(8):
        assert client.get(MINE).status_code == 200
