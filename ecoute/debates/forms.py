from django import forms
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm, no_control_characters

from .actions import (
    ARGUMENT_MAX_LENGTH,
    BODY_MAX_LENGTH,
    SOURCE_DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from .models import ARGUED_SIDES, VoteValue

PERSONAL_DATA_HELP = _(
    "Public. N'écrivez ni nom, ni adresse, ni numéro : ce qui y ressemble est masqué."
)


class ContributionForm(EcouteForm):
    title = forms.CharField(
        label=_("Titre"), max_length=TITLE_MAX_LENGTH, validators=[no_control_characters]
    )
    body = forms.CharField(
        label=_("Votre contribution"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=PERSONAL_DATA_HELP,
        validators=[no_control_characters],
    )


class VoteForm(forms.Form):
    value = forms.ChoiceField(choices=VoteValue.choices)


class ArgumentForm(EcouteForm):
    side = forms.ChoiceField(
        label=_("Position"),
        choices=[(s.value, s.label) for s in ARGUED_SIDES],
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Votre argument"),
        max_length=ARGUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PERSONAL_DATA_HELP,
        validators=[no_control_characters],
    )


class SourceForm(EcouteForm):
    url = forms.CharField(
        label=_("Adresse de la source"),
        max_length=500,
        help_text=_("Commence par http:// ou https://"),
    )
    title = forms.CharField(
        label=_("Titre de la source"),
        max_length=TITLE_MAX_LENGTH,
        validators=[no_control_characters],
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=SOURCE_DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )
