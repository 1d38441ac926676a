from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ecoute.common.admin import ReadOnlyAdmin
from ecoute.consultations.models import Consultation

from . import actions
from .models import (
    Answer,
    AnswerChoice,
    Choice,
    Question,
    Questionnaire,
    RespondentTally,
    Response,
    Section,
    Tally,
    TextTopic,
)
from .permissions import LOCKED_CHOICE_FIELDS, LOCKED_QUESTION_FIELDS, structure_is_locked

LOCKED_MESSAGE = _(
    "Ce questionnaire a déjà des réponses : ses sections, questions et choix ne peuvent plus "
    "être supprimés, ni changer de type, de maximum, d'échelle ou de réponse « Autre ». Les "
    "textes restent modifiables ; une nouvelle question s'ajoute par « Questions › Ajouter »."
)


def _questionnaire_id(obj: Questionnaire | Question | None) -> int | None:
    if isinstance(obj, Question):
        return obj.questionnaire_id
    return obj.pk if obj is not None else None


def _is_locked(request: HttpRequest, obj: Questionnaire | Question | None) -> bool:
    """`structure_is_locked`, asked once per request: a change page asks it for every inline,
    permission and field list (23 queries of 42 before)."""
    known: dict[int | None, bool] = request.__dict__.setdefault("_structure_locked", {})
    questionnaire_id = _questionnaire_id(obj)
    if questionnaire_id not in known:
        known[questionnaire_id] = structure_is_locked(questionnaire_id)
    return known[questionnaire_id]


class StructureLockedInline:
    """An inline of a questionnaire's structure: no deletion and the locked fields read only
    once the questionnaire has responses (`permissions.structure_is_locked`)."""

    locked_fields: tuple[str, ...] = ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _is_locked(request, obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if _is_locked(request, obj):
            fields += self.locked_fields
        return fields


class StructureLockedAdmin:
    """A questionnaire's or question's page: not deleted, and saying why its structure is read
    only, once the questionnaire has responses (people's answers are not deleted with a
    click; the consultation may still close)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _is_locked(request, obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
            if _is_locked(request, obj):
                self.message_user(  # type: ignore[attr-defined]
                    request, LOCKED_MESSAGE, messages.WARNING
                )
        return super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )


class SectionInline(StructureLockedInline, admin.TabularInline):
    model = Section
    extra = 0


class QuestionInline(StructureLockedInline, admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True
    locked_fields = LOCKED_QUESTION_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # a new row here would get the locked fields read only (its kind by default): added
        # through the question's own page instead
        if _is_locked(request, obj):
            return False
        return super().has_add_permission(request, obj)

    fields = [
        "section",
        "order",
        "kind",
        "text",
        "help_text",
        "required",
        "max_choices",
        ("scale_min", "scale_max"),
        ("scale_min_label", "scale_max_label"),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "section" and request.resolver_match:
            pk = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(questionnaire_id=pk or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CopyForm(forms.Form):
    consultation = forms.ModelChoiceField(
        Consultation.objects.all(), label=_("Consultation qui reçoit le questionnaire")
    )


@admin.register(Questionnaire)
class QuestionnaireAdmin(StructureLockedAdmin, admin.ModelAdmin):
    list_display = ["title", "consultation", "is_template", "order"]
    list_filter = ["is_template"]
    search_fields = ["title"]
    inlines = [SectionInline, QuestionInline]
    actions = ["copy_template_action"]
    readonly_fields = ["source_key"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if _is_locked(request, obj):
            # its responses were given to this consultation, as a questionnaire
            fields += ["consultation", "is_template"]
        return fields

    @admin.action(description=_("Créer un questionnaire depuis ce modèle"))
    def copy_template_action(
        self, request: HttpRequest, queryset: QuerySet[Questionnaire]
    ) -> HttpResponse | None:
        templates = list(queryset.filter(is_template=True))
        if not templates:
            self.message_user(request, _("Choisissez un modèle."), messages.WARNING)
            return None
        form = CopyForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for template in templates:
                try:
                    copy = actions.copy_template(
                        actor=request.user,
                        template=template,
                        consultation=form.cleaned_data["consultation"],
                    )
                except (PermissionDenied, ValidationError) as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return None
                self.message_user(request, _("Questionnaire créé : %s") % copy.title)
            return None
        return render(
            request,
            "questionnaires/admin_copy.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "templates": templates,
                "title": _("Créer un questionnaire depuis ce modèle"),
            },
        )


class ChoiceFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """One « Autre » per question: a database constraint, checked across the new rows
        here so that two ticked at once are a form error, not a failed save."""
        super().clean()
        others = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_other") and not form.cleaned_data.get("DELETE")
        ]
        if len(others) > 1:
            raise forms.ValidationError(_("Une seule réponse « Autre » par question."))


class ChoiceInline(StructureLockedInline, admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 3
    fields = ["order", "label", "is_other"]
    locked_fields = LOCKED_CHOICE_FIELDS


@admin.register(Question)
class QuestionAdmin(StructureLockedAdmin, admin.ModelAdmin):
    list_display = ["text", "questionnaire", "kind", "required"]
    list_filter = ["kind"]
    search_fields = ["text"]
    inlines = [ChoiceInline]
    raw_id_fields = ["questionnaire", "section", "condition_question"]
    filter_horizontal = ["condition_choices"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if _is_locked(request, obj):
            fields += ["questionnaire", *LOCKED_QUESTION_FIELDS]
        return fields


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read only: responses change through the questionnaire's pages."""

    list_display = ["questionnaire", "state", "audience", "departement", "submitted_at"]
    list_filter = ["state", "audience"]
    exclude = ["account", "respondent_key", "tallied"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Written on their questionnaire's or question's page, or by the actions (answers, tallies,
# topics): listed here for reading only.
@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "questionnaire", "order"]
    list_select_related = ["questionnaire"]


@admin.register(Choice)
class ChoiceAdmin(ReadOnlyAdmin):
    list_display = ["label", "question", "order", "is_other"]
    list_select_related = ["question"]


@admin.register(Answer, AnswerChoice, Tally, RespondentTally, TextTopic)
class AnswerRecordAdmin(ReadOnlyAdmin):
    pass
