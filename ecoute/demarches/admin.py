"""Administrators edit démarches and record measurements here; both go through the actions
(`save_demarche`, `record_measurement`). Feedback, comments and proposals are read-only: they
change through their actions (the form, moderation, the proposal page)."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin

from . import actions
from .models import (
    Demarche,
    Feedback,
    FeedbackComment,
    FeedbackDay,
    Measurement,
    MomentDeVie,
    Proposal,
)


@admin.register(MomentDeVie)
class MomentDeVieAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Demarche)
class DemarcheAdmin(admin.ModelAdmin):
    list_display = ["name", "administration", "network", "franceconnect", "annual_volume"]
    list_filter = ["moments", "franceconnect"]
    search_fields = ["name", "administration"]
    filter_horizontal = ["moments"]
    raw_id_fields = ["network"]
    readonly_fields = ["source_key", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(
        self, request: HttpRequest, obj: Demarche, form: ModelForm, change: bool
    ) -> None:
        actions.save_demarche(actor=request.user, demarche=obj)  # type: ignore[arg-type]


class MeasurementForm(ModelForm):
    class Meta:
        model = Measurement
        fields = ["demarche", "indicator", "value", "measured_on", "source"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("indicator") and cleaned.get("value") is not None:
            try:
                actions.parse_measurement_value(cleaned["indicator"], cleaned["value"])
            except ValidationError as error:
                self.add_error("value", error)
        return cleaned


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    """Append-only: add a measurement (the latest counts), never change one."""

    form = MeasurementForm
    list_display = ["demarche", "indicator", "value", "measured_on", "source", "generated"]
    list_filter = ["indicator", "generated"]
    raw_id_fields = ["demarche"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Measurement, form: ModelForm, change: bool
    ) -> None:
        saved = actions.record_measurement(
            actor=request.user,  # type: ignore[arg-type]
            demarche=obj.demarche,
            indicator=obj.indicator,
            value=obj.value,
            measured_on=obj.measured_on,
            source=obj.source,
        )
        obj.pk = saved.pk


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["demarche", "satisfaction", "clarity", "help", "created_at"]
    list_filter = ["satisfaction", "help"]
    raw_id_fields = ["demarche"]


@admin.register(FeedbackDay)
class FeedbackDayAdmin(ReadOnlyAdmin):
    list_display = ["demarche", "day", "count", "satisfaction_points"]
    raw_id_fields = ["demarche"]


@admin.register(FeedbackComment)
class FeedbackCommentAdmin(NoWriteAdmin):
    list_display = ["demarche", "visibility", "published_at"]
    list_filter = ["visibility"]
    raw_id_fields = ["feedback", "demarche"]


@admin.register(Proposal)
class ProposalAdmin(NoWriteAdmin):
    """Decided on the proposal's page (accept creates the démarche)."""

    list_display = ["name", "visibility", "status", "created_at"]
    list_filter = ["visibility", "status"]
    raw_id_fields = ["author", "decided_by", "demarche"]
