"""Factories of the demarches app (kept beside its tests)."""

import factory

from ecoute.demarches.models import Demarche, MomentDeVie, Proposal
from tests.factories import UserFactory


class MomentDeVieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MomentDeVie
        django_get_or_create = ("slug",)

    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"moment-{n}")
    name = factory.Sequence(lambda n: f"Je vis le moment {n}")


class DemarcheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demarche

    slug = factory.Sequence(lambda n: f"demarche-{n}")
    name = factory.Sequence(lambda n: f"Démarche en ligne {n}")
    administration = "DGFiP"
    url = factory.LazyAttribute(lambda o: f"https://www.impots.gouv.fr/{o.slug}")
    franceconnect = True


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    author = factory.SubFactory(UserFactory)
    name = "Demande d'aide personnalisée au logement"
    url = "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/logement"
    reason = "Beaucoup d'étudiants la font chaque année et s'y perdent."
