"""factory_boy factories for every model the foundation tests need (traits where useful)."""

import datetime as dt
import uuid

import factory
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from ecoute.accounts.models import ExternalIdentity, IdentityProvider, User
from ecoute.answering.models import AnswerTemplate, TemplateFamily
from ecoute.catalogue.actions import index_organisations
from ecoute.catalogue.models import (
    AgentMembership,
    Channel,
    ContactPoint,
    Engagement,
    MembershipRole,
    Network,
    Organisation,
    OrganisationType,
)
from ecoute.catalogue.search import search_text_for
from ecoute.common.text import fold
from ecoute.documents.models import Document, DocumentStatus, FileType
from ecoute.documents.storage import save_private_file
from ecoute.experiences import handling
from ecoute.experiences.models import (
    Answer,
    AnswerRevision,
    AnswerUseful,
    Experience,
    ExperienceStatus,
    GuestSubmission,
    MeToo,
)
from ecoute.experiences.ratings import published_ratings_changed
from ecoute.follows.models import AgentAlertState, DigestDelivery, Follow, NotificationSettings
from ecoute.inbox.models import InternalNote, JournalEntry, JournalKind
from ecoute.moderation.actions import new_item, refresh_open_reports
from ecoute.moderation.models import Report, ReportReason
from ecoute.remontees.models import (
    Kind,
    PublicSummary,
    Remontee,
    Scope,
    Status,
    StatusChange,
    Support,
    Theme,
    Visibility,
)
from ecoute.resources.models import (
    Category,
    ModuleCompletion,
    ModuleStep,
    PublicationStatus,
    Resource,
    TrainingModule,
)
from ecoute.territories.models import Commune, Departement, PostalCode, Region
from tests.documents.samples import pdf_bytes

PASSWORD = "motdepasse-solide-42"  # every UserFactory user's password


def answer_form_data(body: str, **overrides: str) -> dict[str, str]:
    """The confirmation ("Publier") of the answer form, with a fresh one-time key."""
    return {"body": body, "etape": "publier", "jeton": uuid.uuid4().hex, **overrides}


def experience_form_data(**overrides: str) -> dict[str, str]:
    """A valid "tell an experience" form submission (phone, e-mail and NIR in the body)."""
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "channel": "guichet",
        "sentiment": "negative",
        "rating_satisfaction": "2",
        "rating_delays": "1",
        "rating_accessibility": "4",
        "rating_simplicity": "2",
        "rating_relationship": "5",
        "title": "Deux heures d'attente pour un rendez-vous",
        "body": (
            "Arrivée à 9h, reçue à 11h. L'agent était aimable. "
            "Rappelez-moi au 06 12 34 56 78 ou écrivez à jeanne.martin@example.org, "
            "mon numéro de sécu est 1 85 05 78 006 084 91."
        ),
    } | overrides


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "84"
    name = "Auvergne-Rhône-Alpes"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "01"
    name = "Ain"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = "01053"
    name = "Bourg-en-Bresse"
    search_name = factory.LazyAttribute(lambda o: fold(o.name))
    departement = factory.SubFactory(DepartementFactory)
    population = 41_365


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usager{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        unconfirmed = factory.Trait(email_confirmed_at=None)
        moderator = factory.Trait(is_moderator=True)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # noqa: ANN001
        if create:
            instance.save()


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Réseau {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Agence {n}")
    network = factory.SubFactory(NetworkFactory)
    parent = None

    @factory.post_generation
    def set_path(self, create, extracted, **kwargs):  # noqa: ANN001
        parent_path = self.parent.path if self.parent else "/"
        self.path = f"{parent_path}{self.pk}/"
        if create:
            self.save(update_fields=["path"])
            index_organisations(organisation_ids=[self.pk])


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    channel = Channel.COUNTER
    name = factory.LazyAttribute(lambda o: f"Accueil {o.organisation.name}")
    address = "1 rue de la République"
    postal_code = "01000"
    commune = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
    search_text = factory.LazyAttribute(
        lambda o: search_text_for(
            o.name,
            o.organisation.name,
            o.organisation.network.name,
            o.commune.name,
            o.departement.code,
            o.departement.name,
            o.postal_code,
        )
    )

    @factory.post_generation
    def index(self, create, extracted, **kwargs):  # noqa: ANN001
        """The public search reads the organisation's document: rebuild it, as imports do."""
        if create:
            index_organisations(organisation_ids=[self.organisation_id])


class AgentMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgentMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)

    class Params:
        manager = factory.Trait(role=MembershipRole.MANAGER)


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    contact_point = factory.SubFactory(ContactPointFactory)
    network = factory.LazyAttribute(lambda o: o.contact_point.organisation.network)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    channel = Channel.COUNTER
    sentiment = "negative"
    rating_satisfaction = 2
    rating_delays = 1
    rating_accessibility = 3
    rating_simplicity = 2
    rating_relationship = 4
    title = factory.Sequence(lambda n: f"Attente au guichet n°{n}")
    body = "J'ai attendu deux heures pour déposer un dossier complet, puis on m'a renvoyé."
    # The database's invariants: published has a date, hidden has a reason.
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == ExperienceStatus.PUBLISHED else None
    )
    hidden_reason = factory.LazyAttribute(
        lambda o: "Hors charte" if o.status == ExperienceStatus.HIDDEN else ""
    )

    class Params:
        # As publish_experience leaves it: published, with the contact point's place copied.
        published = factory.Trait(
            status=ExperienceStatus.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            organisation=factory.LazyAttribute(
                lambda o: o.contact_point.organisation if o.contact_point else None
            ),
            commune=factory.LazyAttribute(
                lambda o: o.contact_point.commune if o.contact_point else None
            ),
            departement=factory.LazyAttribute(
                lambda o: o.contact_point.departement if o.contact_point else None
            ),
            handling_organisation=factory.LazyAttribute(
                lambda o: (
                    o.contact_point.organisation
                    if o.contact_point
                    else handling.network_head(o.network.pk)
                )
            ),
        )
        hidden = factory.Trait(status=ExperienceStatus.HIDDEN, hidden_reason="Hors charte")

    @factory.post_generation
    def moderation_item(self, create, extracted, **kwargs):  # noqa: ANN001
        """As submit_experience does: the experience has its moderation item."""
        if create:
            new_item(self).save()

    @factory.post_generation
    def inbox(self, create, extracted, **kwargs):  # noqa: ANN001
        """As publish_experience does: a published experience is in its services' inboxes."""
        if create and self.status == ExperienceStatus.PUBLISHED:
            handling.changed(self.pk)

    @factory.post_generation
    def rolled_up(self, create, extracted, **kwargs):  # noqa: ANN001
        """As publish_experience does: a published experience's ratings are in the roll-ups."""
        if create and self.status == ExperienceStatus.PUBLISHED and extracted is not False:
            published_ratings_changed([self.pk], 1)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer
        skip_postgeneration_save = True

    experience = factory.SubFactory(ExperienceFactory, published=True)
    author = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.experience.contact_point.organisation)
    body = "Merci pour votre retour, nous renforçons l'accueil le lundi matin."

    @factory.post_generation
    def mark_answered(self, create, extracted, **kwargs):  # noqa: ANN001
        """As answer_experience does: the experience now counts as answered."""
        if create:
            Experience.objects.filter(pk=self.experience_id).update(is_answered=True)
            Experience.objects.filter(pk=self.experience_id, first_answered_at__isnull=True).update(
                first_answered_at=self.created_at
            )
            self.experience.is_answered = True
            self.experience.first_answered_at = self.experience.first_answered_at or self.created_at
            handling.changed(self.experience_id)

    @factory.post_generation
    def moderation_item(self, create, extracted, **kwargs):  # noqa: ANN001
        """As answer_experience does: the answer has its (published) moderation item."""
        if create:
            new_item(self).save()


class AnswerRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerRevision

    answer = factory.SubFactory(AnswerFactory)
    body = factory.LazyAttribute(lambda o: o.answer.body)
    author = factory.LazyAttribute(lambda o: o.answer.author)


class PostalCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostalCode
        django_get_or_create = ("code", "commune")

    code = "01000"
    commune = factory.SubFactory(CommuneFactory)


class OrganisationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationType
        django_get_or_create = ("sp_code",)

    sp_code = factory.Sequence(lambda n: f"type{n}")
    name = "Agence"


class EngagementFactory(factory.django.DjangoModelFactory):
    """A national engagement by default; pass `network=` for a network's own."""

    class Meta:
        model = Engagement

    code = factory.Sequence(lambda n: f"engagement-{n}")
    number = factory.Sequence(lambda n: n + 1)
    axis = "Un service public plus proche"
    title = factory.Sequence(lambda n: f"Engagement de test {n}")
    network = None
    source_url = "https://www.plus.transformation.gouv.fr/engagement/1"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A complex document with a real PDF in private storage (tests point
    PRIVATE_STORAGE_ROOT at a temporary folder)."""

    class Meta:
        model = Document

    author = factory.SubFactory(UserFactory)
    contact_point = factory.SubFactory(ContactPointFactory)
    organisation = factory.LazyAttribute(lambda o: o.contact_point.organisation)
    title = factory.Sequence(lambda n: f"Formulaire de demande n°{n}")
    difficulty = "Je ne comprends pas quelles pièces joindre ni ce que veut dire « quotient »."
    file_key = factory.LazyAttribute(lambda o: save_private_file(o.file_data))
    file_type = FileType.PDF
    file_size = factory.LazyAttribute(lambda o: len(o.file_data))

    class Params:
        file_data = factory.LazyFunction(pdf_bytes)
        published = factory.Trait(
            status=DocumentStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )
        hidden = factory.Trait(status=DocumentStatus.HIDDEN, hidden_reason="Hors sujet")
        answered = factory.Trait(
            answer="Voici ce que chaque rubrique demande.",
            answering_organisation=factory.SelfAttribute("organisation"),
            answered_at=factory.LazyFunction(timezone.now),
            simplified_text="1. Votre nom. 2. Vos revenus de l'an dernier. 3. Signez.",
        )


class FollowFactory(factory.django.DjangoModelFactory):
    """Follows a contact point; `FollowFactory(experience=e, contact_point=None)` an experience."""

    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    contact_point = factory.SubFactory(ContactPointFactory)
    experience = None


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationSettings
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class DigestDeliveryFactory(factory.django.DjangoModelFactory):
    """A daily digest sent for yesterday."""

    class Meta:
        model = DigestDelivery

    user = factory.SubFactory(UserFactory)
    frequency = "daily"
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    window_end = factory.LazyFunction(timezone.now)
    window_start = factory.LazyAttribute(lambda o: o.window_end - dt.timedelta(days=1))
    sent_at = factory.LazyFunction(timezone.now)


class ReportFactory(factory.django.DjangoModelFactory):
    """A report of a published experience (pass `target=` for another content)."""

    class Meta:
        model = Report
        exclude = ("target",)
        skip_postgeneration_save = True

    reporter = factory.SubFactory(UserFactory)
    reason = ReportReason.ABUSE
    target = factory.SubFactory(ExperienceFactory, published=True)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: o.target.pk)

    @factory.post_generation
    def raise_in_queue(self, create, extracted, **kwargs):  # noqa: ANN001
        """As report_content does: the reported content's item counts its open reports."""
        if create and self.target is not None:
            with transaction.atomic():
                refresh_open_reports(self.target)


class MeTooFactory(factory.django.DjangoModelFactory):
    """A "moi aussi" row with its counter moved, as actions.set_metoo leaves them."""

    class Meta:
        model = MeToo
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    experience = factory.SubFactory(ExperienceFactory, published=True)

    @factory.post_generation
    def count(self, create, extracted, **kwargs):  # noqa: ANN001
        if create:
            Experience.objects.filter(pk=self.experience_id).update(
                metoo_count=models.F("metoo_count") + 1
            )


class AnswerUsefulFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerUseful
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    answer = factory.SubFactory(AnswerFactory)

    @factory.post_generation
    def count(self, create, extracted, **kwargs):  # noqa: ANN001
        if create:
            Answer.objects.filter(pk=self.answer_id).update(
                useful_count=models.F("useful_count") + 1
            )


class GuestSubmissionFactory(factory.django.DjangoModelFactory):
    """An experience told without an account, still waiting for its e-mail link."""

    class Meta:
        model = GuestSubmission

    email = factory.Sequence(lambda n: f"invite{n}@example.org")
    postal_code = "01000"
    contact_point = factory.SubFactory(ContactPointFactory)
    draft = factory.LazyFunction(
        lambda: {
            "occurred_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
            "channel": Channel.COUNTER,
            "sentiment": "negative",
            "ratings": {
                "satisfaction": 2,
                "delays": 1,
                "accessibility": 3,
                "simplicity": 2,
                "relationship": 4,
            },
            "title": "Dossier perdu deux fois",
            "body": "J'ai dû renvoyer mon dossier deux fois, sans accusé de réception.",
            "masked_items": 0,
        }
    )
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")


class ExternalIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalIdentity

    user = factory.SubFactory(UserFactory)
    provider = IdentityProvider.FRANCECONNECT
    subject = factory.Sequence(lambda n: f"fc-sub-{n}")


class RemonteeFactory(factory.django.DjangoModelFactory):
    """A remontée raised by an agent of its organisation (pending, as raise_remontee leaves
    it); `published=True` / `hidden=True` as moderation leaves them."""

    class Meta:
        model = Remontee
        skip_postgeneration_save = True

    author = factory.LazyAttribute(
        lambda o: AgentMembershipFactory(organisation=o.organisation).user
    )
    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.LazyAttribute(lambda o: o.organisation.network)
    kind = Kind.TOOL
    scope = Scope.NETWORK
    theme = Theme.DIGITAL_TOOLS
    title = factory.Sequence(lambda n: f"Le logiciel de gestion plante à la validation n°{n}")
    description = (
        "Depuis la dernière mise à jour, le logiciel se fige à chaque validation de dossier : "
        "il faut tout ressaisir."
    )
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.visibility == Visibility.PUBLISHED else None
    )
    hidden_reason = factory.LazyAttribute(
        lambda o: "Hors charte" if o.visibility == Visibility.HIDDEN else ""
    )

    class Params:
        published = factory.Trait(visibility=Visibility.PUBLISHED)
        hidden = factory.Trait(visibility=Visibility.HIDDEN)

    @factory.post_generation
    def moderation_item(self, create, extracted, **kwargs):  # noqa: ANN001
        """As raise_remontee does: the remontée has its moderation item."""
        if create:
            new_item(self).save()


class SupportFactory(factory.django.DjangoModelFactory):
    """A "moi aussi" with its counter moved, as actions.set_support leaves them."""

    class Meta:
        model = Support
        skip_postgeneration_save = True

    remontee = factory.SubFactory(RemonteeFactory, published=True)
    user = factory.LazyAttribute(
        lambda o: AgentMembershipFactory(organisation__network=o.remontee.network).user
    )

    @factory.post_generation
    def count(self, create, extracted, **kwargs):  # noqa: ANN001
        if create:
            Remontee.objects.filter(pk=self.remontee_id).update(
                support_count=models.F("support_count") + 1
            )


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    remontee = factory.SubFactory(RemonteeFactory, published=True)
    actor = factory.SubFactory(UserFactory, is_staff=True)
    from_status = Status.RECEIVED
    to_status = Status.STUDYING


class PublicSummaryFactory(factory.django.DjangoModelFactory):
    """A published public summary (pass `visibility=Visibility.PENDING` for one in review)."""

    class Meta:
        model = PublicSummary
        skip_postgeneration_save = True

    remontee = factory.SubFactory(RemonteeFactory, published=True)
    written_by = factory.SubFactory(UserFactory, is_staff=True)
    network = factory.LazyAttribute(lambda o: o.remontee.network)
    theme = factory.LazyAttribute(lambda o: o.remontee.theme)
    title = factory.Sequence(lambda n: f"Un correctif du logiciel est prévu n°{n}")
    body = "Le blocage à la validation est connu : un correctif est prévu pour le mois prochain."
    visibility = Visibility.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.visibility == Visibility.PUBLISHED else None
    )

    @factory.post_generation
    def moderation_item(self, create, extracted, **kwargs):  # noqa: ANN001
        if create:
            new_item(self).save()


class AgentAlertStateFactory(factory.django.DjangoModelFactory):
    """An agent's immediate-alert batch, due now (as queue_agent_alerts leaves it, later)."""

    class Meta:
        model = AgentAlertState
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    due_at = factory.LazyFunction(timezone.now)
    covered_until = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A draft guide; `published=True` as publish_content leaves it."""

    class Meta:
        model = Resource

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Guide n°{n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "Un guide pour répondre aux usagers."
    body = "## Principe\n\nRemercier, reconnaître, expliquer, dire ce qui change.\n"

    class Params:
        published = factory.Trait(
            status=PublicationStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    """A draft module; `published=True` as publish_content leaves it."""

    class Meta:
        model = TrainingModule

    title = factory.Sequence(lambda n: f"Module n°{n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    summary = "Un module court."
    estimated_minutes = 20

    class Params:
        published = factory.Trait(
            status=PublicationStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


class ModuleStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleStep

    module = factory.SubFactory(TrainingModuleFactory, published=True)
    resource = factory.SubFactory(ResourceFactory, published=True)
    position = factory.Sequence(lambda n: n)


class ModuleCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleCompletion

    user = factory.SubFactory(UserFactory)
    module = factory.SubFactory(TrainingModuleFactory, published=True)


class AnswerTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerTemplate

    organisation = factory.SubFactory(OrganisationFactory)
    family = TemplateFamily.DELAY
    title = factory.Sequence(lambda n: f"Délai de traitement n°{n}")
    body = (
        "Bonjour {pseudonyme}, merci pour votre retour du {date} sur {service}. "
        "Votre dossier est en cours de traitement."
    )

    class Params:
        archived = factory.Trait(is_archived=True)


class InternalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternalNote

    experience = factory.SubFactory(ExperienceFactory, published=True)
    author = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.experience.contact_point.organisation)
    body = "Usager déjà rappelé lundi ; dossier transmis au service instructeur."


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    experience = factory.SubFactory(ExperienceFactory, published=True)
    kind = JournalKind.ASSIGNED


def staff_with_permissions(*app_labels: str) -> User:
    """A staff account holding every permission of these apps (an organiser: « consultations »,
    « questionnaires », « debates »)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=app_labels))
    return user
