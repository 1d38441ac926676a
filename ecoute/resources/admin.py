"""Administrators write resources and modules here; publishing goes through the actions."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoute.accounts.models import User
from ecoute.common.admin import NoWriteAdmin

from . import actions
from .models import Category, ModuleCompletion, ModuleStep, Resource, TrainingModule

PUBLICATION_FIELDS = ["status", "published_at", "updated_at"]


class PublicationAdmin(admin.ModelAdmin):
    """Texts are edited in the form; the status only through the two actions below."""

    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = PUBLICATION_FIELDS
    actions = ["publish_selected", "unpublish_selected"]

    @admin.action(description=_("Publier la sélection"))
    def publish_selected(
        self, request: HttpRequest, queryset: QuerySet[Resource] | QuerySet[TrainingModule]
    ) -> None:
        user: User = request.user  # type: ignore[assignment]  # the admin needs a signed-in user
        changed = sum(actions.publish_content(actor=user, content=item) for item in queryset)
        self.message_user(request, gettext("%(n)s publié(s).") % {"n": changed})

    @admin.action(description=_("Repasser la sélection en brouillon"))
    def unpublish_selected(
        self, request: HttpRequest, queryset: QuerySet[Resource] | QuerySet[TrainingModule]
    ) -> None:
        user: User = request.user  # type: ignore[assignment]
        changed = sum(actions.unpublish_content(actor=user, content=item) for item in queryset)
        self.message_user(request, gettext("%(n)s repassé(s) en brouillon.") % {"n": changed})


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resource)
class ResourceAdmin(PublicationAdmin):
    list_display = ["title", "category", "status", "position", "updated_at"]
    list_filter = ["status", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "body"]
    fields = ["title", "slug", "category", "summary", "body", "position", *PUBLICATION_FIELDS]


class ModuleStepInline(admin.TabularInline):
    model = ModuleStep
    extra = 1
    autocomplete_fields = ["resource"]


@admin.register(ModuleStep)
class ModuleStepAdmin(admin.ModelAdmin):
    """Steps are usually edited inside their module; listed here to find where a resource is."""

    list_display = ["module", "position", "resource"]
    list_filter = ["module"]
    list_select_related = ["module", "resource"]
    autocomplete_fields = ["module", "resource"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(PublicationAdmin):
    list_display = ["title", "status", "estimated_minutes", "position", "updated_at"]
    search_fields = ["title", "summary"]
    fields = [
        "title",
        "slug",
        "summary",
        "description",
        "estimated_minutes",
        "position",
        *PUBLICATION_FIELDS,
    ]
    inlines = [ModuleStepInline]


@admin.register(ModuleCompletion)
class ModuleCompletionAdmin(NoWriteAdmin):
    """Agents mark their modules done themselves (complete_module / uncomplete_module)."""

    list_display = ["user", "module", "completed_at"]
    list_filter = ["module"]
    list_select_related = ["user", "module"]
    raw_id_fields = ["user"]
