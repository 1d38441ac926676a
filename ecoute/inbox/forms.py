from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ecoute.accounts.models import User
from ecoute.catalogue.models import Channel, ContactPoint, Organisation
from ecoute.common.forms import EcouteForm
from ecoute.experiences.models import Sentiment

from .actions import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from .models import InboxState
from .queries import InboxFilters

ASSIGNED_ME, ASSIGNED_NOBODY = "moi", "personne"
POINT_CHOICES_LIMIT = 200


class InboxFilterForm(EcouteForm):
    """The inbox's filters, read from the query string (a GET form)."""

    etat = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Sans réponse (tous)")), *InboxState.choices],
        required=False,
    )
    point = forms.ModelChoiceField(
        label=_("Point de contact"),
        queryset=ContactPoint.objects.none(),
        required=False,
        empty_label=_("Tous les points de contact"),
        error_messages={"invalid_choice": _("Point de contact inconnu dans cette boîte.")},
    )
    canal = forms.ChoiceField(
        label=_("Canal"), choices=[("", _("Tous les canaux")), *Channel.choices], required=False
    )
    ressenti = forms.ChoiceField(
        label=_("Ressenti"),
        choices=[("", _("Positives et négatives")), *Sentiment.choices],
        required=False,
    )
    attribution = forms.ChoiceField(
        label=_("Attribution"),
        choices=[
            ("", _("Toutes")),
            (ASSIGNED_ME, _("Attribuées à moi")),
            (ASSIGNED_NOBODY, _("Non attribuées")),
        ],
        required=False,
    )
    # Set by the team view's links (managers): one colleague's items.
    agent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = organisation.path or f"/{organisation.pk}/"
        points = ContactPoint.objects.filter(organisation__path__startswith=own).order_by(
            "name", "id"
        )
        field = cast(forms.ModelChoiceField, self.fields["point"])
        field.queryset = points
        # A national organisation has thousands: the list offers the first ones, any of its
        # own points is accepted from a link.
        field.widget.choices = [("", field.empty_label)] + [
            (point.pk, point.name) for point in points[:POINT_CHOICES_LIMIT]
        ]

    def filters(self, user: User) -> InboxFilters:
        """The valid filters (an invalid one is shown with its error and left out)."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        point = data.get("point")
        attribution = data.get("attribution", "")
        return InboxFilters(
            state=data.get("etat", ""),
            contact_point_id=point.pk if point else None,
            channel=data.get("canal", ""),
            sentiment=data.get("ressenti", ""),
            assignee_id=user.pk if attribution == ASSIGNED_ME else data.get("agent"),
            unassigned=attribution == ASSIGNED_NOBODY,
        )


class AssignForm(EcouteForm):
    assignee = forms.ModelChoiceField(
        label=_("Attribuer à"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Personne (rendre l'expérience)"),
        error_messages={"invalid_choice": _("Cette personne ne peut pas traiter l'expérience.")},
    )

    def __init__(self, *args: Any, agents: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["assignee"])
        field.queryset = agents


class NoteForm(EcouteForm):
    body = forms.CharField(
        label=_("Note interne"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Visible seulement des agents des services qui traitent l'expérience, jamais du "
            "public. Les données personnelles sont masquées."
        ),
    )


def _organisation_label(organisation: Organisation) -> str:
    return f"{organisation.display_name} ({organisation.network})"


class RouteForm(EcouteForm):
    organisation = forms.ModelChoiceField(
        label=_("Service destinataire"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choisissez un service de la liste.")},
    )
    reason = forms.CharField(
        label=_("Motif de l'orientation"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible des agents ; l'auteur est informé du nouveau service, pas du motif."),
    )

    def __init__(self, *args: Any, targets: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = targets
        field.label_from_instance = _organisation_label  # type: ignore[method-assign,assignment]


class OrganisationChoiceForm(EcouteForm):
    """Which of the agent's organisations the inbox shows (when they have several)."""

    organisation = forms.ModelChoiceField(
        label=_("Boîte de réception de"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
