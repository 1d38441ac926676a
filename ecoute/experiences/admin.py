from django.contrib import admin
from django.http import HttpRequest

from .models import Answer, ContactPointRatingSummary, Experience, GuestSubmission


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    raw_id_fields = ["author", "organisation"]
    readonly_fields = ["created_at"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    """Read-mostly: publishing and hiding go through the moderation queue (logged actions)."""

    list_display = ["title", "status", "origin", "network", "contact_point", "created_at"]
    list_filter = ["status", "origin", "channel", "sentiment"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author", "contact_point"]
    list_select_related = ["network", "contact_point"]
    readonly_fields = ["status", "published_at", "hidden_reason", "fingerprint", "created_at"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["experience", "organisation", "author", "created_at"]
    raw_id_fields = ["experience", "author", "organisation"]
    list_select_related = ["experience", "organisation", "author"]


@admin.register(ContactPointRatingSummary)
class ContactPointRatingSummaryAdmin(admin.ModelAdmin):
    list_display = ["contact_point", "published_count", "updated_at"]
    raw_id_fields = ["contact_point"]
    list_select_related = ["contact_point"]


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
