"""Every page and route of the observatory through the HTTP client, every role on every write,
query counts on every list."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ecoute.demarches import actions
from ecoute.demarches.models import (
    Demarche,
    FeedbackComment,
    Measurement,
    Proposal,
    ProposalStatus,
    Visibility,
)
from ecoute.moderation import actions as moderation
from ecoute.moderation.masking import EMAIL_MASK
from ecoute.moderation.models import ModerationItem
from ecoute.remontees.models import Scope
from tests.factories import PublicSummaryFactory, RemonteeFactory, UserFactory

from .conftest import ROLES, login
from .factories import DemarcheFactory, MomentDeVieFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _measure(demarche, indicator="rgaa", value=75, generated=False):
    return actions.record_measurement(
        actor=None,
        demarche=demarche,
        indicator=indicator,
        value=value,
        measured_on=timezone.localdate() - dt.timedelta(days=10),
        source="Déclaration d'accessibilité",
        generated=generated,
    )


def _published_comment(demarche, text="La page expire avant la validation."):
    feedback = actions.submit_feedback(demarche=demarche, satisfaction="moyen", comment=text)
    moderation.publish(actor=UserFactory(moderator=True), target=feedback.comment)
    return feedback.comment


# --- The observatory table ------------------------------------------------------------------


def test_observatory_lists_every_demarche_with_values_and_levels(client):
    moment = MomentDeVieFactory(name="Je déménage", slug="je-demenage")
    impots = DemarcheFactory(name="Déclarer ses revenus", slug="revenus", administration="DGFiP")
    impots.moments.add(moment)
    caf = DemarcheFactory(name="Prime d'activité", slug="prime", administration="Cnaf")
    _measure(impots, "rgaa", 100)
    _measure(caf, "dlnuf", 5, generated=True)
    page = client.get(reverse("demarches:list"))
    assert page.status_code == 200
    text = page.text
    assert 'data-testid="row-revenus"' in text and 'data-testid="row-prime"' in text
    assert "<caption>Démarches en ligne et leurs indicateurs</caption>" in text
    assert "pas encore assez d&#x27;avis (0 / 100)" in text
    assert "100 %" in text and "Bon" in text and "À améliorer" in text
    assert 'data-testid="generated-notice"' in text  # a generated figure is on the page
    # How many démarches at each level, per indicator.
    assert "Nombre de démarches à chaque niveau, par indicateur" in text
    assert page.context["summary"][1].counts == [1, 0, 0, 1]  # RGAA: one good, one unmeasured
    assert page.context["summary"][2].counts == [0, 0, 1, 1]  # dites-le-nous une fois
    # Thresholds explained under the table.
    assert "Bon : de 0 à 1 · Moyen : de 2 à 4 · À améliorer : plus de 4" in text
    filtered = client.get(reverse("demarches:list"), {"moment": "je-demenage"})
    assert 'data-testid="row-revenus"' in filtered.text
    assert 'data-testid="row-prime"' not in filtered.text
    by_admin = client.get(reverse("demarches:list"), {"administration": "Cnaf"})
    assert 'data-testid="row-prime"' in by_admin.text
    assert 'data-testid="row-revenus"' not in by_admin.text


def test_observatory_sorts_by_satisfaction_and_volume(client, settings):
    settings.ECOUTE_DEMARCHE_MIN_REVIEWS = 1
    low = DemarcheFactory(name="A démarche", slug="a", annual_volume=10)
    high = DemarcheFactory(name="B démarche", slug="b", annual_volume=5)
    actions.submit_feedback(demarche=low, satisfaction="mal")
    actions.submit_feedback(demarche=high, satisfaction="bien")
    text = client.get(reverse("demarches:list"), {"tri": "satisfaction"}).text
    assert text.index('data-testid="row-b"') < text.index('data-testid="row-a"')
    text = client.get(reverse("demarches:list"), {"tri": "volumetrie"}).text
    assert text.index('data-testid="row-a"') < text.index('data-testid="row-b"')


def test_observatory_bad_filter_is_a_400_in_french(client):
    DemarcheFactory()
    page = client.get(reverse("demarches:list"), {"moment": "inconnu", "tri": "hasard"})
    assert page.status_code == 400
    assert "Sélectionnez un choix valide" in page.text


def test_observatory_queries_do_not_grow_with_demarches(client, django_assert_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("demarches:list")).status_code == 200
        return len(queries)

    for index in range(3):
        _measure(DemarcheFactory(), "rgaa", 60 + index)
    few = count()
    for _ in range(20):
        demarche = DemarcheFactory()
        _measure(demarche, "aide", 90)
        actions.submit_feedback(demarche=demarche, satisfaction="bien")
    assert count() == few
    with django_assert_num_queries(few):
        client.get(reverse("demarches:list"))


def test_observatory_csv(client):
    demarche = DemarcheFactory(name="Déclarer ses revenus", slug="revenus", annual_volume=1000)
    _measure(demarche, "disponibilite", "99.95", generated=True)
    response = client.get(reverse("demarches:csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("demarche;administration;adresse;volumetrie_annuelle;avis_12_mois")
    assert lines[0].endswith("donnees_generees")
    assert "Déclarer ses revenus;DGFiP" in lines[1]
    assert "99.950;bon" in lines[1] and lines[1].endswith(";oui")
    assert ";non-mesure;" in lines[1]


# --- A démarche -----------------------------------------------------------------------------


def test_demarche_page_explains_indicators_and_shows_published_comments(client):
    demarche = DemarcheFactory(name="Déclarer ses revenus", slug="revenus")
    _measure(demarche, "rgaa", 75)
    published = _published_comment(demarche)
    pending = actions.submit_feedback(
        demarche=demarche, satisfaction="mal", comment="Encore en attente de relecture."
    )
    page = client.get(reverse("demarches:detail", args=["revenus"]))
    assert page.status_code == 200
    text = page.text
    assert "Indicateurs de la démarche, leur niveau et leurs seuils" in text
    assert "75 %" in text and "Moyen" in text
    assert "Bon : 100\u00a0% (totalement conforme)" in text
    assert "2 avis reçus" in text
    assert "pas encore assez d&#x27;avis (2 / 100)" in text
    assert f'data-testid="comment-{published.pk}"' in text
    assert f'data-testid="comment-{pending.comment.pk}"' not in text
    assert 'href="/demarches/revenus/avis/"' in text
    assert 'data-testid="embed"' not in text  # anonymous: no snippet


@pytest.mark.parametrize(
    ("role", "sees_embed"),
    [
        ("anonymous", False),
        ("usager", False),
        ("agent", True),
        ("moderator", False),
        ("admin", True),
    ],
)
def test_embed_snippet_for_administrators_and_agents_of_the_network(
    client, users, caf, role, sees_embed
):
    DemarcheFactory(slug="prime", network=caf)
    login(client, users[role])
    text = client.get(reverse("demarches:detail", args=["prime"])).text
    assert ('data-testid="embed"' in text) is sees_embed
    if sees_embed:
        assert "&lt;a href=&quot;http://testserver/demarches/prime/avis/&quot;&gt;" in text or (
            '&lt;a href="http://testserver/demarches/prime/avis/"&gt;' in text
        )
        assert "method=&quot;get&quot;" in text or 'method="get"' in text


def test_agents_difficulties_on_the_demarche_page(client, users, caf):
    demarche = DemarcheFactory(slug="prime", network=caf, name="Prime d'activité")
    agent = users["agent"]
    organisation = agent.memberships.get().organisation
    visible = RemonteeFactory(
        organisation=organisation,
        published=True,
        scope=Scope.DEMARCHE,
        demarche_name=demarche.name,
        demarche=demarche,
        title="Les revenus saisonniers ne se déclarent pas",
    )
    summary = PublicSummaryFactory(remontee=visible, title="Un formulaire plus souple arrive")
    RemonteeFactory(  # pending: not counted, not shown
        organisation=organisation, scope=Scope.DEMARCHE, demarche_name="x", demarche=demarche
    )
    public = client.get(reverse("demarches:detail", args=["prime"])).text
    assert "1 difficulté signalée" in public
    assert summary.title in public
    assert visible.title not in public  # the agent's text stays internal
    login(client, agent)
    inside = client.get(reverse("demarches:detail", args=["prime"])).text
    assert visible.title in inside and "Visible des agents seulement" in inside


def test_demarche_page_queries_are_bounded(client, django_assert_max_num_queries):
    demarche = DemarcheFactory(slug="revenus")
    demarche.moments.add(MomentDeVieFactory())
    for _ in range(5):
        _published_comment(demarche)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("demarches:detail", args=["revenus"])).status_code == 200


def test_unknown_demarche_is_404(client):
    assert client.get(reverse("demarches:detail", args=["inconnue"])).status_code == 404
    assert client.get(reverse("demarches:feedback", args=["inconnue"])).status_code == 404


# --- Je donne mon avis ------------------------------------------------------------------------


FEEDBACK = {"satisfaction": "mal", "clarity": "2", "help": "pas-obtenue", "comment": ""}


def test_feedback_form_prefilled_by_the_embedded_snippet(client):
    DemarcheFactory(slug="revenus")
    page = client.get(reverse("demarches:feedback", args=["revenus"]), {"satisfaction": "bien"})
    assert page.status_code == 200
    assert 'value="bien"' in page.text and "checked" in page.text
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert not Demarche.objects.get().feedbacks.exists()  # a GET stores nothing


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gives_feedback_without_account_data(client, users, role):
    demarche = DemarcheFactory(slug="revenus")
    login(client, users[role])
    response = client.post(reverse("demarches:feedback", args=["revenus"]), FEEDBACK)
    assert response.status_code == 302
    assert response["Location"] == reverse("demarches:thanks", args=["revenus"])
    assert demarche.feedbacks.count() == 1
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Merci pour votre avis" in thanks.text


def test_feedback_comment_masked_and_queued(client):
    DemarcheFactory(slug="revenus")
    response = client.post(
        reverse("demarches:feedback", args=["revenus"]),
        {**FEEDBACK, "comment": "Écrivez-moi à jeanne.dupont@example.org, merci."},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 donnée personnelle a été masquée dans votre commentaire." in response.text
    assert "relu par la modération" in response.text
    comment = FeedbackComment.objects.get()
    assert EMAIL_MASK in comment.text and "jeanne.dupont" not in comment.text
    assert ModerationItem.objects.get(kind="avis-demarche").object_id == comment.pk


def test_invalid_feedback_gets_french_errors(client):
    DemarcheFactory(slug="revenus")
    page = client.post(
        reverse("demarches:feedback", args=["revenus"]),
        {"satisfaction": "", "clarity": "9", "help": "", "comment": "x" * 2001},
    )
    assert page.status_code == 400
    assert "Choisissez comment ça s&#x27;est passé." in page.text
    assert "Sélectionnez un choix valide" in page.text
    assert "Assurez-vous que cette valeur comporte au plus 2000 caractères" in page.text
    assert not Demarche.objects.get().feedbacks.exists()


def test_feedback_rate_limit_is_a_429_in_french_and_keeps_no_address(client, settings):
    settings.RATELIMIT_ENABLE = True
    DemarcheFactory(slug="revenus")
    url = reverse("demarches:feedback", args=["revenus"])
    for _ in range(20):
        assert client.post(url, FEEDBACK, REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = client.post(url, FEEDBACK, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "Vous avez fait trop de demandes en peu de temps" in refused.text
    # Another address is not limited; nothing stores an address.
    assert client.post(url, FEEDBACK, REMOTE_ADDR="203.0.113.8").status_code == 302
    assert all("203.0.113" not in str(key) for key in getattr(cache, "_cache", {}))


def test_daily_salted_key_changes_every_day(rf, settings):
    from ecoute.demarches.views import daily_address_key

    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    today = daily_address_key("g", request)
    assert "203.0.113.7" not in today and len(today) == 64
    assert daily_address_key("g", rf.post("/", REMOTE_ADDR="203.0.113.7")) == today
    from unittest import mock

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with mock.patch("ecoute.demarches.views.timezone.localdate", return_value=tomorrow):
        assert daily_address_key("g", request) != today


# --- Moments de vie ---------------------------------------------------------------------------


def test_moments_de_vie_pages(client, django_assert_max_num_queries):
    moment = MomentDeVieFactory(name="Je cherche un emploi", slug="emploi")
    demarche = DemarcheFactory(name="Prime d'activité", administration="Cnaf")
    demarche.moments.add(moment)
    comment = _published_comment(demarche, "Les revenus saisonniers ne rentrent nulle part.")
    with django_assert_max_num_queries(8):
        listing = client.get(reverse("demarches:moments"))
    assert listing.status_code == 200 and "1 démarche suivie" in listing.text
    with django_assert_max_num_queries(12):
        page = client.get(reverse("demarches:moment", args=["emploi"]))
    assert page.status_code == 200
    assert "Prime d&#x27;activité" in page.text and "Cnaf" in page.text
    assert page.context["summary"][0].counts == [0, 0, 0, 1]  # satisfaction: too few reviews
    assert f'data-testid="comment-{comment.pk}"' in page.text
    assert "0 difficult" in page.text
    assert client.get(reverse("demarches:moment", args=["inconnu"])).status_code == 404


# --- Proposals --------------------------------------------------------------------------------

PROPOSAL = {
    "name": "Demande d'aide au logement",
    "url": "https://www.caf.fr/logement",
    "reason": "Beaucoup d'étudiants la font chaque année et s'y perdent.",
}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_proposing(client, users, role):
    login(client, users[role])
    response = client.post(reverse("demarches:propose"), PROPOSAL)
    if role == "anonymous":
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
        assert not Proposal.objects.exists()
        return
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.visibility == Visibility.PENDING
    assert client.get(response["Location"]).status_code == 200  # the author reads it


def test_unconfirmed_account_cannot_propose_and_errors_are_french(client):
    login(client, UserFactory(unconfirmed=True))
    assert client.post(reverse("demarches:propose"), PROPOSAL).status_code == 403
    login(client, UserFactory())
    page = client.post(reverse("demarches:propose"), {**PROPOSAL, "url": "pas une adresse"})
    assert page.status_code == 400 and "Saisissez une URL valide." in page.text
    assert client.get(reverse("demarches:propose")).status_code == 200


def test_proposals_list_shows_published_ones_only(client, django_assert_max_num_queries):
    published = ProposalFactory(visibility=Visibility.PUBLISHED, published_at=timezone.now())
    pending = ProposalFactory()
    with django_assert_max_num_queries(6):
        page = client.get(reverse("demarches:proposals"))
    assert f'data-testid="proposal-{published.pk}"' in page.text
    assert f'data-testid="proposal-{pending.pk}"' not in page.text
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(pending.get_absolute_url()).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_deciding_a_proposal(client, users, role):
    proposal = ProposalFactory(visibility=Visibility.PUBLISHED, published_at=timezone.now())
    login(client, users[role])
    url = reverse("demarches:decide", args=[proposal.pk])
    data = {"decision": "accepter", "accepter-administration": "Cnaf", "accepter-note": ""}
    response = client.post(url, data)
    proposal.refresh_from_db()
    if role == "admin":
        demarche = Demarche.objects.get()
        assert response.status_code == 302 and response["Location"] == demarche.get_absolute_url()
        assert proposal.status == ProposalStatus.ACCEPTED and proposal.demarche == demarche
    else:
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert "/compte/connexion/" in response["Location"]
        assert proposal.status == ProposalStatus.PROPOSED and not Demarche.objects.exists()


def test_admin_declines_with_a_reason_shown_on_the_proposal(client, users):
    proposal = ProposalFactory(visibility=Visibility.PUBLISHED, published_at=timezone.now())
    login(client, users["admin"])
    page = client.get(proposal.get_absolute_url())
    assert 'data-testid="decide"' in page.text
    url = reverse("demarches:decide", args=[proposal.pk])
    missing = client.post(url, {"decision": "refuser", "refuser-note": ""})
    assert missing.status_code == 400 and "Ce champ est obligatoire." in missing.text
    done = client.post(url, {"decision": "refuser", "refuser-note": "Hors du périmètre"})
    assert done.status_code == 302
    page = client.get(proposal.get_absolute_url())
    assert "Hors du périmètre" in page.text and "Non retenue" in page.text


# --- Administrators' measurements in the admin -------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_adding_a_measurement_in_the_admin(client, users, role):
    demarche = DemarcheFactory()
    login(client, users[role])
    response = client.post(
        reverse("admin:demarches_measurement_add"),
        {
            "demarche": demarche.pk,
            "indicator": "rgaa",
            "value": "75",
            "measured_on": timezone.localdate().isoformat(),
            "source": "Audit",
        },
    )
    if role == "admin":
        assert response.status_code == 302
        measurement = Measurement.objects.get()
        assert measurement.recorded_by == users["admin"] and not measurement.generated
    else:
        assert response.status_code in (302, 403)
        assert not Measurement.objects.exists()


def test_admin_measurement_form_refuses_a_bad_value_in_french(client, users):
    demarche = DemarcheFactory()
    login(client, users["admin"])
    page = client.post(
        reverse("admin:demarches_measurement_add"),
        {
            "demarche": demarche.pk,
            "indicator": "rgaa",
            "value": "120",
            "measured_on": timezone.localdate().isoformat(),
            "source": "Audit",
        },
    )
    assert page.status_code == 200 and "Un pourcentage ne dépasse pas 100." in page.text


def test_admin_edits_a_demarche_through_the_action(client, users):
    login(client, users["admin"])
    response = client.post(
        reverse("admin:demarches_demarche_add"),
        {
            "name": "Demander MaPrimeRénov'",
            "slug": "",
            "administration": "Anah",
            "url": "https://www.maprimerenov.gouv.fr/",
            "franceconnect": "true",
            "annual_volume": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Demarche.objects.get().slug == "demander-maprimerenov"


def test_a_published_comment_can_be_reported(client, users):
    demarche = DemarcheFactory(slug="revenus")
    comment = _published_comment(demarche, "Propos injurieux envers un agent.")
    page = client.get(reverse("demarches:detail", args=["revenus"]))
    url = reverse("moderation:report", args=["avis-demarche", comment.pk])
    assert f'href="{url}"' in page.text
    login(client, users["usager"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "abuse", "comment": ""})
    assert response.status_code in (200, 302)
    from ecoute.moderation.models import Report

    assert Report.objects.filter(object_id=comment.pk).exists()
