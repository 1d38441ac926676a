from django.contrib import admin

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin

from .models import PublicSummary, Remontee, StatusChange, Support


@admin.register(Remontee)
class RemonteeAdmin(NoWriteAdmin):
    """Read-only: remontées change through their actions (moderation, status, supports)."""

    list_display = ["title", "organisation", "theme", "visibility", "status", "support_count"]
    list_filter = ["visibility", "status", "theme", "kind", "scope"]
    search_fields = ["title"]
    list_select_related = ["organisation"]
    raw_id_fields = ["author", "organisation", "network"]


@admin.register(PublicSummary)
class PublicSummaryAdmin(NoWriteAdmin):
    list_display = ["title", "remontee", "visibility", "published_at"]
    list_filter = ["visibility", "theme"]
    raw_id_fields = ["remontee", "written_by", "network"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["remontee", "from_status", "to_status", "created_at"]
    raw_id_fields = ["remontee", "actor"]


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ["remontee", "user", "created_at"]
    raw_id_fields = ["remontee", "user"]
