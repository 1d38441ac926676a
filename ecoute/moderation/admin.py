from django.contrib import admin

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin

from .models import MaskedText, ModerationItem, ModerationLogEntry, Report


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(ReadOnlyAdmin):
    """The audit log is append-only, including for administrators."""

    list_display = ["created_at", "actor", "action", "content_type", "object_id", "reason"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]


@admin.register(Report)
class ReportAdmin(NoWriteAdmin):
    """Reports are handled in the moderation pages (so that every decision is logged)."""

    list_display = ["created_at", "reporter", "reason", "content_type", "object_id", "status"]
    list_filter = ["status", "reason", "content_type"]
    list_select_related = ["reporter", "content_type"]
    raw_id_fields = ["reporter", "handled_by"]


@admin.register(ModerationItem)
class ModerationItemAdmin(ReadOnlyAdmin):
    """Read-only: decisions are taken in the queue (/moderation/), through the actions."""

    list_display = ["kind", "object_id", "title", "state", "open_reports", "created_at"]
    list_filter = ["kind", "state", "origin"]
    search_fields = ["title"]


@admin.register(MaskedText)
class MaskedTextAdmin(NoWriteAdmin):
    """Private originals: not listed with their text, never editable here."""

    list_display = ["content_type", "object_id", "field", "updated_at"]
    exclude = ["original"]
