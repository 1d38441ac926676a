"""factory_boy factories for every model the foundation tests need (traits where useful)."""

import datetime as dt

import factory
from django.utils import timezone

from ecoute.accounts.models import ExternalIdentity, IdentityProvider, User
from ecoute.catalogue.models import (
    AgentMembership,
    Channel,
    ContactPoint,
    Network,
    Organisation,
)
from ecoute.catalogue.search import search_text_for
from ecoute.common.text import fold
from ecoute.experiences.models import Answer, Experience, ExperienceStatus, GuestSubmission
from ecoute.territories.models import Commune, Departement, Region

PASSWORD = "motdepasse-solide-42"  # every UserFactory user's password


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


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

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


class AgentMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgentMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience

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

    class Params:
        published = factory.Trait(
            status=ExperienceStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    experience = factory.SubFactory(ExperienceFactory, published=True)
    author = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.experience.contact_point.organisation)
    body = "Merci pour votre retour, nous renforçons l'accueil le lundi matin."


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
