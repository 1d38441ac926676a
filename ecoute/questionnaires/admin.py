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


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True
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
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "consultation", "is_template", "order"]
    list_filter = ["is_template"]
    search_fields = ["title"]
    inlines = [SectionInline, QuestionInline]
    actions = ["copy_template_action"]
    readonly_fields = ["source_key"]

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


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 3
    fields = ["order", "label", "is_other"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "questionnaire", "kind", "required"]
    list_filter = ["kind"]
    search_fields = ["text"]
    inlines = [ChoiceInline]
    raw_id_fields = ["questionnaire", "section", "condition_question"]
    filter_horizontal = ["condition_choices"]


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
