"""Admin for the INSEE territories: read mostly (loaded by `load_reference_data`)."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from .importers import commune_search_name
from .models import Commune, Departement, PostalCode, Region


class CodeKeyAdmin(admin.ModelAdmin):
    """`code` is the primary key: editing it would save a second row, not rename this one."""

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> list[str] | tuple[Any, ...]:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "code"] if obj is not None else readonly


@admin.register(Region)
class RegionAdmin(CodeKeyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(CodeKeyAdmin):
    list_display = ["code", "name", "region", "latitude", "longitude"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region"]


@admin.register(Commune)
class CommuneAdmin(CodeKeyAdmin):
    list_display = ["code", "name", "departement", "population"]
    list_filter = ["departement__region"]
    list_select_related = ["departement"]
    # search_name is folded: "saint etienne" finds Saint-Étienne.
    search_fields = ["code", "name", "search_name"]
    autocomplete_fields = ["departement"]
    show_full_result_count = False  # no COUNT(*) over 35,000 rows on each search

    def save_model(
        self, request: HttpRequest, obj: Commune, form: ModelForm[Commune], change: bool
    ) -> None:
        obj.search_name = commune_search_name(obj.name)  # as the import sets it
        super().save_model(request, obj, form, change)


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    """Loaded from communes-geo by `load_reference_data`."""

    list_display = ["code", "commune"]
    list_select_related = ["commune"]
    search_fields = ["code", "commune__name"]
    autocomplete_fields = ["commune"]
    show_full_result_count = False
