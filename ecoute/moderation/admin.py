from django.contrib import admin

from .models import ModerationLogEntry


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    """The audit log is append-only, including for administrators."""

    list_display = ["created_at", "actor", "action", "content_type", "object_id", "reason"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
