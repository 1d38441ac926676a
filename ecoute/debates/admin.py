"""Organisers manage sections here, pin contributions and write official answers (admin actions
and the answer fields, both through `actions`). Contributions are otherwise read-only; votes,
arguments, sources and opinion maps are read-only (they change through the pages, moderation
and the `compute_debate_opinions` command)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin

from . import actions
from .models import Argument, ArgumentVote, Contribution, OpinionMap, Section, Source, Vote

CONTRIBUTION_FIELDS = (
    "section",
    "title",
    "body",
    "category",
    "by_organiser",
    "pinned",
    "created_at",
    "edited_at",
    "visibility",
    "hidden_reason",
    "votes_for",
    "votes_against",
    "votes_mixed",
    "votes_total",
    "arguments_count",
    "sources_count",
    "answer_status",
    "answer",
    "answered_at",
)
READ_ONLY_FIELDS = tuple(
    name for name in CONTRIBUTION_FIELDS if name not in ("answer_status", "answer")
)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "consultation", "kind", "order", "contributors", "votes_allowed"]
    list_filter = ["kind", "contributors"]
    search_fields = ["title", "consultation__title"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["consultation"]
    readonly_fields = ["source_key"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "section",
        "pinned",
        "by_organiser",
        "votes_total",
        "arguments_count",
        "answer_status",
        "visibility",
    ]
    list_filter = ["pinned", "by_organiser", "answer_status", "visibility", "is_imported"]
    search_fields = ["title"]
    list_select_related = ["section"]
    fields = CONTRIBUTION_FIELDS
    readonly_fields = READ_ONLY_FIELDS
    actions = ["pin", "unpin"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Contribution, form: ModelForm, change: bool
    ) -> None:
        if not {"answer", "answer_status"} & set(form.changed_data):
            return
        try:
            actions.answer_contribution(
                actor=request.user,  # type: ignore[arg-type]
                contribution=obj,
                status=obj.answer_status,
                answer=obj.answer,
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request, "; ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )

    @admin.action(description=_("Épingler en tête de la section"))
    def pin(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> None:
        for contribution in queryset:
            actions.pin_contribution(
                actor=request.user,  # type: ignore[arg-type]
                contribution=contribution,
                pinned=True,
            )

    @admin.action(description=_("Détacher"))
    def unpin(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> None:
        for contribution in queryset:
            actions.pin_contribution(
                actor=request.user,  # type: ignore[arg-type]
                contribution=contribution,
                pinned=False,
            )


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["contribution", "value", "created_at", "updated_at"]
    list_filter = ["value"]
    raw_id_fields = ["contribution", "user"]


@admin.register(Argument)
class ArgumentAdmin(NoWriteAdmin):
    list_display = ["__str__", "side", "votes_count", "visibility", "created_at"]
    list_filter = ["side", "visibility"]


@admin.register(ArgumentVote)
class ArgumentVoteAdmin(ReadOnlyAdmin):
    list_display = ["argument", "created_at"]


@admin.register(Source)
class SourceAdmin(NoWriteAdmin):
    list_display = ["title", "url", "visibility", "created_at"]


@admin.register(OpinionMap)
class OpinionMapAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "computed_at", "participants", "votes"]
