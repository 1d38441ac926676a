from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Answer,
    AnswerRevision,
    AnswerUseful,
    ContactPointRatingSummary,
    Experience,
    GuestSubmission,
    MeToo,
)


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    raw_id_fields = ["author", "organisation", "follow_up_of"]
    # The text changes through edit_answer only, so that every version is kept.
    readonly_fields = ["body", "created_at", "edited_at", "useful_count"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    """Read-mostly: publishing and hiding go through the moderation queue (logged actions)."""

    list_display = ["title", "status", "origin", "network", "contact_point", "created_at"]
    list_filter = ["status", "origin", "channel", "sentiment"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author", "contact_point"]
    list_select_related = ["network", "contact_point"]
    # Kept by the actions (publication copies the place; reactions move the counter).
    readonly_fields = [
        "status",
        "published_at",
        "hidden_reason",
        "fingerprint",
        "created_at",
        "organisation",
        "commune",
        "departement",
        "is_answered",
        "metoo_count",
    ]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["experience", "organisation", "author", "created_at", "edited_at"]
    raw_id_fields = ["experience", "author", "organisation", "follow_up_of"]
    readonly_fields = ["body", "edited_at", "form_key"]
    list_select_related = ["experience", "organisation", "author"]


@admin.register(AnswerRevision)
class AnswerRevisionAdmin(admin.ModelAdmin):
    """Read-only: versions are appended by answer_experience and edit_answer, never changed."""

    list_display = ["answer", "author", "created_at"]
    raw_id_fields = ["answer", "author"]
    list_select_related = ["answer", "author"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ContactPointRatingSummary)
class ContactPointRatingSummaryAdmin(admin.ModelAdmin):
    list_display = ["contact_point", "published_count", "updated_at"]
    raw_id_fields = ["contact_point"]
    list_select_related = ["contact_point"]


class ReactionAdmin(admin.ModelAdmin):
    """Read-only: rows and counters change together through actions.set_metoo /
    set_answer_useful; adding or deleting a row here would leave the counter wrong."""

    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(MeToo)
class MeTooAdmin(ReactionAdmin):
    list_display = ["experience", "user", "created_at"]
    list_select_related = ["experience", "user"]


@admin.register(AnswerUseful)
class AnswerUsefulAdmin(ReactionAdmin):
    list_display = ["answer", "user", "created_at"]
    list_select_related = ["answer", "user"]


@admin.register(GuestSubmission)
class GuestSubmissionAdmin(admin.ModelAdmin):
    """Read-only: created by the tell form, confirmed by its e-mail link, purged when expired."""

    list_display = ["pk", "contact_point", "postal_code", "created_at", "confirmed_at"]
    list_filter = ["confirmed_at"]
    raw_id_fields = ["contact_point", "experience"]
    list_select_related = ["contact_point"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
