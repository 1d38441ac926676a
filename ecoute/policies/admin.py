"""Admin for the baromètre: read-only. A published edition is not edited by hand: a correction
is a new file loaded by `load_barometre_resultats` (decision 0018)."""

from django.contrib import admin

from ecoute.common.admin import ReadOnlyAdmin

from .models import Edition, Indicator, Policy, Summary, Theme, Value


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "publisher", "published_on", "licence"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "edition", "position"]
    list_filter = ["edition"]


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "edition", "theme"]
    list_filter = ["edition", "theme"]
    list_select_related = ["edition", "theme"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "policy", "unit", "tendance"]
    list_filter = ["policy__edition", "tendance"]
    list_select_related = ["policy"]
    search_fields = ["code", "name"]


@admin.register(Value)
class ValueAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "zone_kind", "region", "departement", "kind", "date", "value"]
    list_filter = ["indicator__policy__edition", "zone_kind", "kind"]
    list_select_related = ["indicator", "region", "departement"]
    search_fields = ["indicator__code"]
    show_full_result_count = False


@admin.register(Summary)
class SummaryAdmin(ReadOnlyAdmin):
    list_display = [
        "indicator",
        "zone_kind",
        "region",
        "departement",
        "current_value",
        "current_date",
    ]
    list_filter = ["indicator__policy__edition", "zone_kind"]
    list_select_related = ["indicator", "region", "departement"]
    search_fields = ["indicator__code"]
    show_full_result_count = False
