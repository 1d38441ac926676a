from django import forms
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm, no_control_characters
from ecoute.indicators.queries import parse_semester

from .actions import MAX_REASON


class PrepareForm(EcouteForm):
    semester = forms.CharField(
        label=_("Semestre"),
        help_text=_("Au format AAAA-S1 (janvier à juin) ou AAAA-S2 (juillet à décembre)."),
        max_length=7,
    )

    note = forms.CharField(
        label=_("Avertissement affiché sur l'édition"),
        help_text=_("Par exemple : « calculée à partir de données de démonstration générées »."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
        validators=[no_control_characters],
    )

    def clean_semester(self) -> object:
        semester = parse_semester(self.cleaned_data["semester"].strip().upper())
        if semester is None:
            raise forms.ValidationError(
                _("Écrivez le semestre AAAA-S1 ou AAAA-S2, par exemple 2026-S1.")
            )
        return semester


class PublishForm(EcouteForm):
    confirm = forms.BooleanField(
        label=_(
            "Je confirme la publication : les chiffres affichés ne pourront plus être modifiés."
        ),
        required=True,
        error_messages={"required": _("Cochez la case pour confirmer la publication.")},
    )


class CorrectionForm(EcouteForm):
    reason = forms.CharField(
        label=_("Motif de la correction"),
        help_text=_(
            "Il sera affiché sur l'édition corrigée, à côté du lien vers l'édition remplacée."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
        validators=[no_control_characters],
    )
