from django import forms
from dsfr.forms import DsfrBaseForm


class EcouteForm(DsfrBaseForm):
    """DSFR-rendered form marking optional fields (the current DSFR rule).

    DsfrBaseForm.get_context warns on every render during its transition period; we skip that
    method and set the context variable it would have set.
    """

    def get_context(self) -> dict:
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context
