"""Experiences told by users, their public answers, and the answer statistics."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import Channel, ContactPoint, Network, Organisation
from ecoute.territories.models import Commune, Departement

from .ratings import FELT_RATINGS, SCALE_MAX, SCALE_MIN
from .search import ExperienceSearchDocument, SearchDocumentField

if TYPE_CHECKING:  # django-stubs-ext is a dev dependency
    from django_stubs_ext import StrOrPromise, StrPromise

# The five felt ratings (ratings.FELT_RATINGS): field name -> French label.
RATING_FIELDS: dict[str, "StrPromise"] = {rating.field: rating.label for rating in FELT_RATINGS}


def _rating_field(label: "StrOrPromise") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )


class ExperienceStatus(models.TextChoices):
    PENDING = "pending", _("En attente de modération")
    PUBLISHED = "published", _("Publiée")
    HIDDEN = "hidden", _("Masquée")


class ExperienceOrigin(models.TextChoices):
    USER = "user", _("Déposée sur Écoute")
    IMPORTED = "imported", _("Importée (Services Publics +)")
    GENERATED = "generated", _("Générée (données de démonstration)")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Négative")


PUBLISHED = models.Q(status="published")
# Low-cardinality columns the public list filters on, carried in its indexes (see Meta).
LIST_FILTER_COLUMNS = ["channel", "sentiment", "is_answered"]


class ExperienceQuerySet(models.QuerySet["Experience"]):
    def published(self) -> "ExperienceQuerySet":
        return self.filter(status=ExperienceStatus.PUBLISHED)

    def pending(self) -> "ExperienceQuerySet":
        return self.filter(status=ExperienceStatus.PENDING)


class Experience(models.Model):
    """One user's account of one contact with a service. Title and body are stored masked."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experiences",
    )
    # Imported experiences may know only their network (SP+ export has no structure id).
    contact_point = models.ForeignKey(
        ContactPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiences",
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="experiences")
    occurred_on = models.DateField(_("date de l'expérience"), null=True, blank=True)
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices, blank=True)
    sentiment = models.CharField(
        _("ressenti"), max_length=10, choices=Sentiment.choices, blank=True
    )
    # One per FELT_RATINGS, written out for the migrations (tests/experiences/test_ratings.py).
    rating_satisfaction = _rating_field(_("Satisfaction"))
    rating_delays = _rating_field(_("Délais"))
    rating_accessibility = _rating_field(_("Accessibilité"))
    rating_simplicity = _rating_field(_("Simplicité"))
    rating_relationship = _rating_field(_("Qualité de la relation"))
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("récit"))
    masked_items = models.PositiveSmallIntegerField(_("données personnelles masquées"), default=0)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=ExperienceStatus.choices,
        default=ExperienceStatus.PENDING,
    )
    origin = models.CharField(
        _("origine"), max_length=20, choices=ExperienceOrigin.choices, default=ExperienceOrigin.USER
    )
    source_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Hash of author + contact point + content: refuses a double click within a minute.
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(_("déposée le"), auto_now_add=True, db_index=True)
    # No single-column index: scanned backwards it walks every unpublished row first. The
    # partial indexes below (WHERE status = 'published') serve every public list.
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    # Where the contact point is, copied by publish_experience so that every filter of the
    # public list is one column of this table with its own (partial) index: no join to sort.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    # The organisation that handles it now: the contact point's organisation (or the network's
    # head for a story naming only a network) from publication on, changed when an agent routes
    # it elsewhere or when it escalates (ecoute/inbox). Its agents, and those of the
    # organisations above it, may answer (permissions.answering_organisation).
    handling_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("service qui traite"),
    )
    # Kept by answer_experience; "answered or not" is a filter of the public list.
    is_answered = models.BooleanField(_("a reçu une réponse"), default=False)
    # When its first answer was published (set once, by answer_experience): the delay to the
    # first answer of AnswerStatistics.
    first_answered_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    # "Moi aussi" count, kept by set_metoo with F() in the same transaction as the MeToo row.
    metoo_count = models.PositiveIntegerField(_("« moi aussi »"), default=0)
    # Computed by the database: tsvector (PostgreSQL) or folded text (SQLite); see search.py.
    search_vector = models.GeneratedField(
        expression=ExperienceSearchDocument(),
        output_field=SearchDocumentField(),
        db_persist=True,
        editable=False,
    )

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("expérience")
        ordering = ["-created_at", "-id"]
        # Public lists read published rows only: partial indexes, one per high-cardinality
        # filter, each ending with the sort key so that `(published_at, id) < (X, Y)` is an
        # index condition. Low-cardinality filters (channel, sentiment, answered or not) are
        # carried in each index (INCLUDE, PostgreSQL only), so the capped count checks them
        # without reading the table (an index-only scan). Search is checked while walking
        # these or through the GIN index on search_vector, created by migration 0004 on
        # PostgreSQL only. See docs/decisions/0007-browse-experiences.md.
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=PUBLISHED,
                include=LIST_FILTER_COLUMNS,
                name="exp_pub_recent",
            ),
            models.Index(
                fields=["-metoo_count", "-published_at", "-id"],
                condition=PUBLISHED,
                include=LIST_FILTER_COLUMNS,
                name="exp_pub_metoo",
            ),
            models.Index(
                fields=["-published_at", "-id"],
                condition=PUBLISHED & models.Q(is_answered=True),
                include=LIST_FILTER_COLUMNS,
                name="exp_pub_answered_recent",
            ),
            *(
                models.Index(
                    fields=[field, "-published_at", "-id"],
                    condition=PUBLISHED,
                    include=LIST_FILTER_COLUMNS,
                    name=f"exp_pub_{short}_recent",
                )
                for field, short in (
                    ("contact_point", "point"),
                    ("organisation", "org"),
                    ("network", "network"),
                    ("departement", "dept"),
                    ("commune", "commune"),
                )
            ),
            # Moderation queue: pending experiences, oldest first.
            models.Index(fields=["status", "created_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    *(
                        models.Q(**{f"{name}__isnull": True})
                        | models.Q(**{f"{name}__gte": SCALE_MIN, f"{name}__lte": SCALE_MAX})
                        for name in RATING_FIELDS
                    )
                ),
                name="ratings_between_1_and_5",
            ),
            # The public state is set by the moderation callbacks only (moderation.registry);
            # its invariants hold whatever writes the row.
            models.CheckConstraint(
                condition=models.Q(status__in=ExperienceStatus.values),
                name="experience_status_valid",
            ),
            models.CheckConstraint(
                condition=~PUBLISHED | models.Q(published_at__isnull=False),
                name="experience_published_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="hidden") | ~models.Q(hidden_reason=""),
                name="experience_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experiences:detail", args=[self.pk])

    def ratings(self) -> list[tuple["StrPromise", int]]:
        """(label, value) of each rating given, in the canonical order; unrated ones are left
        out (imported experiences are often only partly rated)."""
        return [
            (label, value)
            for name, label in RATING_FIELDS.items()
            if (value := getattr(self, name)) is not None
        ]


class MeToo(models.Model):
    """One account saying "moi aussi" (it happened to me too) on one published experience.

    `Experience.metoo_count` mirrors the number of rows (set_metoo keeps both in one
    transaction). A deleted account's row stays, without its user, so the count stays true.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("« moi aussi »")
        verbose_name_plural = _("« moi aussi »")
        constraints = [
            models.UniqueConstraint(fields=["user", "experience"], name="one_metoo_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.experience_id}"


class Answer(models.Model):
    """A public answer by an agent, signed with the name of the service they answer for.

    Each organisation gives one official answer per experience (a partial unique constraint);
    anything it adds later is a follow-up ("complément") pointing at that official answer
    (docs/decisions/0011-answers-official-and-revisions.md). The body is the current
    version, masked; every version, the first included, is an `AnswerRevision`.
    """

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Empty for the official answer; a follow-up points at its organisation's official answer.
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("complément de"),
    )
    body = models.TextField(_("réponse"))
    masked_items = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("répondu le"), auto_now_add=True)
    # Set by edit_answer: "modifiée le …" on the public page, without reading the revisions.
    edited_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)
    # One-time token of the form that published it: a double click or a replay finds it taken.
    form_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Set by hide_answer (a moderator, e.g. after a report): the answer is no longer shown.
    hidden_at = models.DateTimeField(_("masquée le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    # "Utile" count, kept by set_answer_useful with F() in the same transaction as the row.
    useful_count = models.PositiveIntegerField(_("« utile »"), default=0)

    class Meta:
        verbose_name = _("réponse")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["experience", "organisation"],
                condition=models.Q(follow_up_of__isnull=True),
                name="one_official_answer_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"Réponse de {self.organisation} à « {self.experience} »"

    @property
    def is_official(self) -> bool:
        return self.follow_up_of_id is None


class AnswerRevision(models.Model):
    """One version of an answer as it was published (masked). Append-only: written by
    answer_experience (the first version) and edit_answer (each later one), never changed."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("réponse"))
    masked_items = models.PositiveSmallIntegerField(default=0)
    # The agent who wrote this version (the author or a colleague of the same organisation).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("publiée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version d'une réponse")
        verbose_name_plural = _("versions des réponses")
        ordering = ["answer", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["answer", "-created_at", "-id"], name="answer_revision_history")
        ]

    def __str__(self) -> str:
        return f"Version {self.pk} de la réponse {self.answer_id}"


class AnswerUseful(models.Model):
    """One account finding one answer useful (same rules as MeToo)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("« utile »")
        verbose_name_plural = _("« utile »")
        constraints = [
            models.UniqueConstraint(fields=["user", "answer"], name="one_useful_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.answer_id}"


class GuestSubmission(models.Model):
    """An experience told without an account (decision 0009).

    Until its e-mail link is opened, the masked content waits in `draft` and no `Experience`
    exists; opening the link creates the experience (pending, author left empty) and keeps this
    row as its private contact: the address is never shown, it only receives the notices.
    Unconfirmed rows are deleted once the link has expired (`purge_unconfirmed_experiences`).
    """

    email = models.EmailField(_("adresse électronique"))  # stored lower-cased, never shown
    postal_code = models.CharField(_("code postal"), max_length=5)
    contact_point = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="+")
    draft = models.JSONField(default=dict, blank=True)  # masked content; emptied on confirmation
    # Hash of e-mail + contact point + masked text: the same story is sent once.
    fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    experience = models.OneToOneField(
        Experience,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guest_contact",
    )

    class Meta:
        verbose_name = _("expérience sans compte")
        verbose_name_plural = _("expériences sans compte")
        constraints = [
            # Confirmed exactly when the experience exists.
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, experience__isnull=True)
                | models.Q(confirmed_at__isnull=False, experience__isnull=False),
                name="guest_confirmed_iff_experience",
            ),
            # Two identical unconfirmed submissions cannot both wait (double click, replays).
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(confirmed_at__isnull=True),
                name="guest_unconfirmed_fingerprint_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(postal_code__regex=r"^[0-9]{5}$"),
                name="guest_postal_code_five_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"Expérience sans compte n° {self.pk}"


class AnswerStatistics(models.Model):
    """Roll-up of answers for one scope: a network (every published experience naming it), or
    an organisation (the experiences of its contact points and of every organisation below
    it). Kept by the actions that publish, hide, edit, withdraw and answer
    (answer_statistics.record_*); rebuilt by `manage.py rebuild_answer_statistics`.

    `delay_histogram` counts answered experiences by whole days from publication to the first
    answer ({"0": n, "1": n, …, "366": n for a year or more}): medians are read from it, and
    adding organisations' histograms gives their network's exactly.
    """

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    published_count = models.PositiveIntegerField(_("expériences publiées"), default=0)
    answered_count = models.PositiveIntegerField(_("expériences ayant reçu une réponse"), default=0)
    delay_histogram = models.JSONField(_("délais de première réponse (jours)"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("statistiques des réponses")
        verbose_name_plural = _("statistiques des réponses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(network__isnull=True, organisation__isnull=False)
                | models.Q(network__isnull=False, organisation__isnull=True),
                name="answer_statistics_one_scope",
            ),
            models.UniqueConstraint(
                fields=["network"],
                condition=models.Q(organisation__isnull=True),
                name="answer_statistics_network_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(network__isnull=True),
                name="answer_statistics_organisation_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_count__lte=models.F("published_count")),
                name="answer_statistics_answered_within_published",
            ),
        ]

    def __str__(self) -> str:
        scope = f"organisation {self.organisation_id}" if self.organisation_id else ""
        return f"Réponses ({scope or f'réseau {self.network_id}'})"
