from django.contrib import admin

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin

from .models import Handling, InboxEntry, InternalNote, JournalEntry


@admin.register(Handling)
class HandlingAdmin(NoWriteAdmin):
    """Written by the inbox actions (assign, route, escalate)."""

    list_display = ["experience", "assignee", "due_at", "escalated_to", "escalates_at"]
    list_select_related = ["experience", "assignee", "escalated_to"]
    raw_id_fields = ["experience", "assignee", "escalated_to"]


@admin.register(InboxEntry)
class InboxEntryAdmin(ReadOnlyAdmin):
    """Derived rows (entries.sync_experience, manage.py rebuild_inbox)."""

    list_display = ["experience", "organisation", "state", "assignee", "published_at", "due_at"]
    list_select_related = ["experience", "organisation", "assignee"]
    show_full_result_count = False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "experience", "from_organisation", "to_organisation"]
    list_filter = ["kind"]
    list_select_related = ["experience", "from_organisation", "to_organisation"]


@admin.register(InternalNote)
class InternalNoteAdmin(NoWriteAdmin):
    """Agents' notes: never public; the admin reads and may delete one, never rewrites it."""

    list_display = ["created_at", "experience", "organisation", "author"]
    list_select_related = ["experience", "organisation", "author"]
    raw_id_fields = ["experience", "author", "organisation"]
