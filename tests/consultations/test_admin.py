"""Organisers build consultations in the admin: phases inline, départements; saving keeps the
dates; "Publier" and "Publier les résultats" call the actions, refusals shown as messages."""

import pytest
from django.urls import reverse

from ecoute.consultations.models import Consultation, Participation
from tests.factories import DepartementFactory

from .conftest import login
from .factories import CLOSED, ConsultationFactory, ParticipationFactory, ThemeFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:consultations_consultation_changelist")
ADD = reverse("admin:consultations_consultation_add")


def form_data(**overrides) -> dict:
    data = {
        "title": "Accueil des usagers",
        "slug": "accueil-des-usagers",
        "summary": "",
        "presentation": "Dites-nous.",
        "theme": ThemeFactory().pk,
        "audience": "tous",
        "is_national": "on",
        "organiser_name": "DITP",
        "synthesis": "",
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
        "phases-0-title": "Consultation",
        "phases-0-kind": "participation",
        "phases-0-starts_on": "2026-09-14",
        "phases-0-ends_on": "2026-12-15",
        "phases-1-title": "Restitution",
        "phases-1-kind": "resultats",
        "phases-1-starts_on": "2027-01-15",
        "phases-1-ends_on": "2027-01-15",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_organiser_builds_a_consultation_with_phases_and_its_dates_follow(client, users, role):
    login(client, users[role])

    response = client.post(ADD, form_data())

    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = Consultation.objects.get(slug="accueil-des-usagers")
    assert consultation.phases.count() == 2
    assert str(consultation.opens_on) == "2026-09-14"
    assert str(consultation.closes_on) == "2026-12-15"  # participation phases only
    assert consultation.published_at is None


def test_territorial_consultation_with_departements(client, users):
    ain = DepartementFactory(code="01", name="Ain")
    login(client, users["organiser"])
    data = form_data(departements=[ain.pk])
    del data["is_national"]

    client.post(ADD, data)

    consultation = Consultation.objects.get()
    assert not consultation.is_national
    assert list(consultation.departements.all()) == [ain]


def test_phase_ending_before_it_starts_is_a_form_error(client, users):
    login(client, users["organiser"])

    response = client.post(ADD, form_data(**{"phases-0-ends_on": "2026-01-01"}))

    assert response.status_code == 200
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "usager", "agent", "moderator"])
def test_others_cannot_open_the_admin(client, users, role):
    login(client, users[role])

    response = client.get(CHANGELIST)

    assert response.status_code == 302


def test_publish_action(client, users):
    draft = ConsultationFactory(draft=True)
    login(client, users["organiser"])

    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert "publiée" in response.content.decode()


def test_publish_refusal_is_a_message_not_an_error_page(client, users):
    draft = ConsultationFactory(draft=True, phase=False)
    login(client, users["organiser"])

    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Ajoutez au moins une phase de participation" in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None


def test_publish_results_action(client, users):
    closed = ConsultationFactory(phase=CLOSED, synthesis="Ce que nous retenons.")
    still_open = ConsultationFactory()
    login(client, users["organiser"])

    response = client.post(
        CHANGELIST,
        {"action": "publish_results", "_selected_action": [closed.pk, still_open.pk]},
        follow=True,
    )

    assert response.status_code == 200
    closed.refresh_from_db()
    still_open.refresh_from_db()
    assert closed.results_published_at is not None
    assert closed.synthesis == "Ce que nous retenons."
    assert still_open.results_published_at is None
    assert "une fois la participation terminée" in response.content.decode()


def test_changelist_shows_status(client, users):
    ConsultationFactory(title="Bientôt", phase=(5, 10))
    login(client, users["organiser"])

    assert "À venir" in client.get(CHANGELIST).content.decode()


def test_participations_are_read_only(client, users):
    participation = ParticipationFactory()
    login(client, users["admin"])

    change = reverse("admin:consultations_participation_change", args=[participation.pk])
    assert client.get(reverse("admin:consultations_participation_changelist")).status_code == 200
    assert client.post(change, {"is_listed": ""}).status_code == 403
    assert Participation.objects.get().is_listed
    assert client.get(reverse("admin:consultations_participation_add")).status_code == 403


def test_themes_are_loaded_by_the_migration_and_editable(client, users):
    from ecoute.consultations.models import Theme

    assert Theme.objects.filter(name="Services publics").exists()
    assert Theme.objects.count() >= 9
    login(client, users["admin"])
    assert client.get(reverse("admin:consultations_theme_changelist")).status_code == 200


def test_add_and_change_pages_open(client, users):
    consultation = ConsultationFactory(departements=[DepartementFactory(code="01", name="Ain")])
    login(client, users["organiser"])

    assert client.get(ADD).status_code == 200
    change = client.get(reverse("admin:consultations_consultation_change", args=[consultation.pk]))
    assert change.status_code == 200
    assert "Consultation" in change.content.decode()  # the phase inline


def test_a_page_address_cannot_be_a_slug(client, users):
    login(client, users["organiser"])

    response = client.post(ADD, form_data(slug="mes-participations"))

    assert response.status_code == 200
    assert "Cette adresse est réservée" in response.content.decode()
    assert not Consultation.objects.exists()
