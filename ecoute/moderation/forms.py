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


class ReportDecisionForm(EcouteForm):
    note = forms.CharField(
        label=_("Motif de la décision"),
        required=False,
        max_length=500,
        help_text=_("Obligatoire pour masquer ; inscrit au journal de modération."),
    )
