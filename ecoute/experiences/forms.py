import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.widgets import InlineRadioSelect

from ecoute.catalogue.models import Channel, ContactPoint, Network, Organisation
from ecoute.common.forms import EcouteForm
from ecoute.common.text import fold
from ecoute.territories.models import Commune, Departement

from .actions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from .guests import POSTAL_CODE_RE
from .models import Sentiment
from .ratings import FELT_RATINGS, SCALE_MAX, SCALE_MIN, Ratings
from .search import MAX_QUERY_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

RATING_CHOICES = [
    (SCALE_MIN, _("1 — très insatisfait")),
    *((value, str(value)) for value in range(SCALE_MIN + 1, SCALE_MAX)),
    (SCALE_MAX, _("5 — très satisfait")),
]
RATING_QUESTIONS = {rating.key: rating.question for rating in FELT_RATINGS}
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

    def rating_fields(self) -> list[forms.BoundField]:
        """The rating questions, in the order of FELT_RATINGS (the template loops on them)."""
        return [self[rating.field] for rating in FELT_RATINGS]

    def ratings(self) -> Ratings:
        return Ratings(**{key: self.cleaned_data[f"rating_{key}"] for key in RATING_QUESTIONS})

    def experience_fields(self) -> dict[str, Any]:
        """The keyword arguments of the submit actions, from a valid form."""
        return {
            "occurred_on": self.cleaned_data["occurred_on"],
            "channel": self.cleaned_data["channel"],
            "sentiment": self.cleaned_data["sentiment"],
            "ratings": self.ratings(),
            "title": self.cleaned_data["title"],
            "body": self.cleaned_data["body"],
        }


class HideForm(EcouteForm):
    reason = forms.CharField(
        label=_("Motif du masquage"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible dans le journal de modération et envoyé à l'auteur."),
    )


class AnswerEditForm(EcouteForm):
    """The text of an answer (editing an answer changes only its text)."""

    body = forms.CharField(
        label=_("Réponse publique du service"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[_no_control_characters],
    )


def new_form_key() -> str:
    return uuid.uuid4().hex


class AnswerForm(AnswerEditForm):
    """A new answer: its text, whether it is a "complément" to the service's official answer
    (decided when the form is shown, so a double click cannot turn into a complement), and a
    one-time key carried from the first page to the confirmation (idempotence)."""

    complement = forms.BooleanField(required=False, widget=forms.HiddenInput)
    jeton = forms.RegexField(
        regex=r"^[0-9a-f]{32}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Le formulaire a expiré : rechargez la page."),
            "invalid": _("Le formulaire a expiré : rechargez la page."),
        },
    )


ANSWERED_CHOICES = [("", _("Toutes")), ("oui", _("Avec une réponse")), ("non", _("Sans réponse"))]
SORT_RECENT, SORT_METOO = "recent", "moi-aussi"
SORT_CHOICES = [
    (SORT_RECENT, _("Les plus récentes")),
    (SORT_METOO, _("Les plus « moi aussi »")),
]
SORT_ORDERINGS = {
    SORT_RECENT: ["-published_at", "-id"],
    SORT_METOO: ["-metoo_count", "-published_at", "-id"],
}


class BrowseForm(EcouteForm):
    """Filters of the public experience list, read from the query string (a GET form)."""

    q = forms.CharField(
        label=_("Rechercher dans les récits"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Mots du titre ou du récit, par exemple : retard rendez-vous"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    reseau = forms.ModelChoiceField(
        label=_("Réseau"),
        queryset=Network.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les réseaux"),
    )
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label=_("Tous les départements"),
    )
    commune = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=100,
        help_text=_("Nom ou code INSEE"),
    )
    canal = forms.ChoiceField(
        label=_("Canal"), choices=[("", _("Tous les canaux")), *Channel.choices], required=False
    )
    ressenti = forms.ChoiceField(
        label=_("Ressenti"),
        choices=[("", _("Positives et négatives")), *Sentiment.choices],
        required=False,
    )
    reponse = forms.ChoiceField(
        label=_("Réponse du service"), choices=ANSWERED_CHOICES, required=False
    )
    du = forms.DateField(
        label=_("Publiées depuis le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Format : jj/mm/aaaa"),
    )
    au = forms.DateField(
        label=_("Publiées jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Format : jj/mm/aaaa"),
    )
    tri = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)
    # Set by links (a contact point's or an organisation's page), shown as removable tags.
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Organisation inconnue.")},
    )
    point = forms.ModelChoiceField(
        queryset=ContactPoint.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Point de contact inconnu.")},
    )

    def clean_commune(self) -> Commune | None:
        value = self.cleaned_data["commune"].strip()
        if not value:
            return None
        communes = Commune.objects.select_related("departement")
        if len(value) == 5 and value[:2].isalnum() and value[2:].isdigit():
            commune = communes.filter(code=value.upper()).first()
        else:
            matches = communes.filter(search_name=fold(value))
            departement = self.cleaned_data.get("departement")
            if departement is not None:
                matches = matches.filter(departement=departement)
            # Homonyms (Saint-Denis…): the most populous; the département filter narrows it.
            commune = matches.order_by(F("population").desc(nulls_last=True), "code").first()
        if commune is None:
            raise forms.ValidationError(_("Commune inconnue : vérifiez le nom ou le code INSEE."))
        return commune

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters (an invalid field is left out, its error shown on the form)."""
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}


def _postal_code_problem(code: str) -> "StrPromise | None":
    """Why `code` is not a French postal code, or None.

    Five digits whose first two (three overseas, 2A/2B for 20xxx in Corsica) name a
    département we know; with no territories loaded, the format alone is checked.
    """
    if not POSTAL_CODE_RE.fullmatch(code):
        return _("Le code postal doit comporter 5 chiffres, par exemple 75011.")
    if code[:2] in {"97", "98"}:
        candidates = [code[:3]]
    elif code[:2] == "20":
        candidates = ["2A", "2B"]
    else:
        candidates = [code[:2]]
    departements = Departement.objects.all()
    if departements.exists() and not departements.filter(code__in=candidates).exists():
        return _("Ce code postal ne correspond à aucun département français.")
    return None


class GuestExperienceForm(ExperienceForm):
    """The tell form for a visitor without an account: an e-mail to confirm and a postal code
    (what the Services Publics + legal basis collects). The address is never published."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Jamais publiée. Un lien de confirmation vous sera envoyé ; elle sert ensuite "
            "uniquement à vous prévenir de la publication et des réponses."
        ),
    )
    postal_code = forms.CharField(
        label=_("Code postal"),
        max_length=8,  # "75 011" is accepted: spaces are removed
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        help_text=_("5 chiffres, par exemple 75011."),
    )

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"].replace(" ", "")
        problem = _postal_code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code
