"""/consultations/<slug>/: presentation, organiser, status, timeline, parts, why one cannot take
part, participants, invitation, results link."""

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from ecoute.consultations.models import Audience, PhaseKind
from ecoute.consultations.parts import part_kinds

from .conftest import ROLES, login
from .factories import (
    CLOSED,
    UPCOMING,
    ConsultationFactory,
    ParticipationFactory,
    PhaseFactory,
    days,
)

pytestmark = pytest.mark.django_db


def url(consultation) -> str:
    return reverse("consultations:detail", args=[consultation.slug])


def test_page_shows_presentation_as_paragraphs_without_raw_html(client):
    consultation = ConsultationFactory(
        presentation="Bonjour.\n\n<script>alert(1)</script> Deuxième paragraphe."
    )

    html = client.get(url(consultation)).content.decode()

    assert "<p>Bonjour.</p>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Ministère de la Transformation publique" in html
    assert "En cours" in html


def test_timeline_lists_phases_with_the_current_one_marked(client):
    consultation = ConsultationFactory(phase=(-10, 5))
    PhaseFactory(
        consultation=consultation,
        title="Analyse",
        kind=PhaseKind.ANALYSIS,
        starts_on=days(6),
        ends_on=days(30),
    )

    response = client.get(url(consultation))

    html = response.content.decode()
    assert html.count('data-testid="phase"') == 2
    assert html.count('aria-current="step"') == 1
    assert "Analyse" in html
    assert 'href="/consultations/' in html and "agenda.ics" in html


def test_parts_are_listed_with_their_counts(client, one_part):
    consultation = ConsultationFactory()

    html = client.get(url(consultation)).content.decode()

    assert "Questionnaire de satisfaction" in html
    assert "42 réponses" in html
    assert f"{consultation.get_absolute_url()}questionnaires/1/" in html


def test_anonymous_visitor_is_told_to_log_in_with_a_link(client):
    consultation = ConsultationFactory()

    html = client.get(url(consultation)).content.decode()

    assert "Connectez-vous pour participer." in html
    assert f"/compte/connexion/?next=/consultations/{consultation.slug}/" in html


def test_usager_is_told_an_agents_consultation_is_for_agents(client, users):
    consultation = ConsultationFactory(audience=Audience.AGENTS)
    login(client, users["usager"])

    html = client.get(url(consultation)).content.decode()

    assert "réservée aux agents publics" in html
    assert "rattache votre compte à votre service" in html
    assert 'data-testid="login-link"' not in html


def test_visitor_is_told_to_log_in_with_an_agent_account(client):
    consultation = ConsultationFactory(audience=Audience.AGENTS)

    html = client.get(url(consultation)).content.decode()

    assert "connectez-vous avec votre compte agent" in html
    assert 'data-testid="login-link"' in html


def test_agent_may_take_part_in_an_agents_consultation(client, users):
    consultation = ConsultationFactory(audience=Audience.AGENTS)
    login(client, users["agent"])

    assert 'data-testid="refusal"' not in client.get(url(consultation)).content.decode()


@pytest.mark.parametrize("phase", [UPCOMING, CLOSED])
def test_outside_participation_the_page_says_it_is_not_open(client, phase):
    consultation = ConsultationFactory(phase=phase)

    html = unescape(client.get(url(consultation)).content.decode())

    assert "La participation n'est pas ouverte en ce moment." in html
    assert 'data-testid="login-link"' not in html


def test_participants_count_and_link(client):
    consultation = ConsultationFactory()
    ParticipationFactory.create_batch(3, consultation=consultation)

    html = client.get(url(consultation)).content.decode()

    assert "3 participants" in html
    assert reverse("consultations:participants", args=[consultation.slug]) in html


def test_invite_is_a_mailto_link_with_title_and_absolute_url(client):
    consultation = ConsultationFactory(title="Accueil des usagers & délais")

    response = client.get(url(consultation))

    mailto = response.context["mailto"]
    query = parse_qs(urlsplit(mailto).query)
    absolute = f"http://testserver/consultations/{consultation.slug}/"
    assert mailto.startswith("mailto:?")
    assert "Accueil des usagers & délais" in query["subject"][0]
    assert absolute in query["body"][0]
    assert f'value="{absolute}"' in response.content.decode()


def test_results_link_only_once_published(client):
    open_one = ConsultationFactory()
    done = ConsultationFactory(phase=CLOSED, results=True)

    assert 'data-testid="results-link"' not in client.get(url(open_one)).content.decode()
    assert 'data-testid="results-link"' in client.get(url(done)).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_draft_is_a_404_except_for_organisers(client, users, role):
    draft = ConsultationFactory(draft=True)
    login(client, users[role])

    response = client.get(url(draft))

    assert response.status_code == (200 if role in {"organiser", "admin"} else 404)
    if response.status_code == 200:
        assert "Brouillon" in response.content.decode()


def test_unknown_slug_is_a_404(client):
    assert client.get("/consultations/nexiste-pas/").status_code == 404


@pytest.mark.parametrize("parts_count", [1, 3])
def test_query_count_is_fixed(client, users, django_assert_max_num_queries, parts_count):
    consultation = ConsultationFactory()
    for offset in range(parts_count):
        PhaseFactory(
            consultation=consultation, starts_on=days(30 + offset), ends_on=days(31 + offset)
        )
    login(client, users["usager"])

    with django_assert_max_num_queries(10 + len(part_kinds())):
        assert client.get(url(consultation)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_organisers_get_a_link_to_the_admin(client, users, role):
    consultation = ConsultationFactory()
    login(client, users[role])

    html = client.get(url(consultation)).content.decode()

    assert ('data-testid="admin-link"' in html) is (role in {"organiser", "admin"})


def test_timeline_names_each_phase_once_without_its_kind(client):
    consultation = ConsultationFactory()
    PhaseFactory(consultation=consultation, title="Restitution", kind=PhaseKind.RESULTS)

    html = client.get(url(consultation)).content.decode()
    timeline = html[
        html.index('data-testid="phases"') : html.index("</ol>", html.index('data-testid="phases"'))
    ]

    assert "Restitution" in timeline
    assert "·" not in timeline
    assert "Restitution des résultats" not in timeline
