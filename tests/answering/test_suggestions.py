"""Suggested drafts: the most similar answered experiences of the network, from an index that
is built by a command (or bounded when there is none) and never rebuilt per request."""

import os

import pytest
from django.core.management import call_command

from ecoute.answering import suggestions
from tests.factories import (
    AnswerFactory,
    ContactPointFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

TEXTS = [
    ("Prime d'activité bloquée", "Mon dossier de prime d'activité est bloqué depuis deux mois."),
    ("Attente au guichet", "Deux heures d'attente au guichet pour déposer un justificatif."),
    ("Site en panne", "Impossible de me connecter au site pour déclarer mes ressources."),
]


@pytest.fixture
def network():
    network = NetworkFactory()
    organisation = OrganisationFactory(network=network)
    answered = []
    for title, body in TEXTS:
        experience = ExperienceFactory(
            contact_point=ContactPointFactory(organisation=organisation),
            published=True,
            title=title,
            body=body,
        )
        answered.append(AnswerFactory(experience=experience, organisation=organisation))
    return network, organisation, answered


def _new(organisation, title: str, body: str):
    return ExperienceFactory(
        contact_point=ContactPointFactory(organisation=organisation),
        published=True,
        title=title,
        body=body,
    )


def test_most_similar_answered_experience_comes_first(network):
    _network, organisation, answered = network
    experience = _new(organisation, "Connexion impossible", "Le site refuse ma connexion.")
    found = suggestions.suggest(experience=experience, organisation=organisation)
    assert found[0].answer == answered[2]
    assert found[0].same_organisation
    assert all(s.experience != experience for s in found)


def test_another_network_and_hidden_answers_are_never_suggested(network):
    _network, organisation, answered = network
    elsewhere = OrganisationFactory()
    experience = _new(elsewhere, "Site en panne", "Impossible de me connecter au site.")
    assert suggestions.suggest(experience=experience, organisation=elsewhere) == []
    answered[2].hidden_at = answered[2].created_at
    answered[2].hidden_reason = "Hors charte"
    answered[2].save(update_fields=["hidden_at", "hidden_reason"])
    mine = _new(organisation, "Site en panne", "Impossible de me connecter au site.")
    found = suggestions.suggest(experience=mine, organisation=organisation)
    assert answered[2] not in [s.answer for s in found]


def test_command_writes_the_index_read_by_pages(network, settings, tmp_path):
    net, organisation, answered = network
    settings.ECOUTE_ANSWER_INDEX_DIR = tmp_path
    call_command("build_answer_suggestions")
    path = tmp_path / f"network-{net.pk}.npz"
    assert path.exists()
    index = suggestions.index_for(net.pk)
    assert len(index) == 3
    assert suggestions.index_for(net.pk) is index  # loaded once, not per request
    # A new answer appears after the next build (the file changed: reloaded).
    extra = _new(organisation, "Courrier perdu", "Mon courrier recommandé a été perdu.")
    AnswerFactory(experience=extra, organisation=organisation)
    call_command("build_answer_suggestions", network=[net.pk])
    os.utime(path, (1, 1))  # a different modification time, whatever the clock's resolution
    assert len(suggestions.index_for(net.pk)) == 4


def test_command_skips_an_unknown_network(capsys, settings, tmp_path):
    settings.ECOUTE_ANSWER_INDEX_DIR = tmp_path
    call_command("build_answer_suggestions", network=[987654])
    assert "Unknown network 987654" in capsys.readouterr().err


def test_without_a_file_the_index_is_bounded_and_cached(network, monkeypatch):
    net, organisation, _answered = network
    monkeypatch.setattr(suggestions, "FALLBACK_LIMIT", 2)
    index = suggestions.index_for(net.pk)
    assert len(index) == 2  # the most recent answered experiences only
    assert suggestions.index_for(net.pk) is index
