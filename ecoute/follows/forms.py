from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.widgets import RadioSelect

from ecoute.common.forms import EcouteForm

from .models import Frequency


class NotificationSettingsForm(EcouteForm):
    service_frequency = forms.ChoiceField(
        label=_("Services que je suis : nouvelles expériences publiées et réponses"),
        choices=Frequency.choices,
        widget=RadioSelect,
    )
    experience_emails = forms.BooleanField(
        label=_(
            "Expériences que je suis : un e-mail quand elles sont publiées ou reçoivent une réponse"
        ),
        required=False,
    )
