from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin

from .actions import compute_coverage
from .models import CoverageFigure, CoverageRun


class CoverageFigureInline(admin.TabularInline):
    model = CoverageFigure
    fields = readonly_fields = ("departement", "minutes", "population", "population_within")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CoverageRun)
class CoverageRunAdmin(NoWriteAdmin):
    """Read-only: a run is written by `compute_coverage` (the command, or the action below)."""

    list_display = ["computed_at", "detour_factor", "speed_kmh", "points", "communes", "population"]
    inlines = [CoverageFigureInline]
    actions = ["compute_again"]

    @admin.action(description=_("Recalculer la couverture avec les réglages actuels"))
    def compute_again(self, request: HttpRequest, queryset: QuerySet[CoverageRun]) -> None:
        run = compute_coverage()
        self.message_user(
            request,
            _("Couverture recalculée (%(date)s).") % {"date": run.computed_at},
            messages.SUCCESS,
        )


@admin.register(CoverageFigure)
class CoverageFigureAdmin(ReadOnlyAdmin):
    list_display = ["run", "departement", "minutes", "population", "population_within"]
    list_filter = ["minutes"]
    list_select_related = ["run", "departement"]
    raw_id_fields = ["run", "departement"]
