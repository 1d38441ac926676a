"""Admin for the INSEE territories: read mostly (loaded by `load_reference_data`)."""

from django.contrib import admin

from .models import Commune, Departement, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "latitude", "longitude"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "departement", "population"]
    list_filter = ["departement__region"]
    list_select_related = ["departement"]
    # search_name is folded: "saint etienne" finds Saint-Étienne.
    search_fields = ["code", "name", "search_name"]
    autocomplete_fields = ["departement"]
    show_full_result_count = False  # no COUNT(*) over 35,000 rows on each search
