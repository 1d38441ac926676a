"""Structured debates of a consultation (the Forum de l'action publique's sections on Cap
Collectif, Decidim's debates and proposals, CONSUL's).

- `Section`: one part of a consultation's debate ("Problématique", "Facteurs d'explication",
  "Propositions"…), who may contribute to it, whether contributions are voted on and argued.
- `Contribution`: a title and a text (masked before storage), moderated after publication
  (decision in README), with denormalised counters kept by the actions with F() expressions.
  Proposals get an official answer and a status.
- `Vote`: pour / contre / mitigé, one per account and contribution (a database constraint).
- `Argument` (pour / contre, masked, moderated) and `ArgumentVote` (one per account).
- `Source`: a link (http/https) backing a contribution, moderated.
- `OpinionMap`: the opinion groups of a consultation's votes, computed by a command, stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.consultations.models import Consultation
from ecoute.moderation.contributions import visibility_constraints

SHUFFLE_SPAN = 2**31 - 1


def new_shuffle_key() -> int:
    return secrets.randbelow(SHUFFLE_SPAN)


class Visibility(models.TextChoices):
    PENDING = "pending", _("En attente de modération")
    PUBLISHED = "published", _("Publié")
    HIDDEN = "hidden", _("Masqué")


class SectionKind(models.TextChoices):
    PROBLEM = "problematique", _("Problématique")
    FACTORS = "facteurs", _("Facteurs d'explication")
    PROPOSALS = "propositions", _("Propositions")
    DEBATE = "debat", _("Débat")
    OTHER = "autre", _("Autre")


class Contributors(models.TextChoices):
    PARTICIPANTS = "participants", _("Les participants")
    ORGANISERS = "organisateurs", _("L'organisateur seulement")


class Section(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="debate_sections"
    )
    kind = models.CharField(
        _("nature"), max_length=20, choices=SectionKind.choices, default=SectionKind.OTHER
    )
    title = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(_("présentation"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    contributors = models.CharField(
        _("qui peut contribuer"),
        max_length=20,
        choices=Contributors.choices,
        default=Contributors.PARTICIPANTS,
    )
    votes_allowed = models.BooleanField(_("votes"), default=True)
    arguments_allowed = models.BooleanField(_("arguments"), default=True)
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("section de débat")
        verbose_name_plural = _("sections de débat")
        ordering = ["consultation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "slug"], name="section_slug_unique"),
            # "…/debats/resultats/" is the results page.
            models.CheckConstraint(
                condition=~Q(slug="resultats"), name="section_slug_not_reserved"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SectionKind.values), name="section_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(contributors__in=Contributors.values), name="section_contributors_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("debates:section", args=[self.consultation.slug, self.slug])

    @property
    def is_proposals(self) -> bool:
        return self.kind == SectionKind.PROPOSALS


class AnswerStatus(models.TextChoices):
    NONE = "", _("Sans réponse")
    ACCEPTED = "retenue", _("Retenue")
    STUDYING = "a-l-etude", _("À l'étude")
    REJECTED = "non-retenue", _("Non retenue")


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        return self.filter(visibility=Visibility.PUBLISHED)


PUBLISHED = Q(visibility="published")
SHUFFLED = Q(visibility="published", pinned=False)


class Contribution(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debate_contributions",
    )
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    category = models.CharField(_("catégorie"), max_length=120, blank=True)
    masked_items = models.PositiveSmallIntegerField(default=0)
    by_organiser = models.BooleanField(_("contribution de l'organisateur"), default=False)
    pinned = models.BooleanField(_("épinglée"), default=False)
    is_imported = models.BooleanField(_("importée"), default=False)
    is_generated = models.BooleanField(_("générée (démonstration)"), default=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    edited_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)
    visibility = models.CharField(
        _("modération"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    # Kept by the actions (F() expressions), never recomputed on a page.
    votes_for = models.PositiveIntegerField(_("pour"), default=0)
    votes_against = models.PositiveIntegerField(_("contre"), default=0)
    votes_mixed = models.PositiveIntegerField(_("mitigé"), default=0)
    votes_total = models.PositiveIntegerField(_("votes"), default=0)
    arguments_count = models.PositiveIntegerField(_("arguments"), default=0)
    sources_count = models.PositiveIntegerField(_("sources"), default=0)
    # The "ordonné puis aléatoire" order: a random key, read from a per-visitor offset.
    shuffle_key = models.IntegerField(default=new_shuffle_key, editable=False)
    # Proposals: the organiser's official answer.
    answer = models.TextField(_("réponse officielle"), blank=True)
    answer_status = models.CharField(
        _("suite donnée"), max_length=20, choices=AnswerStatus.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["section", "shuffle_key", "id"],
                condition=SHUFFLED,
                name="contribution_shuffled",
            ),
            models.Index(
                fields=["section", "-votes_total", "-id"],
                condition=PUBLISHED,
                name="contribution_most_voted",
            ),
            models.Index(
                fields=["section", "-arguments_count", "-id"],
                condition=PUBLISHED,
                name="contribution_most_argued",
            ),
            models.Index(
                fields=["section", "created_at", "id"],
                condition=PUBLISHED,
                name="contribution_by_date",
            ),
            models.Index(
                fields=["section", "id"],
                condition=Q(visibility="published", pinned=True),
                name="contribution_pinned",
            ),
        ]
        constraints = [
            *visibility_constraints("contribution"),
            models.CheckConstraint(
                condition=Q(answer_status__in=AnswerStatus.values),
                name="contribution_answer_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    votes_total=models.F("votes_for")
                    + models.F("votes_against")
                    + models.F("votes_mixed")
                ),
                name="contribution_votes_total",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("debates:contribution", args=[self.section.consultation.slug, self.pk])


class VoteValue(models.TextChoices):
    FOR = "pour", _("Pour")
    AGAINST = "contre", _("Contre")
    MIXED = "mitige", _("Mitigé")


# The counter each vote value moves, and its weight in the opinion groups.
VOTE_COUNTER = {
    VoteValue.FOR: "votes_for",
    VoteValue.AGAINST: "votes_against",
    VoteValue.MIXED: "votes_mixed",
}
OPINION_VALUE = {VoteValue.FOR: 1, VoteValue.AGAINST: -1, VoteValue.MIXED: 0}


class Vote(models.Model):
    # No single-column indexes: the unique constraint (contribution, user) and the index
    # (user, contribution) serve both lookups (5 M rows at scale: two indexes saved).
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="debate_votes",
        db_index=False,
    )
    value = models.CharField(_("vote"), max_length=10, choices=VoteValue.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_generated = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "user"], name="one_vote_per_account_and_contribution"
            ),
            models.CheckConstraint(
                condition=Q(value__in=VoteValue.values), name="vote_value_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "contribution"], name="vote_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value} {self.contribution_id}"


class Side(models.TextChoices):
    FOR = "pour", _("Pour")
    AGAINST = "contre", _("Contre")
    # Imported comments without a position (Decidim's "neutre"): listed under the two columns.
    NEUTRAL = "neutre", _("Sans position")


ARGUED_SIDES = (Side.FOR, Side.AGAINST)  # what a participant chooses here


class Argument(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="arguments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debate_arguments",
    )
    side = models.CharField(_("côté"), max_length=10, choices=Side.choices)
    body = models.TextField(_("argument"))
    masked_items = models.PositiveSmallIntegerField(default=0)
    votes_count = models.PositiveIntegerField(_("soutiens"), default=0)
    is_imported = models.BooleanField(_("importé"), default=False)
    created_at = models.DateTimeField(_("publié le"), auto_now_add=True)
    visibility = models.CharField(
        _("modération"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
        ordering = ["-votes_count", "-id"]
        indexes = [
            models.Index(
                fields=["contribution", "side", "-votes_count", "-id"],
                condition=PUBLISHED,
                name="argument_most_supported",
            )
        ]
        constraints = [
            *visibility_constraints("argument"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="argument_side_valid"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.contribution.get_absolute_url()}#argument-{self.pk}"


class ArgumentVote(models.Model):
    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debate_argument_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soutien d'argument")
        verbose_name_plural = _("soutiens d'arguments")
        constraints = [
            models.UniqueConstraint(
                fields=["argument", "user"], name="one_argument_vote_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.argument_id}"


class Source(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="sources")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debate_sources",
    )
    url = models.URLField(_("adresse"), max_length=500)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    masked_items = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    visibility = models.CharField(
        _("modération"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["contribution", "id"]
        indexes = [
            models.Index(fields=["contribution", "id"], condition=PUBLISHED, name="source_list")
        ]
        constraints = [
            *visibility_constraints("source"),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.contribution.get_absolute_url()}#source-{self.pk}"


class OpinionMap(models.Model):
    """The opinion groups of a consultation's debate votes, computed by `compute_debate_opinions`
    (never on a page) and stored as the page shows them."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="debate_opinions"
    )
    computed_at = models.DateTimeField(_("calculé le"))
    participants = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    # {"points": [[x, y, group]…], "groups": [{"size", "contributions": [{id, title, …}]}],
    #  "consensus": [...]} — no account ids.
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("carte des opinions")
        verbose_name_plural = _("cartes des opinions")

    def __str__(self) -> str:
        return str(self.consultation)
