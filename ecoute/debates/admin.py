"""Organisers manage sections here, add their own contributions (« Contribution de
l'organisateur », pinned or not), pin contributions and write official answers — the add form,
the admin actions and the answer fields all go through `actions`. Contributions are otherwise
read-only; votes, arguments, sources and opinion maps are read-only (they change through the
pages, moderation and the `compute_debate_opinions` command)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecoute.common.admin import NoWriteAdmin, ReadOnlyAdmin
from ecoute.common.forms import no_control_characters

from . import actions, permissions
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
ADD_FIELDS = ("section", "title", "body", "pinned")


class SectionChoiceField(forms.ModelChoiceField):
    """Sections are named after their consultation: every debate has its « Propositions »."""

    def label_from_instance(self, obj: Section) -> str:  # type: ignore[override]
        return f"{obj.consultation.title} — {obj.title}"


class OrganiserContributionForm(ModelForm):
    """The organiser's own contribution; saved by `actions.add_organiser_contribution`, whose
    text rules are checked here so that a refusal shows under the field."""

    section = SectionChoiceField(
        Section.objects.select_related("consultation").order_by(
            "consultation__title", "consultation_id", "order", "id"
        ),
        label=_("Section"),
    )

    class Meta:
        model = Contribution
        fields = ADD_FIELDS
        labels = {"pinned": _("Épinglée en tête de la section")}
        help_texts = {
            "body": _(
                "Publiée aussitôt sous le nom de l'organisateur (« Contribution de "
                "l'organisateur »). Ce qui ressemble à une donnée personnelle est masqué."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(no_control_characters)
        self.fields["body"].validators.append(no_control_characters)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "title" in cleaned and "body" in cleaned:
            try:
                actions.checked_contribution_texts(cleaned["title"], cleaned["body"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "consultation", "kind", "order", "contributors", "votes_allowed"]
    list_filter = ["kind", "contributors"]
    search_fields = ["title", "consultation__title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["consultation"]
    readonly_fields = ["source_key"]
    fields = [
        "consultation",
        "kind",
        "title",
        "slug",
        "description",
        "order",
        "contributors",
        "votes_allowed",
        "arguments_allowed",
        "source_key",
    ]


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
        """Only the organiser's own contributions are added here (participants' through the
        pages): the model permission and the organisers' rule."""
        return super().has_add_permission(request) and permissions.can_manage_debates(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Contribution | None = None) -> Any:
        return ADD_FIELDS if obj is None else CONTRIBUTION_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Contribution | None = None) -> Any:
        return () if obj is None else READ_ONLY_FIELDS

    def get_form(
        self,
        request: HttpRequest,
        obj: Contribution | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is None:
            kwargs["form"] = OrganiserContributionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Contribution, form: ModelForm, change: bool
    ) -> None:
        if not change:
            # The form checked the texts and `has_add_permission` the organiser: the action
            # masks, publishes at once (moderation item) and may not refuse here.
            created = actions.add_organiser_contribution(
                actor=request.user,  # type: ignore[arg-type]
                section=obj.section,
                title=obj.title,
                body=obj.body,
                pinned=obj.pinned,
            )
            obj.pk = created.pk
            obj.title, obj.body = created.title, created.body
            return
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

    def _pin(self, request: HttpRequest, queryset: QuerySet[Contribution], pinned: bool) -> None:
        try:
            for contribution in queryset:
                actions.pin_contribution(
                    actor=request.user,  # type: ignore[arg-type]
                    contribution=contribution,
                    pinned=pinned,
                )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)

    @admin.action(description=_("Épingler en tête de la section"), permissions=["change"])
    def pin(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> None:
        self._pin(request, queryset, True)

    @admin.action(description=_("Détacher"), permissions=["change"])
    def unpin(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> None:
        self._pin(request, queryset, False)


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
