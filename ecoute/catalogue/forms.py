from django import forms
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm
from ecoute.territories.models import Departement

from .models import Channel


class ContactPointSearchForm(EcouteForm):
    q = forms.CharField(
        label=_("Nom du service, commune ou département"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("ex. : préfecture 69, Bourg-en-Bresse, impôts 75011"),
            }
        ),
    )
    departement = forms.ChoiceField(label=_("Département"), required=False)
    channel = forms.ChoiceField(
        label=_("Canal"), required=False, choices=[("", _("Tous les canaux")), *Channel.choices]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", _("Tous les départements"))] + [
            (code, f"{code} — {name}")
            for code, name in Departement.objects.order_by("code").values_list("code", "name")
        ]
