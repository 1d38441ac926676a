from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from dsfr.widgets import InlineRadioSelect

from ecoute.catalogue.models import Network, Organisation
from ecoute.common.forms import EcouteForm, no_control_characters
from ecoute.demarches.models import Demarche

from .actions import (
    COMMENT_MAX_LENGTH,
    DEMARCHE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from .models import Kind, Scope, Status, Theme

PERSONAL_DATA_HELP = _(
    "Ne donnez ni nom, ni numéro de téléphone, ni numéro de dossier : "
    "ces informations seront masquées automatiquement."
)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class RaiseForm(EcouteForm):
    organisation = OrganisationChoiceField(
        label=_("Depuis quelle organisation ?"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("La difficulté porte sur…"), choices=Kind.choices, widget=InlineRadioSelect
    )
    scope = forms.ChoiceField(
        label=_("Elle concerne…"), choices=Scope.choices, widget=InlineRadioSelect
    )
    demarche = forms.ModelChoiceField(
        label=_("Démarche suivie par l'observatoire"),
        queryset=Demarche.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Autre démarche (précisez son nom ci-dessous)"),
        help_text=_("Seulement si elle concerne une démarche en ligne"),
    )
    demarche_name = forms.CharField(
        label=_("Nom de la démarche en ligne"),
        required=False,
        max_length=DEMARCHE_MAX_LENGTH,
        help_text=_(
            "Seulement si elle concerne une démarche en ligne, par exemple : demande de RSA"
        ),
        validators=[no_control_characters],
    )
    theme = forms.ChoiceField(label=_("Thème"), choices=[("", "—"), *Theme.choices])
    title = forms.CharField(
        label=_("Titre"),
        min_length=5,
        max_length=TITLE_MAX_LENGTH,
        help_text=_("En une phrase : la difficulté rencontrée."),
        validators=[no_control_characters],
    )
    description = forms.CharField(
        label=_("Description"),
        min_length=30,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=PERSONAL_DATA_HELP,
        validators=[no_control_characters],
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.empty_label = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("demarche_name", "").strip() or cleaned.get("demarche")
        if cleaned.get("scope") == Scope.DEMARCHE and not named:
            self.add_error("demarche_name", _("Indiquez le nom de la démarche en ligne."))
        elif cleaned.get("scope") != Scope.DEMARCHE:
            cleaned["demarche_name"] = ""
            cleaned["demarche"] = None
        return cleaned


SORT_RECENT, SORT_SUPPORTED = "recentes", "soutenues"
SORT_CHOICES = [
    (SORT_RECENT, _("Les plus récentes")),
    (SORT_SUPPORTED, _("Les plus soutenues")),
]
SORT_ORDERINGS = {
    SORT_RECENT: ["-created_at", "-id"],
    SORT_SUPPORTED: ["-support_count", "-created_at", "-id"],
}


class FilterForm(EcouteForm):
    """Filters read from the query string (GET), shared by the agents' list and steering."""

    theme = forms.ChoiceField(
        label=_("Thème"), choices=[("", _("Tous les thèmes")), *Theme.choices], required=False
    )
    objet = forms.ChoiceField(
        label=_("Objet"), choices=[("", _("Tous")), *Kind.choices], required=False
    )
    statut = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous les statuts")), *Status.choices], required=False
    )
    reseau = forms.ModelChoiceField(
        label=_("Réseau"),
        queryset=Network.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les réseaux"),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Toutes les organisations"),
    )
    tri = forms.ChoiceField(label=_("Trier"), choices=SORT_CHOICES, required=False)

    def __init__(
        self,
        *args: Any,
        networks: QuerySet[Network],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("reseau", networks), ("organisation", organisations)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
            field.queryset = queryset

    def filters(self) -> dict[str, Any]:
        """The valid filters only (an invalid one is ignored, its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        lookups = {
            "theme": "theme",
            "objet": "kind",
            "statut": "status",
            "reseau": "network",
            "organisation": "organisation",
        }
        return {lookups[name]: data[name] for name in lookups if data.get(name)}

    def sort(self) -> str:
        data = getattr(self, "cleaned_data", {})
        return data.get("tri") or SORT_RECENT


class PublicFilterForm(EcouteForm):
    """The public page of summaries filters on network and theme."""

    theme = FilterForm.base_fields["theme"]
    reseau = forms.ModelChoiceField(
        label=_("Réseau"),
        queryset=Network.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les réseaux"),
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        found = {"theme": data.get("theme"), "network": data.get("reseau")}
        return {name: value for name, value in found.items() if value}


class AgentFilterForm(FilterForm):
    mine = forms.BooleanField(label=_("Mes remontées seulement"), required=False)


class StatusForm(EcouteForm):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=Status.choices)
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Envoyé à l'auteur et visible des agents qui voient la remontée."),
        validators=[no_control_characters],
    )


class SummaryForm(EcouteForm):
    title = forms.CharField(
        label=_("Titre public"),
        min_length=5,
        max_length=TITLE_MAX_LENGTH,
        validators=[no_control_characters],
    )
    body = forms.CharField(
        label=_("Synthèse publique"),
        min_length=30,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ce que l'organisation dit publiquement de cette difficulté et de ce qu'elle en "
            "fait. L'auteur n'est jamais nommé ; relu par la modération avant publication."
        ),
        validators=[no_control_characters],
    )
