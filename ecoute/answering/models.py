"""Answer templates: texts an organisation's agents start their public answers from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import Organisation


class TemplateFamily(models.TextChoices):
    """What an answer is about; the suggestion figure checks the family (bench/)."""

    DELAY = "delai", _("Délai de traitement")
    RECEPTION = "accueil", _("Accueil et relation")
    FILE_ERROR = "erreur_dossier", _("Erreur de dossier")
    ONLINE = "en_ligne", _("Service en ligne")
    INFORMATION = "information", _("Information et démarche")
    THANKS = "remerciement", _("Remerciement")


class AnswerTemplateQuerySet(models.QuerySet["AnswerTemplate"]):
    def active(self) -> "AnswerTemplateQuerySet":
        return self.filter(is_archived=False)


class AnswerTemplate(models.Model):
    """A template of public answer, owned by an organisation and usable by its agents and by
    the agents of every organisation below it. Never public itself: the answer written from it
    is masked and published by `experiences.actions.answer_experience`.

    The body may hold fields, replaced when the template is used (`fields.fill`):
    {pseudonyme}, {service}, {date}, {organisation}.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    family = models.CharField(_("famille"), max_length=20, choices=TemplateFamily.choices)
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("texte"))
    is_archived = models.BooleanField(_("archivé"), default=False)
    # Demo templates (load_demo_data) say so in the admin and are never counted as real.
    is_generated = models.BooleanField(_("généré pour la démo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = AnswerTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("modèle de réponse")
        verbose_name_plural = _("modèles de réponse")
        ordering = ["family", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="answer_template_title_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(family__in=TemplateFamily.values),
                name="answer_template_family_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "is_archived", "family", "title", "id"],
                name="answer_template_list",
            )
        ]

    def __str__(self) -> str:
        return self.title
