from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.widgets import InlineRadioSelect

from ecoute.catalogue.models import Channel
from ecoute.common.forms import EcouteForm

from .actions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Ratings
from .models import Sentiment

RATING_CHOICES = [
    (1, _("1 — très insatisfait")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 — très satisfait")),
]
RATING_QUESTIONS = {
    "satisfaction": _("Satisfaction globale"),
    "delays": _("Délais"),
    "accessibility": _("Accessibilité"),
    "simplicity": _("Simplicité"),
    "relationship": _("Qualité de la relation"),
}
TITLE_MAX, BODY_MIN, BODY_MAX = TITLE_MAX_LENGTH, 30, BODY_MAX_LENGTH


def _no_control_characters(value: str) -> None:
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise forms.ValidationError(_("Le texte contient des caractères non autorisés."))


class ExperienceForm(EcouteForm):
    occurred_on = forms.DateField(
        label=_("Date de l'expérience"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Format : jj/mm/aaaa"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    channel = forms.ChoiceField(
        label=_("Par quel canal ?"), choices=Channel.choices, widget=InlineRadioSelect
    )
    sentiment = forms.ChoiceField(
        label=_("Votre expérience est-elle plutôt…"),
        choices=Sentiment.choices,
        widget=InlineRadioSelect,
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=TITLE_MAX,
        min_length=5,
        help_text=_("En une phrase : ce qui s'est passé."),
        validators=[_no_control_characters],
    )
    body = forms.CharField(
        label=_("Votre récit"),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Ne donnez pas de nom, de numéro de téléphone ni de numéro de dossier : "
            "ces informations seront masquées automatiquement."
        ),
        validators=[_no_control_characters],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for key, label in RATING_QUESTIONS.items():
            self.fields[f"rating_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=RATING_CHOICES,
                coerce=int,
                widget=InlineRadioSelect,
                error_messages={
                    "required": _("Donnez une note de 1 à 5."),
                    "invalid_choice": _("La note doit être comprise entre 1 et 5."),
                },
            )

    def clean_occurred_on(self):  # noqa: ANN201
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
        if value.year < 2000:
            raise forms.ValidationError(_("La date doit être postérieure à l'an 2000."))
        return value

    def ratings(self) -> Ratings:
        return Ratings(**{key: self.cleaned_data[f"rating_{key}"] for key in RATING_QUESTIONS})


class HideForm(EcouteForm):
    reason = forms.CharField(
        label=_("Motif du masquage"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible dans le journal de modération et envoyé à l'auteur."),
    )


class AnswerForm(EcouteForm):
    body = forms.CharField(
        label=_("Réponse publique du service"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[_no_control_characters],
    )
