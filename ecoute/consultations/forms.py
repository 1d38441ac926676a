from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm
from ecoute.territories.models import Departement

from .models import Status, Theme
from .queries import ConsultationFilters


class DepartementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class ConsultationFilterForm(EcouteForm):
    """The filters of the list and of the agenda, read from the query string (no JavaScript)."""

    theme = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les thèmes"),
    )
    departement = DepartementChoice(
        label=_("Département"),
        help_text=_("Les consultations nationales concernent tous les départements."),
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("Tous les départements"),
    )
    public = forms.ChoiceField(
        label=_("Public"),
        required=False,
        choices=[
            ("", _("Tous les publics")),
            ("usagers", _("Ouvertes aux usagers")),
            ("agents", _("Ouvertes aux agents publics")),
        ],
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts"))]
        + [(status.value, status.label) for status in Status if status != Status.DRAFT],
    )

    def filters(self) -> ConsultationFilters:
        if not self.is_valid():
            return ConsultationFilters()
        data = self.cleaned_data
        return ConsultationFilters(
            theme=data["theme"].slug if data.get("theme") else None,
            departement=data["departement"].code if data.get("departement") else None,
            audience=data.get("public") or None,
            status=data.get("statut") or None,
        )


class ListedForm(EcouteForm):
    """A participant shows or hides their pseudonym on the public list."""

    listed = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
