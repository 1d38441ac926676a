"""The observatory of online démarches (after the State's "Vos démarches essentielles",
observatoire.numerique.gouv.fr) and its "Je donne mon avis" button.

- `MomentDeVie`: the ten life events of the 2023 programme; each groups démarches.
- `Demarche`: an online procedure of an administration (a catalogue network when there is one).
- `Measurement`: one observatory figure (RGAA compliance, information asked again, help
  reachable, availability) at a date with its source; append-only, the latest one counts.
- `Feedback`: one anonymous answer to the feedback form; `FeedbackDay` rolls them up per
  démarche and day so that the rolling 12-month satisfaction reads ≤ 366 rows per démarche.
- `FeedbackComment`: the free comment of a feedback, masked and moderated (decision 0012).
- `Proposal`: a signed-in citizen proposes a démarche to follow; moderated, then accepted
  (which creates the démarche) or declined by an administrator.

See docs/decisions/0020-online-demarches-observatory.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import Network
from ecoute.moderation.contributions import visibility_constraints


class MomentDeVie(models.Model):
    """A life event of the 2023 "moments de vie" programme, e.g. « Je déménage »."""

    slug = models.SlugField(max_length=60, unique=True)
    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("moment de vie")
        verbose_name_plural = _("moments de vie")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("demarches:moment", args=[self.slug])


class Demarche(models.Model):
    """An online démarche followed by the observatory."""

    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text=_("Laissé vide : tiré du nom.")
    )
    name = models.CharField(_("nom"), max_length=200)
    administration = models.CharField(
        _("administration"),
        max_length=200,
        help_text=_("Le ministère ou l'opérateur qui la propose, par exemple : DGFiP"),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demarches",
        verbose_name=_("réseau"),
    )
    url = models.URLField(_("adresse de la démarche"), max_length=500)
    moments = models.ManyToManyField(
        MomentDeVie, blank=True, related_name="demarches", verbose_name=_("moments de vie")
    )
    annual_volume = models.PositiveBigIntegerField(_("volumétrie annuelle"), null=True, blank=True)
    # None: not known yet ("non mesuré").
    franceconnect = models.BooleanField(_("FranceConnect"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Loaders mark what they create ("demo:…") and stay idempotent.
    source_key = models.CharField(max_length=60, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("démarche en ligne")
        verbose_name_plural = _("démarches en ligne")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["administration", "name"], name="demarche_admin_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("demarches:detail", args=[self.slug])


class Indicator(models.TextChoices):
    """The observatory's measured indicators (satisfaction and FranceConnect are not measured
    here: the first is computed from feedback, the second is a field of the démarche)."""

    RGAA = "rgaa", _("Prise en compte du handicap (conformité RGAA)")
    DLNUF = "dlnuf", _("Dites-le-nous une fois")
    HELP = "aide", _("Aide joignable")
    AVAILABILITY = "disponibilite", _("Disponibilité")


class Measurement(models.Model):
    """One observatory figure for a démarche at a date. Append-only (`record_measurement`);
    pages read the latest per indicator. `generated` marks demo figures."""

    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="measurements")
    indicator = models.CharField(_("indicateur"), max_length=20, choices=Indicator.choices)
    value = models.DecimalField(_("valeur"), max_digits=7, decimal_places=3)
    measured_on = models.DateField(_("date de la mesure"))
    source = models.CharField(_("source"), max_length=300)
    generated = models.BooleanField(_("donnée de démonstration générée"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mesure de l'observatoire")
        verbose_name_plural = _("mesures de l'observatoire")
        ordering = ["demarche", "indicator", "-measured_on", "-id"]
        indexes = [
            models.Index(
                fields=["demarche", "indicator", "-measured_on", "-id"], name="measurement_latest"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__in=Indicator.values), name="measurement_indicator_valid"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="measurement_not_negative"),
            # Percentages stay within 0–100; the "dites-le-nous une fois" count is a count.
            models.CheckConstraint(
                condition=Q(indicator=Indicator.DLNUF) | Q(value__lte=100),
                name="measurement_percentage_max",
            ),
            models.UniqueConstraint(
                fields=["demarche", "indicator", "measured_on"], name="one_measurement_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demarche} · {self.get_indicator_display()} · {self.measured_on}"


class Satisfaction(models.TextChoices):
    """« De façon générale, comment ça s'est passé ? »: the three smileys of the State's
    "Je donne mon avis"; the /10 score counts them 10, 5 and 0."""

    GOOD = "bien", _("Bien")
    MEDIUM = "moyen", _("Moyen")
    BAD = "mal", _("Mal")


SATISFACTION_POINTS = {Satisfaction.GOOD: 10, Satisfaction.MEDIUM: 5, Satisfaction.BAD: 0}


class Help(models.TextChoices):
    """Whether help was sought and obtained (JDMA's "Aides" step, reduced to one question)."""

    NOT_NEEDED = "pas-besoin", _("Je n'ai pas eu besoin d'aide")
    REACHED = "obtenue", _("J'ai cherché de l'aide auprès de l'administration et je l'ai obtenue")
    NOT_REACHED = (
        "pas-obtenue",
        _("J'ai cherché de l'aide auprès de l'administration sans réussir à la joindre"),
    )
    ELSEWHERE = "ailleurs", _("J'ai été aidé par un proche, une association ou un site internet")


class Feedback(models.Model):
    """One anonymous answer to "Je donne mon avis": no account, no address, no identifier."""

    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="feedbacks")
    satisfaction = models.CharField(_("satisfaction"), max_length=10, choices=Satisfaction.choices)
    clarity = models.PositiveSmallIntegerField(_("clarté"), null=True, blank=True)
    help = models.CharField(_("aide"), max_length=20, choices=Help.choices, blank=True)
    # A default, not auto_now_add: the demo loader backdates what it generates.
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)
    source_key = models.CharField(max_length=60, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("avis sur une démarche")
        verbose_name_plural = _("avis sur les démarches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__in=Satisfaction.values), name="feedback_satisfaction"
            ),
            models.CheckConstraint(
                condition=Q(clarity__isnull=True) | Q(clarity__gte=1, clarity__lte=5),
                name="feedback_clarity_1_5",
            ),
            models.CheckConstraint(
                condition=Q(help="") | Q(help__in=Help.values), name="feedback_help_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demarche} · {self.satisfaction}"


class FeedbackDay(models.Model):
    """Feedback of one démarche on one day, summed (kept by `submit_feedback`, rebuilt by
    `rebuild_feedback_days`): satisfaction points, clarity and help counts."""

    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    satisfaction_points = models.PositiveIntegerField(default=0)
    clarity_count = models.PositiveIntegerField(default=0)
    clarity_sum = models.PositiveIntegerField(default=0)
    help_sought = models.PositiveIntegerField(default=0)  # from the administration
    help_obtained = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("avis du jour (cumul)")
        verbose_name_plural = _("avis par jour (cumuls)")
        constraints = [
            models.UniqueConstraint(fields=["demarche", "day"], name="one_feedback_day"),
            models.CheckConstraint(
                condition=Q(help_obtained__lte=models.F("help_sought")),
                name="feedback_day_help_obtained_le_sought",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demarche_id} {self.day}: {self.count}"


class Visibility(models.TextChoices):
    PENDING = "pending", _("En attente de modération")
    PUBLISHED = "published", _("Publié")
    HIDDEN = "hidden", _("Masqué")


class FeedbackCommentQuerySet(models.QuerySet["FeedbackComment"]):
    def published(self) -> "FeedbackCommentQuerySet":
        return self.filter(visibility=Visibility.PUBLISHED)


class FeedbackComment(models.Model):
    """The free comment of a feedback, masked before storage, shown once moderation publishes
    it. Its démarche is copied so that the démarche page reads its own index."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="comment")
    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("commentaire"))
    masked_items = models.PositiveSmallIntegerField(default=0)
    visibility = models.CharField(
        _("modération"), max_length=20, choices=Visibility.choices, default=Visibility.PENDING
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    objects = FeedbackCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commentaire d'avis")
        verbose_name_plural = _("commentaires d'avis")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["demarche", "-published_at", "-id"],
                condition=Q(visibility="published"),
                name="comment_demarche_recent",
            )
        ]
        constraints = visibility_constraints("feedback_comment")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{self.demarche.get_absolute_url()}#avis-{self.pk}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposee", _("Proposée")
    ACCEPTED = "acceptee", _("Acceptée : la démarche est suivie")
    DECLINED = "refusee", _("Non retenue")


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def published(self) -> "ProposalQuerySet":
        return self.filter(visibility=Visibility.PUBLISHED)


class Proposal(models.Model):
    """« Proposer une démarche à suivre »: name, address and why, masked and moderated; an
    administrator accepts it (creating the démarche) or declines it with a reason."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demarche_proposals",
    )
    name = models.CharField(_("nom de la démarche"), max_length=200)
    url = models.URLField(_("adresse de la démarche"), max_length=500)
    reason = models.TextField(_("pourquoi la suivre"))
    masked_items = models.PositiveSmallIntegerField(default=0)
    visibility = models.CharField(
        _("modération"), max_length=20, choices=Visibility.choices, default=Visibility.PENDING
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    status = models.CharField(
        _("suite donnée"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    decision_note = models.TextField(_("réponse de l'administration"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    demarche = models.OneToOneField(
        Demarche,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("démarche créée"),
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition de démarche")
        verbose_name_plural = _("propositions de démarches")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(visibility="published"),
                name="proposal_public_recent",
            )
        ]
        constraints = [
            *visibility_constraints("proposal"),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            # Accepted exactly when a démarche was created from it (or since deleted: SET_NULL
            # keeps the decision); declined says why.
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decision_note=""),
                name="proposal_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PROPOSED) | Q(decided_at__isnull=False),
                name="proposal_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("demarches:proposal", args=[self.pk])
