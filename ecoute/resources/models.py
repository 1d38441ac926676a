"""Guides and training modules for agents, written by administrators, and who completed what."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


PUBLISHED = models.Q(status=PublicationStatus.PUBLISHED)


class ResourceQuerySet(models.QuerySet["Resource"]):
    def published(self) -> "ResourceQuerySet":
        return self.filter(PUBLISHED)


class ModuleQuerySet(models.QuerySet["TrainingModule"]):
    def published(self) -> "ModuleQuerySet":
        return self.filter(PUBLISHED)


class Category(models.Model):
    """A shelf of the resources page ("Répondre aux usagers", "Données personnelles"…)."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie de ressources")
        verbose_name_plural = _("catégories de ressources")
        ordering = ["position", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Publishable(models.Model):
    """What resources and modules share: a title and slug, a summary, an order, and a status
    changed only by actions.publish_content / unpublish_content (read-only in the admin)."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    summary = models.CharField(_("résumé"), max_length=400)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        editable=False,
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    published_at = models.DateTimeField(
        _("date de publication"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("dernière mise à jour"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~PUBLISHED | models.Q(published_at__isnull=False),
                name="%(class)s_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class Resource(Publishable):
    """A guide or an article for agents. `body` is Markdown, rendered without raw HTML."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="resources", verbose_name=_("catégorie")
    )
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Markdown : ## intertitre, - liste, **gras**, [lien](https://…). "
            "Le HTML n'est pas interprété."
        ),
    )

    objects = ResourceQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("ressource")
        indexes = [
            models.Index(
                fields=["category", "position", "title"],
                condition=PUBLISHED,
                name="resource_published_order",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("resources:resource", args=[self.slug])


class TrainingModule(Publishable):
    """A short training: resources read in order, then marked as done by the agent."""

    description = models.TextField(_("présentation"), blank=True, help_text=_("Markdown."))
    estimated_minutes = models.PositiveSmallIntegerField(_("durée estimée (minutes)"))
    resources = models.ManyToManyField(Resource, through="ModuleStep", related_name="modules")

    objects = ModuleQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("module de formation")
        verbose_name_plural = _("modules de formation")
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(estimated_minutes__gt=0), name="module_duration_positive"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("resources:module", args=[self.slug])


class ModuleStep(models.Model):
    """One resource of a module, at its place in the module's order."""

    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="steps")
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="+", verbose_name=_("ressource")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("étape")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["module", "resource"], name="one_step_per_resource")
        ]

    def __str__(self) -> str:
        return f"{self.module} · {self.resource}"


class ModuleCompletion(models.Model):
    """An agent has done a module: one row per account and module (undo deletes it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("terminé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("module terminé")
        verbose_name_plural = _("modules terminés")
        ordering = ["-completed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module"], name="one_completion_per_account_and_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.module_id}"
