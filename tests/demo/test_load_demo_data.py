import pytest
from django.core.management import CommandError, call_command

from ecoute.accounts.models import User
from ecoute.answering.models import AnswerTemplate
from ecoute.catalogue.models import AgentMembership
from ecoute.documents.models import Document, DocumentStatus
from ecoute.experiences.models import AnswerUseful, Experience, ExperienceOrigin, MeToo
from ecoute.follows.models import Follow
from ecoute.france_services.models import CoverageRun
from ecoute.inbox.models import InboxEntry, InternalNote
from ecoute.moderation.models import ModerationLogEntry, Report, ReportStatus
from ecoute.remontees.models import PublicSummary, Remontee
from tests.factories import ContactPointFactory, NetworkFactory, OrganisationFactory
from tests.indicators.helpers import felt_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    cnaf = NetworkFactory(name="CNAF", slug="cnaf")
    caf = OrganisationFactory(name="Caf de l'AIN", network=cnaf)
    point = ContactPointFactory(organisation=caf, name="Caf de l'AIN — site internet")
    other_caf = OrganisationFactory(name="Caf du Rhône", network=cnaf)
    ContactPointFactory(organisation=other_caf, name="Caf du Rhône — accueil")
    pole_emploi = OrganisationFactory(
        name="DIRECTION GENERALE-PE", network=NetworkFactory(name="POLE EMPLOI", slug="pole-emploi")
    )
    for index in range(3):
        Experience.objects.create(
            network=pole_emploi.network,
            title=f"Importée {index}",
            body="mon dossier est bloque depuis trois mois" if index else "monsieur x m a dit",
            origin=ExperienceOrigin.IMPORTED,
            source_key=f"test:{index}",
        )
    return point


def test_demo_data_is_complete_and_idempotent(reference, capsys):
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert "ecoute-demo-2026" in out
    for name in [
        "admin",
        "moderatrice",
        "agent-caf",
        "responsable-caf",
        "agent-caf-2",
        "agent-pole-emploi",
        "usager",
    ]:
        assert name in out
        assert User.objects.get(username=name).check_password("ecoute-demo-2026")
    assert "France services coverage" in out
    assert CoverageRun.objects.count() == 1  # the coverage page has figures to show
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="moderatrice").is_moderator
    assert AgentMembership.objects.filter(
        user__username="agent-caf", organisation=reference.organisation
    ).exists()
    generated = Experience.objects.filter(
        origin=ExperienceOrigin.GENERATED, source_key__startswith="demo:caf:"
    )
    assert generated.count() == 7
    assert generated.published().count() == 6
    assert felt_counts(reference)[1] == 6
    # The indicators: 12 generated ratings on the other CAF's point, published, rolled up.
    rated = Experience.objects.filter(source_key__startswith="demo:indicateurs:")
    assert rated.published().count() == 12
    assert all(title.startswith("Avis généré") for title in rated.values_list("title", flat=True))
    # … and 12 more on the same point in the semester before, for the barometer's change.
    assert felt_counts(rated.first().contact_point)[1] == 12 + 12
    # The agents' inbox: five unanswered stories, one assigned by the manager with a note.
    assert AgentMembership.objects.get(user__username="responsable-caf").role == "responsable"
    entries = InboxEntry.objects.filter(organisation=reference.organisation)
    assert entries.filter(is_open=True).count() == 5
    assert entries.get(assignee__username="agent-caf").state == "en_cours"
    assert "généré" in InternalNote.objects.get().body
    # A real import addressing a person stays in the queue for a human moderator.
    imported = Experience.objects.filter(origin=ExperienceOrigin.IMPORTED)
    assert imported.published().count() == 2
    assert imported.get(title="Importée 0").status == "pending"
    # Every page of a first visit has content: moi aussi, useful answer, follows, a report,
    # documents answered and waiting; generated texts say they are generated.
    usager = User.objects.get(username="usager")
    assert MeToo.objects.filter(user=usager).count() == 2
    assert imported.published().filter(metoo_count=1).count() == 2
    assert AnswerUseful.objects.filter(user=usager).count() == 1
    report = Report.objects.get(reporter=usager, status=ReportStatus.OPEN)
    assert report.target.origin == ExperienceOrigin.IMPORTED
    assert "généré" in report.comment
    assert Follow.objects.filter(user=usager, contact_point=reference).exists()
    assert Follow.objects.filter(user=usager, experience__isnull=False).count() == 1
    documents = Document.objects.filter(author=usager, organisation=reference.organisation)
    assert sorted(documents.values_list("status", flat=True)) == [
        DocumentStatus.PENDING,
        DocumentStatus.PUBLISHED,
    ]
    assert all("généré" in d.difficulty for d in documents)
    assert documents.get(status=DocumentStatus.PUBLISHED).simplified_text
    # Remontées agents: generated, said so, published but one, supported, followed up.
    remontees = Remontee.objects.filter(source_key__startswith="demo:remontee:")
    assert remontees.count() == 4 and remontees.published().count() == 3
    assert all("généré" in r.description for r in remontees)
    assert remontees.filter(support_count=1).count() == 3
    assert remontees.exclude(status="recue").count() == 2
    assert PublicSummary.objects.published().count() == 1
    # Answer templates for each demo organisation, marked generated.
    templates = AnswerTemplate.objects.filter(is_generated=True)
    assert templates.filter(organisation=reference.organisation).count() == 5
    assert templates.filter(organisation__name="DIRECTION GENERALE-PE").count() == 5
    snapshot = (
        Experience.objects.count(),
        ModerationLogEntry.objects.count(),
        MeToo.objects.count(),
        Follow.objects.count(),
        Document.objects.count(),
        Report.objects.count(),
        Remontee.objects.count(),
        AnswerTemplate.objects.count(),
    )

    call_command("load_demo_data")
    assert (
        Experience.objects.count(),
        ModerationLogEntry.objects.count(),
        MeToo.objects.count(),
        Follow.objects.count(),
        Document.objects.count(),
        Report.objects.count(),
        Remontee.objects.count(),
        AnswerTemplate.objects.count(),
    ) == snapshot
    # admin, moderatrice, 3 CAF agents, Pôle emploi, usager; and the debates' 24 generated voters
    generated_voters = User.objects.filter(username__startswith="participant-genere-")
    assert User.objects.exclude(pk__in=generated_voters).count() == 7
    assert generated_voters.count() == 24
    assert InternalNote.objects.count() == 1


def test_demo_data_needs_reference_data_first():
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("load_demo_data")


def test_demo_example_page_uses_the_served_port(reference, capsys, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:8123{reference.get_absolute_url()}" in out


def test_demo_data_publishes_the_barometer_editions(reference, client):
    from ecoute.barometre.models import Edition
    from ecoute.demo.barometre import DEMO_NOTE

    call_command("load_demo_data")
    published = list(Edition.objects.current())
    assert published, "the demo ratings cover at least one finished semester"
    assert all(e.note == DEMO_NOTE and e.published_by.username == "admin" for e in published)
    # Generated ratings in an earlier semester: the latest edition has a change to show.
    assert len(published) >= 2
    page = client.get("/barometre/").content.decode()
    assert 'data-testid="national-table"' in page
    assert "pas d&#x27;édition précédente" not in page
    assert "Édition de démonstration" in page
    edition_page = client.get(published[0].get_absolute_url()).content.decode()
    assert "Édition de démonstration" in edition_page
    call_command("load_demo_data")  # idempotent: published editions stay as they are
    assert list(Edition.objects.current()) == published
