"""Admin for the barometer's editions: read-only, with a link to the publishers' pages (prepare,
preview, publish, correct), which call the actions. Nobody edits figures by hand."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Edition, Figure


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "is_current", "prepared_at", "published_at"]
    list_filter = ["status", "year"]
    change_list_template = "admin/barometre/edition/change_list.html"


@admin.register(Figure)
class FigureAdmin(ReadOnlyAdmin):
    list_display = ["edition", "indicator", "scope_kind", "scope_name", "numerator", "denominator"]
    list_filter = ["scope_kind", "indicator"]
    list_select_related = ["edition"]
    search_fields = ["scope_name"]
