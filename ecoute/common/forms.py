from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


def no_control_characters(value: str) -> None:
    """Refuse control characters in a free text (line breaks and tabs are fine)."""
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise forms.ValidationError(_("Le texte contient des caractères non autorisés."))


class EcouteForm(DsfrBaseForm):
    """DSFR-rendered form marking optional fields (the current DSFR rule).

    DsfrBaseForm.get_context warns on every render during its transition period; we skip that
    method and set the context variable it would have set.
    """

    def get_context(self) -> dict:
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context
