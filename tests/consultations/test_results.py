"""/consultations/<slug>/resultats/: figures, synthesis, each part's results and downloads once
published; a clear "not yet" page (404) before."""

import pytest
from django.urls import reverse

from ecoute.consultations.parts import part_kinds

from .conftest import ROLES, login
from .factories import CLOSED, ConsultationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def url(consultation) -> str:
    return reverse("consultations:results", args=[consultation.slug])


def test_published_results_show_figures_synthesis_parts_and_downloads(client, one_part):
    consultation = ConsultationFactory(phase=CLOSED, results=True)
    ParticipationFactory.create_batch(4, consultation=consultation)

    response = client.get(url(consultation))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="participants-figure">4<' in html
    assert "42" in html and "réponses" in html
    assert "<p>Ce que nous retenons.</p>" in html
    assert f"{consultation.get_absolute_url()}questionnaires/1/resultats/" in html
    assert "/telechargements/reponses.csv" in html
    assert "Résultats publiés" in html


@pytest.mark.parametrize("phase", [(-10, 10), CLOSED])
def test_before_publication_a_clear_not_yet_page(client, phase):
    consultation = ConsultationFactory(phase=phase)

    response = client.get(url(consultation))

    assert response.status_code == 404
    assert "Les résultats ne sont pas encore publiés" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_published_results(client, users, role):
    consultation = ConsultationFactory(phase=CLOSED, results=True)
    login(client, users[role])

    assert client.get(url(consultation)).status_code == 200


def test_draft_results_are_a_plain_404(client):
    response = client.get(url(ConsultationFactory(draft=True)))

    assert response.status_code == 404
    assert "Les résultats ne sont pas encore publiés" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 25])
def test_query_count_does_not_grow_with_participants(client, django_assert_max_num_queries, rows):
    consultation = ConsultationFactory(phase=CLOSED, results=True)
    ParticipationFactory.create_batch(rows, consultation=consultation)

    with django_assert_max_num_queries(6 + len(part_kinds())):
        assert client.get(url(consultation)).status_code == 200
