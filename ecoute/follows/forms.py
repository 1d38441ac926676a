from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.widgets import RadioSelect

from ecoute.common.forms import EcouteForm

from .models import AgentAlertFrequency, Frequency


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
    agent_alerts = forms.ChoiceField(
        label=_("Agents : nouvelles expériences publiées sur les services de vos organisations"),
        help_text=_(
            "« Dès la publication » regroupe les expériences publiées en quelques minutes dans "
            "un seul e-mail."
        ),
        choices=AgentAlertFrequency.choices,
        widget=RadioSelect,
    )

    def __init__(self, *args: Any, is_agent: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_agent:  # the alerts concern agents only
            del self.fields["agent_alerts"]
