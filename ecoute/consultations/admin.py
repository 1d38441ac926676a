"""Organisers build consultations here: phases inline, départements, theme. Saving keeps the
opening and closing dates right (`actions.refresh_dates`); publishing goes through the actions,
whose refusals show as messages."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecoute.common.admin import ReadOnlyAdmin

from . import actions
from .models import Consultation, Participation, Phase, Theme

# Addresses under /consultations/ that are pages, not consultations.
RESERVED_SLUGS = {"mes-participations"}


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [  # the admin's fieldsets choose which show
            "title",
            "slug",
            "summary",
            "presentation",
            "theme",
            "audience",
            "is_national",
            "departements",
            "organiser",
            "organiser_name",
            "synthesis",
        ]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Cette adresse est réservée : choisissez-en une autre."))
        return slug


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 1
    fields = ["title", "kind", "starts_on", "ends_on", "description"]


def _run(
    request: HttpRequest,
    queryset: QuerySet[Consultation],
    action: Callable[[Consultation], None],
    done: str,
) -> None:
    for consultation in queryset:
        try:
            action(consultation)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else error
            messages.error(request, f"{consultation.title} : {reason}")
        else:
            messages.success(request, f"{consultation.title} : {done}")


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    form = ConsultationForm
    list_display = ["title", "status_label", "theme", "audience", "is_national", "opens_on"]
    list_filter = ["theme", "audience", "is_national", "is_imported"]
    list_select_related = ["theme"]
    search_fields = ["title", "slug", "organiser_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["departements"]
    autocomplete_fields = ["organiser"]
    readonly_fields = ["opens_on", "closes_on", "published_at", "results_published_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "presentation", "theme"]}),
        (_("Public et territoire"), {"fields": ["audience", "is_national", "departements"]}),
        (_("Organisation"), {"fields": ["organiser", "organiser_name"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "opens_on",
                    "closes_on",
                    "published_at",
                    "results_published_at",
                    "synthesis",
                ],
                "description": _(
                    "Les dates d'ouverture et de clôture suivent les phases de participation. "
                    "Publiez avec les actions de la liste."
                ),
            },
        ),
    ]
    inlines = [PhaseInline]
    actions = ["publish", "publish_results"]

    @admin.display(description=_("statut"))
    def status_label(self, obj: Consultation) -> str:
        return str(obj.status().label)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        actions.refresh_dates(consultation=form.instance)

    @admin.action(description=_("Publier"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Consultation]) -> None:
        _run(
            request,
            queryset,
            lambda c: actions.publish_consultation(actor=request.user, consultation=c),  # type: ignore[arg-type]
            str(_("publiée.")),
        )

    @admin.action(description=_("Publier les résultats"), permissions=["change"])
    def publish_results(self, request: HttpRequest, queryset: QuerySet[Consultation]) -> None:
        _run(
            request,
            queryset,
            lambda c: actions.publish_results(
                actor=request.user,  # type: ignore[arg-type]
                consultation=c,
                synthesis=c.synthesis,
            ),
            str(_("résultats publiés.")),
        )


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "user", "is_listed", "first_at"]
    list_filter = ["is_listed"]
    list_select_related = ["consultation", "user"]
    search_fields = ["consultation__title", "user__username"]
    raw_id_fields = ["consultation", "user"]


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdmin):
    """Phases are written on their consultation's page (the inline keeps its dates right)."""

    list_display = ["title", "consultation", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    list_select_related = ["consultation"]
