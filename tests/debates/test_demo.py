"""The demo's debates: the Forum de l'action publique's consultation, open, with its sections,
pinned items, generated votes forming opinion groups; the Decidim import, closed."""

import pytest
from django.urls import reverse

from ecoute.consultations.models import Consultation, Status
from ecoute.debates.models import Contribution, OpinionMap, Section, Vote
from ecoute.demo.debates import load_demo_debates
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_debates_are_open_with_opinion_groups_and_idempotent(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    summary = load_demo_debates(organiser=admin, password="demo")  # noqa: S106
    assert "groupes d'opinion" in summary
    consultation = Consultation.objects.get(slug="fonction-publique-a-l-image-de-la-societe")
    assert consultation.status() == Status.OPEN
    titles = list(Section.objects.filter(consultation=consultation).values_list("title", flat=True))
    assert titles == ["Problématique", "Facteurs d'explication", "Propositions"]
    assert (
        Contribution.objects.filter(
            section__consultation=consultation, pinned=True, by_organiser=True
        ).count()
        == 3
    )
    assert Contribution.objects.filter(is_generated=True).count() == 10
    votes = Vote.objects.filter(contribution__section__consultation=consultation)
    assert votes.count() == votes.filter(is_generated=True).count() == 240
    opinion_map = OpinionMap.objects.get(consultation=consultation)
    assert len(opinion_map.data["groups"]) >= 2
    decidim = Consultation.objects.get(source_key="decidim-mel:granddebatmel")
    assert decidim.status() == Status.CLOSED

    page = client.get(reverse("debates:results", args=[consultation.slug])).content.decode()
    assert 'data-testid="opinion-map-svg"' in page and "Groupe A" in page

    # The demo usager takes part.
    usager = UserFactory(username="usager")
    client.force_login(usager)
    proposal = Contribution.objects.filter(section__slug="propositions", is_generated=True).first()
    response = client.post(
        reverse("debates:vote", args=[consultation.slug, proposal.pk]), {"value": "pour"}
    )
    assert response.status_code == 302

    load_demo_debates(organiser=admin, password="demo")  # noqa: S106
    assert Contribution.objects.filter(section__consultation=consultation).count() == 13
    assert votes.count() == 241
