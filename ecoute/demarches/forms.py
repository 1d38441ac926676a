from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.widgets import InlineRadioSelect

from ecoute.common.forms import EcouteForm, no_control_characters

from .actions import COMMENT_MAX_LENGTH, NAME_MAX_LENGTH, NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from .models import Help, MomentDeVie, Satisfaction

PERSONAL_DATA_HELP = _(
    "Votre avis est anonyme. N'écrivez ni nom, ni adresse électronique, ni numéro de "
    "téléphone ou de dossier : ces informations seraient masquées automatiquement."
)
CLARITY_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class FeedbackForm(EcouteForm):
    """« Je donne mon avis », the questions of the State's form reduced to four."""

    satisfaction = forms.ChoiceField(
        label=_("De façon générale, comment ça s'est passé ?"),
        choices=Satisfaction.choices,
        widget=InlineRadioSelect,
        error_messages={"required": _("Choisissez comment ça s'est passé.")},
    )
    clarity = forms.TypedChoiceField(
        label=_("Qu'avez-vous pensé des informations et des instructions fournies ?"),
        help_text=_("De 1 (pas clair du tout) à 5 (très clair)"),
        choices=CLARITY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=InlineRadioSelect,
    )
    help = forms.ChoiceField(
        label=_("Avez-vous cherché de l'aide pendant la démarche ?"),
        choices=Help.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Souhaitez-vous nous en dire plus ?"),
        help_text=PERSONAL_DATA_HELP,
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters],
    )


class ProposalForm(EcouteForm):
    name = forms.CharField(
        label=_("Nom de la démarche"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Par exemple : demande d'aide personnalisée au logement"),
        validators=[no_control_characters],
    )
    url = forms.URLField(
        label=_("Adresse de la démarche en ligne"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Format attendu : https://www.exemple.gouv.fr/demarche"),
    )
    reason = forms.CharField(
        label=_("Pourquoi la suivre ?"),
        min_length=20,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Qui l'utilise, ce qui y est difficile. N'écrivez aucune donnée personnelle."),
        validators=[no_control_characters],
    )


class AcceptForm(EcouteForm):
    prefix = "accepter"  # two forms on the proposal page: distinct field ids
    administration = forms.CharField(
        label=_("Administration qui propose la démarche"), max_length=200
    )
    note = forms.CharField(
        label=_("Réponse publique (facultatif)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(EcouteForm):
    prefix = "refuser"
    note = forms.CharField(
        label=_("Motif, affiché avec la proposition"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SORT_NAME, SORT_SATISFACTION, SORT_VOLUME = "nom", "satisfaction", "volumetrie"
SORT_CHOICES = [
    (SORT_NAME, _("Par nom")),
    (SORT_SATISFACTION, _("Par satisfaction, la meilleure d'abord")),
    (SORT_VOLUME, _("Par volumétrie, la plus forte d'abord")),
]


class ObservatoryFilterForm(EcouteForm):
    """Filters of the observatory table, read from the query string."""

    moment = forms.ModelChoiceField(
        label=_("Moment de vie"),
        queryset=MomentDeVie.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les moments de vie"),
    )
    administration = forms.ChoiceField(label=_("Administration"), required=False)
    tri = forms.ChoiceField(label=_("Trier"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, administrations: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["administration"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [("", _("Toutes les administrations"))] + [
            (name, name) for name in administrations
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        found: dict[str, Any] = {}
        if self.cleaned_data.get("moment"):
            found["moments"] = self.cleaned_data["moment"]
        if self.cleaned_data.get("administration"):
            found["administration"] = self.cleaned_data["administration"]
        return found

    def sort(self) -> str:
        if self.is_valid() and self.cleaned_data.get("tri"):
            return str(self.cleaned_data["tri"])
        return SORT_NAME
