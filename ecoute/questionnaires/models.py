"""Questionnaires of a consultation (the Forum de l'action publique's, Decidim forms, Cap
Collectif): sections of questions, the responses of accounts (draft → submitted, editable while
the participation phase is open) and the tallies the results page reads.

- `Questionnaire`: in a consultation, or a template (`is_template`, no consultation) that an
  organiser copies into one (the Grand Débat's four questionnaires).
- `Section`, `Question` (single / multiple with `max_choices` / ranking / scale / short / long
  text; required; shown only when an earlier answer is one of `condition_choices`), `Choice`
  (`is_other`: « Autre », with its text).
- `Response`: one per account and questionnaire (imported responses have no account, only an
  opaque `respondent_key`); `Answer` (text, number) and `AnswerChoice` (choice, rank) rows.
- `Tally` and `RespondentTally`: counts per question × choice × value × audience ×
  département, kept by delta when a response is submitted or resubmitted (same transaction):
  the results page never scans responses.
- `TextTopic`: topics of a question's free texts (ecoute.analysis), each Answer assigned.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ecoute.consultations.models import Consultation
from ecoute.territories.models import Departement


class QuestionKind(models.TextChoices):
    SINGLE = "unique", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiple")
    RANKING = "classement", _("Classement")
    SCALE = "echelle", _("Échelle")
    SHORT_TEXT = "texte-court", _("Texte court")
    LONG_TEXT = "texte-long", _("Texte long")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


class ResponseState(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "envoyee", _("Envoyée")


class RespondentAudience(models.TextChoices):
    USAGER = "usager", _("Usager")
    AGENT = "agent", _("Agent public")
    UNKNOWN = "inconnu", _("Non renseigné")


class Questionnaire(models.Model):
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("consultation"),
    )
    title = models.CharField(_("titre"), max_length=250)
    introduction = models.TextField(_("introduction"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_template = models.BooleanField(
        _("modèle"), default=False, help_text=_("Un modèle se copie dans une consultation.")
    )
    # Loaders mark what they create ("grand-debat-2019:4", "an-egalite-2016") and stay idempotent.
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_template=True) | Q(consultation__isnull=False),
                name="questionnaire_in_consultation_unless_template",
            ),
            models.CheckConstraint(
                condition=Q(is_template=False) | Q(consultation__isnull=True),
                name="questionnaire_template_has_no_consultation",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("titre"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("nature"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    help_text = models.CharField(_("aide"), max_length=400, blank=True)
    required = models.BooleanField(_("obligatoire"), default=False)
    max_choices = models.PositiveSmallIntegerField(
        _("nombre de réponses maximum"),
        null=True,
        blank=True,
        help_text=_("Choix multiple seulement, par exemple 3."),
    )
    scale_min = models.SmallIntegerField(_("minimum de l'échelle"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("maximum de l'échelle"), null=True, blank=True)
    scale_min_label = models.CharField(_("libellé du minimum"), max_length=80, blank=True)
    scale_max_label = models.CharField(_("libellé du maximum"), max_length=80, blank=True)
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependent_questions",
        verbose_name=_("affichée selon la réponse à"),
    )
    condition_choices: models.ManyToManyField[Choice, Any] = models.ManyToManyField(
        "Choice",
        blank=True,
        related_name="shown_questions",
        verbose_name=_("si la réponse est l'un de ces choix"),
    )
    source_key = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True)
                | (Q(kind=QuestionKind.MULTIPLE) & Q(max_choices__gte=1)),
                name="question_max_choices_for_multiple",
            ),
            models.CheckConstraint(
                condition=~Q(kind=QuestionKind.SCALE)
                | (Q(scale_min__gte=0) & Q(scale_max__lte=10) & Q(scale_max__gt=F("scale_min"))),
                name="question_scale_bounds",
            ),
            models.CheckConstraint(
                condition=Q(kind=QuestionKind.SCALE)
                | (Q(scale_min__isnull=True) & Q(scale_max__isnull=True)),
                name="question_scale_only_for_scales",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        """The admin's checks: the section and the controlling question are of this
        questionnaire (a condition refers to another question)."""
        errors = {}
        # The constraints' rules, said in words (the fields in error skip the constraints).
        if self.max_choices is not None and self.kind != QuestionKind.MULTIPLE:
            errors["max_choices"] = _("Seulement pour une question à choix multiple.")
        elif self.max_choices is not None and self.max_choices < 1:
            errors["max_choices"] = _("Au moins 1.")
        if self.kind == QuestionKind.SCALE:
            low, high = self.scale_min, self.scale_max
            if low is None or high is None or not 0 <= low < high <= 10:
                errors["scale_max"] = _(
                    "Une échelle va d'un minimum à un maximum plus grand, entre 0 et 10."
                )
        elif self.scale_min is not None or self.scale_max is not None:
            errors["scale_min"] = _("Seulement pour une question à échelle.")
        if self.section_id and self.questionnaire_id:
            if self.section.questionnaire_id != self.questionnaire_id:
                errors["section"] = _("Cette section est celle d'un autre questionnaire.")
        if self.condition_question_id:
            other = self.condition_question
            if other is None or other.questionnaire_id != self.questionnaire_id:
                errors["condition_question"] = _("Choisissez une question de ce questionnaire.")
            elif other.pk == self.pk:
                errors["condition_question"] = _("Une question ne dépend pas d'elle-même.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("libellé"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_other = models.BooleanField(
        _("« Autre » à préciser"), default=False, help_text=_("Ajoute un champ de texte.")
    )
    source_key = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_other=True), name="one_other_choice"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_responses",
    )
    # Imported responses: an opaque hash of the source's respondent id (grouping only).
    respondent_key = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=ResponseState.choices, default=ResponseState.DRAFT
    )
    audience = models.CharField(
        _("public"),
        max_length=8,
        choices=RespondentAudience.choices,
        default=RespondentAudience.UNKNOWN,
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    # What the tallies hold for this response (the last submitted version): resubmitting
    # subtracts these keys and adds the new ones. [[question, choice or 0, value, audience, dep]]
    tallied = models.JSONField(default=list, blank=True, editable=False)
    # Once submitted, the Answer / AnswerChoice rows and `departement` are the SENT version
    # (what the tallies, the free-text lists and the exports read). Later edits wait here,
    # never public, until `submit_response` replaces the sent version with them:
    # {"answers": {"<question>": {"choices": [..], "ranks": {"<choice>": n}, "text": "",
    # "number": n}}, "departement": "<code>" or ""}.
    pending = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "account"],
                condition=Q(account__isnull=False),
                name="one_response_per_account",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "respondent_key"],
                condition=~Q(respondent_key=""),
                name="one_response_per_imported_respondent",
            ),
            models.CheckConstraint(
                condition=Q(account__isnull=False) | ~Q(respondent_key=""),
                name="response_has_a_respondent",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ResponseState.values), name="response_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=ResponseState.DRAFT) | Q(submitted_at__isnull=False),
                name="response_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=RespondentAudience.values),
                name="response_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(pending__isnull=True) | Q(state=ResponseState.SUBMITTED),
                name="response_pending_only_once_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ResponseState.SUBMITTED

    @property
    def has_unsent_changes(self) -> bool:
        return self.pending is not None


class TextTopic(models.Model):
    """A topic of one question's free texts, computed by `compute_questionnaire_topics`."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="topics")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    share = models.FloatField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thème des réponses libres")
        verbose_name_plural = _("thèmes des réponses libres")
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="one_topic_number")
        ]

    def __str__(self) -> str:
        return self.label


class Answer(models.Model):
    """One question's answer in a response: its text (masked) or number (a scale's value).
    The chosen choices are AnswerChoice rows."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # RESTRICT: an answered question is never deleted on its own (its questionnaire may be,
    # answers and all); see permissions.structure_is_locked
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    text = models.TextField(blank=True)  # masked: free text, or the « Autre » precision
    number = models.SmallIntegerField(null=True, blank=True)
    topic = models.ForeignKey(
        TextTopic, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]
        indexes = [models.Index(fields=["question", "id"], name="answers_of_question")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.text[:40] or self.number}"


class AnswerChoice(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="choices")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.RESTRICT, related_name="answers")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # ranking questions only

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "choice"], name="choice_chosen_once"),
            models.UniqueConstraint(
                fields=["response", "question", "rank"],
                condition=Q(rank__isnull=False),
                name="rank_given_once",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="rank_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.choice_id}"


ANSWERED = -1  # Tally.value of the "answered the question" row (the percentages' base)


class Tally(models.Model):  # noqa: DJ008 - never shown on its own
    """Submitted responses counted per question × choice × value × audience × département.

    Rows: (choice, value 0) chosen; (choice, rank) ranked at that rank; (no choice, n) a scale's
    value n; (no choice, ANSWERED) answered the question. `departement` "" = not given.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.SmallIntegerField(default=0)
    audience = models.CharField(max_length=8, choices=RespondentAudience.choices)
    departement = models.CharField(max_length=3, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "choice", "value", "audience", "departement"],
                condition=Q(choice__isnull=False),
                name="one_tally_per_choice_key",
            ),
            models.UniqueConstraint(
                fields=["question", "value", "audience", "departement"],
                condition=Q(choice__isnull=True),
                name="one_tally_per_value_key",
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="tally_not_negative"),
        ]
        indexes = [
            models.Index(fields=["questionnaire", "audience", "departement"], name="tally_filter"),
            models.Index(fields=["questionnaire", "departement"], name="tally_departement"),
        ]


class RespondentTally(models.Model):  # noqa: DJ008 - never shown on its own
    """Submitted responses per questionnaire × audience × département."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="respondent_tallies"
    )
    audience = models.CharField(max_length=8, choices=RespondentAudience.choices)
    departement = models.CharField(max_length=3, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "audience", "departement"], name="one_respondent_tally"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="respondent_tally_not_neg"),
        ]
