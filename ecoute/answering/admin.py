from django.contrib import admin

from ecoute.common.admin import NoWriteAdmin

from .models import AnswerTemplate


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(NoWriteAdmin):
    """Agents manage templates from their space (answering.actions); the admin reads them."""

    list_display = ["title", "organisation", "family", "is_archived", "is_generated", "updated_at"]
    list_filter = ["family", "is_archived", "is_generated"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "created_by"]
