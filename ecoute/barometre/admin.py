"""Admin for the barometer's editions: read-only, with a link to the publishers' pages (prepare,
preview, publish, correct), which call the actions. Nobody edits figures by hand."""

from django.contrib import admin

from ecoute.common.admin import ReadOnlyAdmin

from .models import Edition, Figure


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
