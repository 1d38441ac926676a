"""Indicators in the admin: roll-ups and measurements are read here, never written (the
actions and `rebuild_indicator_rollups` keep them); measurements are imported through the
upload page, which calls the same action as `manage.py import_indicators`."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from ecoute.accounts.models import User
from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin

from .actions import import_measurements
from .forms import ImportForm
from .models import IndicatorRollup, Measurement, MeasurementRevision
from .permissions import can_import_indicators


@admin.register(IndicatorRollup)
class IndicatorRollupAdmin(ReadOnlyAdmin):
    list_display = [
        "indicator",
        "scope_kind",
        "scope_key",
        "period_kind",
        "period_start",
        "numerator",
        "denominator",
        "total",
    ]
    list_filter = ["indicator", "scope_kind", "period_kind"]
    search_fields = ["scope_key"]


class RevisionInline(admin.TabularInline):
    model = MeasurementRevision
    extra = 0
    can_delete = False
    fields = ("numerator", "denominator", "source", "line", "recorded_by", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Measurement)
class MeasurementAdmin(NoWriteAdmin):
    list_display = [
        "indicator",
        "organisation",
        "contact_point",
        "period_start",
        "numerator",
        "denominator",
        "updated_at",
    ]
    list_filter = ["indicator", "period_start"]
    raw_id_fields = ["organisation", "contact_point"]
    list_select_related = ["organisation", "contact_point"]
    inlines = [RevisionInline]
    change_list_template = "admin/indicators/measurement/change_list.html"

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a measurement is corrected by a new import, its history kept

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "importer/",
            self.admin_site.admin_view(self.import_view),
            name="indicators_measurement_import",
        )
        return [upload, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not can_import_indicators(request.user):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                upload = form.cleaned_data["file"]
                actor = request.user if isinstance(request.user, User) else None
                report = import_measurements(actor=actor, source=upload.name, content=upload.read())
                status = 200 if report.ok else 400
            else:
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importer des mesures"),
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/indicators/measurement/import.html", context, status=status
        )


@admin.register(MeasurementRevision)
class MeasurementRevisionAdmin(ReadOnlyAdmin):
    list_display = ["measurement", "numerator", "denominator", "source", "line", "recorded_at"]
    list_select_related = ["measurement"]
    raw_id_fields = ["measurement", "recorded_by"]
