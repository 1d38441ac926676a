"""Every debate page and every write, for every role, through the HTTP client."""

import pytest
from django.urls import reverse

from ecoute.consultations.models import Participation
from ecoute.debates import actions
from ecoute.debates.models import Argument, Contribution, Source, Vote
from tests.factories import UserFactory

from .factories import (
    ArgumentFactory,
    ConsultationFactory,
    ContributionFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def section_url(section):
    return reverse("debates:section", args=[section.consultation.slug, section.slug])


def url(name, contribution, *args):
    return reverse(name, args=[contribution.section.consultation.slug, contribution.pk, *args])


@pytest.mark.parametrize("role", ["anonymous", "usager", "moderator", "organiser"])
def test_pages_render_for_every_role(client, request, role, contribution):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    ArgumentFactory(contribution=contribution, body="Un argument pour")
    SourceFactory(contribution=contribution)
    consultation = contribution.section.consultation
    for address in (
        section_url(contribution.section),
        contribution.get_absolute_url(),
        reverse("debates:results", args=[consultation.slug]),
        reverse("debates:schema", args=[consultation.slug]),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Un argument pour" in page
    assert "Statistiques de l&#x27;Insee" in page or "Statistiques de l'Insee" in page
    assert reverse("moderation:report", args=["contribution-debat", contribution.pk]) in page


def test_anonymous_sees_why_and_cannot_write(client, contribution):
    page = client.get(section_url(contribution.section)).content.decode()
    assert "Connectez-vous pour participer." in page
    for name, data in (
        ("debates:vote", {"value": "pour"}),
        ("debates:argue", {"side": "pour", "body": "x"}),
        ("debates:add_source", {"url": "https://a.fr", "title": "t"}),
    ):
        response = client.post(url(name, contribution), data)
        assert response.status_code == 403
        assert "Connectez-vous pour participer." in response.content.decode()
    response = client.get(
        reverse(
            "debates:propose",
            args=[contribution.section.consultation.slug, contribution.section.slug],
        )
    )
    assert response.status_code == 403
    assert Vote.objects.count() == 0


def test_usager_proposes_votes_argues_and_adds_a_source(client, usager, section):
    client.force_login(usager)
    consultation = section.consultation
    response = client.post(
        reverse("debates:propose", args=[consultation.slug, section.slug]),
        {"title": "Des stages pour tous", "body": "Écrivez-moi à jean.dupont@example.org"},
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == contribution.get_absolute_url()
    assert "jean.dupont@example.org" not in contribution.body  # masked before storage
    assert contribution.author == usager and not contribution.by_organiser

    assert client.post(url("debates:vote", contribution), {"value": "pour"}).status_code == 302
    assert client.post(url("debates:vote", contribution), {"value": "contre"}).status_code == 302
    contribution.refresh_from_db()
    assert (contribution.votes_for, contribution.votes_against, contribution.votes_total) == (
        0,
        1,
        1,
    )

    response = client.post(
        url("debates:argue", contribution), {"side": "contre", "body": "Trop cher"}
    )
    assert response.status_code == 302
    argument = Argument.objects.get()
    assert (
        client.post(reverse("debates:support", args=[consultation.slug, argument.pk])).status_code
        == 302
    )
    argument.refresh_from_db()
    assert argument.votes_count == 1

    response = client.post(
        url("debates:add_source", contribution),
        {"url": "https://www.fonction-publique.gouv.fr/", "title": "Rapport annuel"},
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.arguments_count, contribution.sources_count) == (1, 1)
    assert Participation.objects.filter(consultation=consultation, user=usager).count() == 1

    page = client.get(contribution.get_absolute_url()).content.decode()
    assert 'data-testid="my-vote"' in page and "Contre" in page
    assert "Retirer mon soutien" in page


def test_bad_inputs_are_form_errors(client, usager, contribution):
    client.force_login(usager)
    response = client.post(
        url("debates:add_source", contribution), {"url": "javascript:alert(1)", "title": "x"}
    )
    assert response.status_code == 400
    assert "http:// ou https://" in response.content.decode()
    response = client.post(url("debates:argue", contribution), {"side": "pour", "body": "   "})
    assert response.status_code == 400
    response = client.post(url("debates:vote", contribution), {"value": "peut-etre"})
    assert response.status_code == 400
    response = client.post(
        reverse(
            "debates:propose",
            args=[contribution.section.consultation.slug, contribution.section.slug],
        ),
        {"title": "", "body": ""},
    )
    assert response.status_code == 400
    assert Source.objects.count() == Argument.objects.count() == Vote.objects.count() == 0


@pytest.mark.parametrize("trait", ["closed", "draft"])
def test_every_write_is_refused_when_not_open(client, usager, trait):
    consultation = ConsultationFactory(**{trait: True})
    contribution = ContributionFactory(section=SectionFactory(consultation=consultation))
    argument = ArgumentFactory(contribution=contribution)
    client.force_login(
        usager if trait == "closed" else UserFactory(is_superuser=True, is_staff=True)
    )
    slug = consultation.slug
    writes = [
        (
            reverse("debates:propose", args=[slug, contribution.section.slug]),
            {"title": "t", "body": "b"},
        ),
        (url("debates:vote", contribution), {"value": "pour"}),
        (url("debates:argue", contribution), {"side": "pour", "body": "b"}),
        (url("debates:add_source", contribution), {"url": "https://a.fr", "title": "t"}),
        (url("debates:edit", contribution), {"title": "t", "body": "b"}),
        (reverse("debates:support", args=[slug, argument.pk]), {}),
    ]
    for address, data in writes:
        response = client.post(address, data)
        assert response.status_code == 403, address
        assert "ouverte" in response.content.decode() or "auteur" in response.content.decode()
    assert Vote.objects.count() == 0 and Source.objects.count() == 0
    assert Contribution.objects.count() == 1 and Argument.objects.count() == 1


def test_agents_consultation_refuses_usagers_accepts_agents(client, usager, agent):
    section = SectionFactory(consultation=ConsultationFactory(agents=True))
    contribution = ContributionFactory(section=section)
    client.force_login(usager)
    response = client.post(url("debates:vote", contribution), {"value": "pour"})
    assert response.status_code == 403
    assert "réservée aux agents publics" in response.content.decode()
    client.force_login(agent)
    assert client.get(contribution.get_absolute_url()).status_code == 200
    assert client.post(url("debates:vote", contribution), {"value": "mitige"}).status_code == 302
    contribution.refresh_from_db()
    assert contribution.votes_mixed == 1


def test_unconfirmed_account_is_refused(client, contribution):
    client.force_login(UserFactory(unconfirmed=True))
    response = client.post(url("debates:vote", contribution), {"value": "pour"})
    assert response.status_code == 403
    assert "Confirmez votre adresse" in response.content.decode()


def test_organisers_only_section(client, usager, organiser):
    section = SectionFactory(organisers_only=True)
    address = reverse("debates:propose", args=[section.consultation.slug, section.slug])
    client.force_login(usager)
    assert client.get(address).status_code == 403
    client.force_login(organiser)
    response = client.post(address, {"title": "Le constat", "body": "Les chiffres de la DGAFP."})
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.by_organiser
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Contribution de l&#x27;organisateur" in page or "Contribution de l'organisateur" in page


def test_author_edits_while_open_and_page_says_modified(client, usager, section):
    contribution = ContributionFactory(section=section, author=usager)
    client.force_login(UserFactory())
    assert client.get(url("debates:edit", contribution)).status_code == 403
    client.force_login(usager)
    assert client.get(url("debates:edit", contribution)).status_code == 200
    response = client.post(
        url("debates:edit", contribution), {"title": "Nouveau titre", "body": "Texte revu"}
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.title == "Nouveau titre" and contribution.edited_at is not None
    assert "modifié le" in client.get(contribution.get_absolute_url()).content.decode()


def test_hidden_contribution_is_not_shown(client, section):
    contribution = ContributionFactory(section=section, hidden=True)
    assert client.get(contribution.get_absolute_url()).status_code == 404
    assert contribution.title not in client.get(section_url(section)).content.decode()


def test_draft_consultation_is_not_found(client):
    section = SectionFactory(consultation=ConsultationFactory(draft=True))
    assert client.get(section_url(section)).status_code == 404


def test_official_answer_and_pin_through_actions(client, organiser, usager, contribution):
    with pytest.raises(Exception, match="organisateurs"):
        actions.pin_contribution(actor=usager, contribution=contribution, pinned=True)
    actions.pin_contribution(actor=organiser, contribution=contribution, pinned=True)
    actions.answer_contribution(
        actor=organiser, contribution=contribution, status="a-l-etude", answer="Nous l'étudions."
    )
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Épinglé" in page and "À l&#x27;étude" in page or "À l'étude" in page
    assert "Nous l" in page


def test_admin_pins_and_answers(client, organiser, contribution):
    client.force_login(organiser)
    changelist = reverse("admin:debates_contribution_changelist")
    response = client.post(changelist, {"action": "pin", "_selected_action": [contribution.pk]})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.pinned
    change = reverse("admin:debates_contribution_change", args=[contribution.pk])
    assert client.get(change).status_code == 200
    response = client.post(change, {"answer_status": "retenue", "answer": "Retenue pour 2027."})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.answer_status == "retenue" and contribution.answered_at is not None


def test_vote_constraint_is_in_the_database(contribution, usager):
    from django.db import IntegrityError, transaction

    Vote.objects.create(contribution=contribution, user=usager, value="pour")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(contribution=contribution, user=usager, value="contre")


def test_withdraw_vote(client, usager, contribution):
    client.force_login(usager)
    client.post(url("debates:vote", contribution), {"value": "pour"})
    client.post(url("debates:vote", contribution), {"value": "pour", "retirer": "1"})
    contribution.refresh_from_db()
    assert contribution.votes_total == contribution.votes_for == 0
    assert Vote.objects.count() == 0


def test_section_list_query_count_is_constant(
    client, usager, section, django_assert_max_num_queries
):
    client.force_login(usager)
    ContributionFactory(section=section, pinned=True)
    ContributionFactory(section=section)
    client.get(section_url(section))  # the visitor's seed is stored once
    counts = {}
    for sort in ("aleatoire", "votes", "debattues", "recentes", "anciennes"):
        with django_assert_max_num_queries(20) as one:
            assert client.get(section_url(section), {"tri": sort}).status_code == 200
        counts[sort] = len(one.captured_queries)
    ContributionFactory.create_batch(30, section=section)
    for sort, count in counts.items():
        with django_assert_max_num_queries(count):
            response = client.get(section_url(section), {"tri": sort})
        assert len(response.context["page"].items) == 25


def test_contribution_page_query_count_is_constant(
    client, usager, contribution, django_assert_max_num_queries
):
    client.force_login(usager)
    ArgumentFactory(contribution=contribution)
    with django_assert_max_num_queries(20) as one:
        client.get(contribution.get_absolute_url())
    ArgumentFactory.create_batch(25, contribution=contribution)
    ArgumentFactory.create_batch(25, contribution=contribution, side="contre")
    SourceFactory.create_batch(5, contribution=contribution)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(contribution.get_absolute_url())


def test_arguments_are_keyset_paginated_per_side(client, contribution):
    ArgumentFactory.create_batch(12, contribution=contribution, side="pour")
    page = client.get(contribution.get_absolute_url())
    more = page.content.decode()
    assert 'data-testid="more-pour"' in more and 'data-testid="more-contre"' not in more
    assert len(page.context["arguments_for"].items) == 10
    cursor = page.context["arguments_for"].next_cursor
    second = client.get(contribution.get_absolute_url(), {"apres_pour": cursor})
    assert len(second.context["arguments_for"].items) == 2


def test_downloads_have_counts_and_no_account_ids(client, contribution, usager):
    actions.cast_vote(actor=usager, contribution=contribution, value="pour")
    slug = contribution.section.consultation.slug
    csv_text = b"".join(
        client.get(reverse("debates:download", args=[slug, "csv"])).streaming_content
    ).decode()
    header, row = csv_text.strip().splitlines()[:2]
    assert header.startswith("id,section,titre")
    assert ",1,0,0,1," in row
    assert usager.username not in csv_text
    data = b"".join(client.get(reverse("debates:download", args=[slug, "json"])).streaming_content)
    import json

    rows = json.loads(data)
    assert rows[0]["votes_pour"] == 1 and "auteur" not in rows[0]
    schema = client.get(reverse("debates:schema", args=[slug])).json()
    assert [f["name"] for f in schema["fields"]] == header.split(",")
    assert client.get(reverse("debates:download", args=[slug, "xml"])).status_code == 404


def test_consultation_lists_its_debate_parts(contribution):
    from ecoute.consultations.parts import parts_of

    parts = parts_of(contribution.section.consultation)
    assert [part.title for part in parts] == [contribution.section.title]
    assert parts[0].contributions == 1
    assert parts[0].results_url.endswith("/debats/resultats/")


def test_moderator_sees_a_hidden_contribution_with_its_reason(client, moderator, section):
    contribution = ContributionFactory(section=section, hidden=True)
    client.force_login(moderator)
    response = client.get(contribution.get_absolute_url())
    assert response.status_code == 200
    assert "Contribution masquée par la modération : Hors sujet" in response.content.decode()


def test_organiser_sees_a_draft_but_cannot_write_in_it(client, organiser):
    section = SectionFactory(consultation=ConsultationFactory(draft=True))
    client.force_login(organiser)
    assert client.get(section_url(section)).status_code == 200
    address = reverse("debates:propose", args=[section.consultation.slug, section.slug])
    response = client.post(address, {"title": "t", "body": "b"})
    assert response.status_code == 403
    assert "Cette consultation n&#x27;est pas ouverte." in response.content.decode()


def test_current_sort_is_marked(client, contribution):
    page = client.get(section_url(contribution.section), {"tri": "votes"}).content.decode()
    assert '<span class="fr-tag fr-tag--sm" aria-current="true" data-testid="sort-votes">' in page


def test_writes_are_rate_limited(client, usager, contribution):
    client.force_login(usager)
    for n in range(20):
        response = client.post(
            url("debates:add_source", contribution), {"url": f"https://a.fr/{n}", "title": "t"}
        )
        assert response.status_code == 302
    response = client.post(
        url("debates:add_source", contribution), {"url": "https://b.fr", "title": "t"}
    )
    assert response.status_code == 429
    assert Source.objects.count() == 20


def test_section_without_votes_or_arguments_refuses_them(client, usager):
    section = SectionFactory(votes_allowed=False, arguments_allowed=False)
    contribution = ContributionFactory(section=section)
    client.force_login(usager)
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert 'data-testid="vote"' not in page and 'data-testid="argument-form"' not in page
    response = client.post(url("debates:vote", contribution), {"value": "pour"})
    assert response.status_code == 403
    assert "pas ouverte aux votes" in response.content.decode()
    response = client.post(url("debates:argue", contribution), {"side": "pour", "body": "x"})
    assert response.status_code == 403
    assert "pas ouverte aux arguments" in response.content.decode()


def test_vote_with_htmx_returns_the_vote_block(client, usager, contribution):
    client.force_login(usager)
    response = client.post(
        url("debates:vote", contribution), {"value": "contre"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith('<section id="vote"') and 'data-testid="votes-contre">1<' in text
    assert "Vote enregistré." in text and 'data-testid="vote-withdraw"' in text
    response = client.post(
        url("debates:vote", contribution), {"retirer": "1"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="votes-contre">0<' in response.content.decode()


def test_preview_shows_the_masked_text_and_stores_nothing(client, usager, section):
    client.force_login(usager)
    address = reverse("debates:propose", args=[section.consultation.slug, section.slug])
    response = client.post(
        address, {"title": "Concours", "body": "Mon numéro : 06 12 34 56 78", "apercu": "1"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="preview"' in text
    preview = text.split('data-testid="preview"')[1].split("</section>")[0]
    assert "06 12 34 56 78" not in preview
    assert Contribution.objects.count() == 0


def test_results_slug_is_reserved(section):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(consultation=section.consultation, slug="resultats")


def test_breadcrumb_goes_through_the_consultations(client, contribution):
    consultation = contribution.section.consultation
    section_page = client.get(contribution.section.get_absolute_url()).content.decode()
    contribution_page = client.get(contribution.get_absolute_url()).content.decode()

    for html in (section_page, contribution_page):
        crumbs = html[html.index("fr-breadcrumb__list") : html.index("</ol>")]
        assert crumbs.index("Accueil") < crumbs.index(">Consultations<")
        assert crumbs.index(">Consultations<") < crumbs.index(consultation.title)
        assert reverse("consultations:list") in crumbs
    assert contribution.section.title in section_page[: section_page.index("</ol>")]
