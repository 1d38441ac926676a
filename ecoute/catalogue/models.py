"""Public services: networks (CAF, CPAM…), organisations (SP+ structures) and contact points."""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.territories.models import Commune, Departement, Region


class Network(models.Model):
    """A network of public services, e.g. CNAF, Pôle emploi, DGFIP (Services Publics + 'réseau')."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("réseau")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.Model):
    """SP+ 'typologie' of a structure, e.g. 'Agence CAF', 'Préfecture'."""

    sp_code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("type de structure")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A public service structure (an SP+ structure): agency, direction, préfecture…

    Structures form a tree (parent); `path` materialises it so an agent of a direction can be
    found for any agency below it with one indexed prefix query.
    """

    sp_code = models.CharField(_("code SP+"), max_length=20, unique=True, null=True, blank=True)
    name = models.CharField(_("nom"), max_length=300)
    public_name = models.CharField(_("nom usager"), max_length=300, blank=True)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="organisations")
    type = models.ForeignKey(
        OrganisationType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")
    identifier = models.CharField(_("identifiant"), max_length=40, blank=True)
    identifier_type = models.CharField(_("type d'identifiant"), max_length=40, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.SET_NULL, null=True, blank=True)
    departement = models.ForeignKey(Departement, on_delete=models.SET_NULL, null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True)
    website = models.URLField(_("site internet"), max_length=500, blank=True)
    is_active = models.BooleanField(_("en activité"), default=True)
    # The search document (catalogue.search.organisation_document), folded, in three parts
    # weighted A, B, C: names; network, type and the names people use (synonyms); places
    # (communes, postcodes, département). Rebuilt by actions.index_organisations.
    search_name = models.TextField(editable=False, default="")
    search_kind = models.TextField(editable=False, default="")
    search_place = models.TextField(editable=False, default="")
    # PostgreSQL only (GIN index, migration 0004): the weighted tsvector of the three parts.
    # Left null on SQLite, where search ranks the same parts in Python.
    search_vector = SearchVectorField(null=True, editable=False)
    # The delay within which the organisation announces it answers an experience (Services
    # Publics + commitment); empty: settings.ECOUTE_ANSWER_DELAY_DAYS. The agents' inbox counts
    # down from it and escalation starts from it (ecoute/inbox).
    answer_delay_days = models.PositiveSmallIntegerField(
        _("délai de réponse annoncé (jours)"),
        null=True,
        blank=True,
        help_text=_("Vide : le délai par défaut de la plateforme."),
    )

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.public_name or self.name

    @property
    def display_name(self) -> str:
        return self.public_name or self.name

    @property
    def answer_delay(self) -> dt.timedelta:
        """The announced answer delay, or the platform's default."""
        days = self.answer_delay_days
        return dt.timedelta(days=settings.ECOUTE_ANSWER_DELAY_DAYS if days is None else days)

    def ancestor_ids(self) -> list[int]:
        """This organisation's id and those of every organisation above it, root first (read
        from the materialised path, no query)."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        if self.pk not in ids:
            ids.append(self.pk)
        return ids


class Channel(models.TextChoices):
    """How a user reaches a service (the channels of an SP+ experience)."""

    COUNTER = "guichet", _("Guichet")
    PHONE = "telephone", _("Téléphone")
    ONLINE = "en_ligne", _("En ligne")
    MAIL = "courrier", _("Courrier")


class ContactPointQuerySet(models.QuerySet["ContactPoint"]):
    def active(self) -> "ContactPointQuerySet":
        return self.filter(is_active=True)


class ContactPoint(models.Model):
    """A precise place where users meet a service: a counter, a phone line, an online démarche."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contact_points"
    )
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices)
    name = models.CharField(_("nom"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("adresse"), max_length=400, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_points"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.URLField(_("lien"), max_length=500, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    # Folded name + organisation + network + commune + postcode + département: the one column
    # the search reads. Not indexed: `LIKE '%term%'` scans it (docs/decisions/0003-search.md).
    search_text = models.TextField(editable=False, default="")
    source_key = models.CharField(max_length=60, unique=True, null=True, blank=True)

    objects = ContactPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("point de contact")
        verbose_name_plural = _("points de contact")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("experiences:contact_point", args=[self.pk])


class MembershipRole(models.TextChoices):
    AGENT = "agent", _("Agent")
    # Sees the team's load and reassigns (ecoute/inbox), for the organisation and below it.
    MANAGER = "responsable", _("Responsable d'équipe")


class AgentMembership(models.Model):
    """An agent belongs to an organisation (and so answers for it and every structure below it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.AGENT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance d'agent")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
            models.CheckConstraint(
                condition=models.Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class Engagement(models.Model):
    """A commitment of the Services Publics + programme, in its official wording.

    `network` empty: a national engagement every service commits to; set: a network's own
    declination. `indicator_code` names the indicator that will measure it once the
    indicators app exists; until then pages say the measure is to come.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("numéro"))
    axis = models.CharField(_("axe"), max_length=120, blank=True)
    title = models.CharField(_("intitulé officiel"), max_length=300)
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("réseau"),
    )
    indicator_code = models.CharField(_("code de l'indicateur"), max_length=40, blank=True)
    source_url = models.URLField(_("source"), max_length=500)

    class Meta:
        verbose_name = _("engagement")
        # National engagements first on both databases (PostgreSQL sorts NULL last by default).
        ordering = [models.F("network_id").asc(nulls_first=True), "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(network__isnull=True),
                name="unique_national_engagement_number",
            ),
            models.UniqueConstraint(
                fields=["network", "number"],
                condition=models.Q(network__isnull=False),
                name="unique_network_engagement_number",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="engagement_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
