"""Admin for networks, organisations (the SP+ tree) and contact points.

Tables hold tens of thousands of rows: every foreign key uses autocomplete (or a raw id for
users), lists select their relations in the same query and skip the full result count.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from .actions import index_organisations
from .models import (
    AgentMembership,
    ContactPoint,
    Engagement,
    Network,
    Organisation,
    OrganisationType,
)
from .search import search_text_for

# Django 6 defaults URL form fields to https; say so now (silences RemovedInDjango60Warning).
URL_FORMFIELD: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "sp_code"]
    search_fields = ["name", "sp_code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "public_name", "network", "type", "departement", "is_active"]
    list_filter = ["is_active", "network"]
    list_select_related = ["network", "type", "departement"]
    search_fields = ["name", "public_name", "sp_code", "identifier"]
    autocomplete_fields = ["network", "type", "commune", "departement", "region"]
    # The import owns the tree: a parent edited here would leave `path`, which agent
    # permissions read, stale for this structure and everything below it.
    readonly_fields = ["parent", "path"]
    formfield_overrides = URL_FORMFIELD
    show_full_result_count = False

    def save_model(
        self,
        request: HttpRequest,
        obj: Organisation,
        form: ModelForm[Organisation],
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        index_organisations(organisation_ids=[obj.pk])  # names, network, type, place


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "organisation", "commune", "departement", "is_active"]
    list_filter = ["channel", "is_active", "organisation__network"]
    list_select_related = ["organisation", "commune", "departement"]
    search_fields = ["name", "search_text", "source_key", "postal_code"]
    autocomplete_fields = ["organisation", "commune", "departement"]
    readonly_fields = ["search_text", "source_key"]
    formfield_overrides = URL_FORMFIELD
    show_full_result_count = False

    def save_model(
        self, request: HttpRequest, obj: ContactPoint, form: ModelForm[ContactPoint], change: bool
    ) -> None:
        # The public search reads only `search_text`: rebuild it from the edited fields, with
        # the same parts as the import (the département falls back to the commune's).
        organisation = obj.organisation
        commune = obj.commune
        departement = obj.departement or (commune.departement if commune else None)
        obj.search_text = search_text_for(
            obj.name,
            organisation.display_name,
            organisation.network.name,
            commune.name if commune else "",
            departement.code if departement else "",
            departement.name if departement else "",
            obj.postal_code,
        )
        super().save_model(request, obj, form, change)
        index_organisations(organisation_ids=[obj.organisation_id])


@admin.register(AgentMembership)
class AgentMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__network"]
    list_select_related = ["user", "organisation"]
    search_fields = ["organisation__name", "organisation__public_name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "network", "axis", "indicator_code"]
    list_filter = ["network"]
    list_select_related = ["network"]
    search_fields = ["title", "code"]
    autocomplete_fields = ["network"]
    formfield_overrides = URL_FORMFIELD
