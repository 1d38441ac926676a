"""Agents report difficulties on a démarche as remontées linked to it (the remontées app,
decision 0015): raised from the form with the observatory's démarche, counted and shown on the
démarche pages under the remontées' own visibility rules."""

import pytest
from django.urls import reverse

from ecoute.demarches.difficulties import difficulty_counts, visible_difficulties
from ecoute.remontees.models import Remontee, Scope
from tests.factories import AgentMembershipFactory, OrganisationFactory, RemonteeFactory
from tests.remontees.world import raise_form_data

from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db


def test_an_agent_raises_a_difficulty_on_a_followed_demarche(client, caf):
    demarche = DemarcheFactory(slug="prime", name="Demande de prime d'activité", network=caf)
    organisation = OrganisationFactory(network=caf, name="France services de Bourg")
    agent = AgentMembershipFactory(organisation=organisation).user
    client.force_login(agent)
    form = client.get(reverse("remontees:raise"))
    assert "Démarche suivie par l&#x27;observatoire" in form.text and "prime" in form.text
    response = client.post(
        reverse("remontees:raise"),
        raise_form_data(organisation, scope="demarche", demarche="prime", demarche_name=""),
    )
    assert response.status_code == 302
    remontee = Remontee.objects.get()
    assert remontee.demarche == demarche and remontee.demarche_name == demarche.name


def test_counts_and_visibility(caf):
    demarche = DemarcheFactory(network=caf)
    agent = AgentMembershipFactory(organisation=OrganisationFactory(network=caf)).user
    outsider = AgentMembershipFactory().user  # another network
    published = RemonteeFactory(
        organisation=OrganisationFactory(network=caf),
        published=True,
        scope=Scope.DEMARCHE,
        demarche_name=demarche.name,
        demarche=demarche,
    )
    assert difficulty_counts([demarche.pk]) == {demarche.pk: 1}
    assert [d.title for d in visible_difficulties([demarche.pk], agent)] == [published.title]
    assert visible_difficulties([demarche.pk], outsider) == []
