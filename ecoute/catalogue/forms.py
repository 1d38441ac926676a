from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm
from ecoute.territories.models import Commune, Departement
from ecoute.territories.queries import communes_for_place

from .models import Channel, Network


def _network_choices() -> list[tuple[str, object]]:
    return [("", _("Tous les réseaux"))] + [
        (str(pk), name) for pk, name in Network.objects.order_by("name").values_list("pk", "name")
    ]


class ContactPointSearchForm(EcouteForm):
    q = forms.CharField(
        label=_("Nom du service, commune, code postal ou département"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("ex. : préfecture 69, CPAM du Cantal, impôts 75011"),
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


class PlaceForm(EcouteForm):
    """A commune or a postcode typed by the user, or a commune code picked among homonyms."""

    lieu = forms.CharField(
        label=_("Commune ou code postal"),
        max_length=100,
        error_messages={"required": _("Indiquez une commune ou un code postal.")},
        widget=forms.TextInput(attrs={"placeholder": _("ex. : 15000, Aurillac")}),
    )
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A commune picked among homonyms comes without the typed text; otherwise the text is
        # needed (and the label does not say "optionnel").
        self.fields["lieu"].required = not self.data.get("commune")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.has_error("lieu") and not data.get("lieu") and not data.get("commune"):
            raise forms.ValidationError(_("Indiquez une commune ou un code postal."))
        return data

    def locate(self) -> tuple[Commune | None, list[Commune]]:
        """The commune meant (most populated first) and the other candidates.

        Call on a valid form. No commune, or one without a position, adds the error to `lieu`
        and gives no origin (the commune is still returned to say which one was understood).
        """
        code = self.cleaned_data["commune"]
        if code:
            candidates = list(Commune.objects.select_related("departement").filter(pk=code))
        else:
            candidates = list(communes_for_place(self.cleaned_data["lieu"]))
        if not candidates:
            self.add_error("lieu", _("Nous ne trouvons ni cette commune ni ce code postal."))
            return None, []
        commune, others = candidates[0], candidates[1:]
        if commune.latitude is None or commune.longitude is None:
            self.add_error("lieu", _("Nous ne connaissons pas la position de cette commune."))
        return commune, others


class NearbySearchForm(PlaceForm):
    network = forms.TypedChoiceField(
        label=_("Réseau"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = _network_choices()
