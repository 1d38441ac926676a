from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import Organisation
from ecoute.common.forms import EcouteForm

from .actions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from .models import TemplateFamily

BODY_HELP = _(
    "Champs remplacés quand le modèle est utilisé : {pseudonyme} (pseudonyme de l'auteur), "
    "{service} (nom du service concerné), {date} (date de l'expérience), {organisation} "
    "(votre organisation). Vous relirez et modifierez toujours le texte avant de publier."
)


class TemplateForm(EcouteForm):
    family = forms.ChoiceField(label=_("Famille"), choices=TemplateFamily.choices)
    title = forms.CharField(label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Texte du modèle"),
        min_length=10,
        max_length=BODY_MAX_LENGTH,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class NewTemplateForm(TemplateForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    field_order = ["organisation", "family", "title", "body"]

    def __init__(self, *args: object, organisations: QuerySet[Organisation], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ComposeForm(forms.Form):
    """The query string of the writing page: which template or past answer to start from."""

    modele = forms.IntegerField(required=False, min_value=1)
    suggestion = forms.IntegerField(required=False, min_value=1)
