from django import forms
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm

from .actions import REPORT_COMMENT_MAX_LENGTH
from .models import ReportReason


class ReportForm(EcouteForm):
    reason = forms.ChoiceField(
        label=_("Pourquoi signalez-vous ce contenu ?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=REPORT_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif. Ne donnez pas d'informations personnelles."),
    )


AGE_CHOICES = [("", _("Toutes")), ("7", _("Plus de 7 jours")), ("30", _("Plus de 30 jours"))]
ORIGIN_CHOICES = [("", _("Toutes")), ("new", _("Nouveaux textes")), ("imported", _("Importés"))]


class QueueFilterForm(EcouteForm):
    """The queue's filters (a GET form); every field is optional."""

    type = forms.ChoiceField(label=_("Type de contenu"), required=False)
    reseau = forms.TypedChoiceField(label=_("Réseau"), required=False, coerce=int, empty_value=None)
    departement = forms.RegexField(
        label=_("Département"),
        required=False,
        regex=r"^(\d{2,3}|2[ABab])$",
        max_length=3,
        error_messages={"invalid": _("Code de département attendu, par exemple 75 ou 2A.")},
    )
    origine = forms.ChoiceField(label=_("Origine"), required=False, choices=ORIGIN_CHOICES)
    signale = forms.BooleanField(label=_("Signalés seulement"), required=False)
    age = forms.ChoiceField(label=_("Ancienneté"), required=False, choices=AGE_CHOICES)

    def __init__(self, *args, kinds=(), networks=(), **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Tous")), *kinds]
        self.fields["reseau"].choices = [("", _("Tous")), *networks]


class BulkDecisionForm(EcouteForm):
    """One decision on the selected items; hiding requires a reason (shown in the trash)."""

    items = forms.TypedMultipleChoiceField(
        label=_("Sélection"),
        coerce=int,
        error_messages={"required": _("Cochez au moins un élément.")},
    )
    decision = forms.ChoiceField(choices=[("publish", _("Publier")), ("hide", _("Masquer"))])
    reason = forms.CharField(label=_("Motif"), required=False, max_length=500)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        # Any id: the action reads each item under lock and says which ones no longer exist.
        self.fields["items"].choices = [(v, v) for v in self.data.getlist("items")]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("decision") == "hide" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif du masquage : il est public."))
        return data
