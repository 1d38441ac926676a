from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: documents change through their actions (moderation is logged; the original
    file is downloaded from the document's page, where permissions are checked)."""

    list_display = ["title", "status", "organisation", "created_at", "answered_at"]
    list_filter = ["status", "file_type"]
    search_fields = ["title"]
    list_select_related = ["organisation"]
    raw_id_fields = ["author", "organisation", "contact_point", "answered_by"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
