import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm

from .models import User

PSEUDONYM_RE = re.compile(r"^[\w.\- ]{3,30}$")


class SignupForm(EcouteForm):
    pseudonym = forms.CharField(
        label=_("Pseudonyme"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text=_("Affiché publiquement avec vos contributions. 3 à 30 caractères."),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Jamais publiée. Un lien de confirmation vous sera envoyé."),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres."),
    )
    accept_charter = forms.BooleanField(
        label=_("J'accepte la charte de participation et les conditions d'utilisation"),
        required=True,
        # Rendered as HTML by the DSFR checkbox template: a link to the terms beside the box.
        help_text=format_lazy(
            '<a href="{url}" target="_blank" rel="noopener" title="{title}">{text}</a>',
            url=reverse_lazy("ui:terms"),
            text=_("Lire les conditions d'utilisation"),
            title=_("Lire les conditions d'utilisation — nouvelle fenêtre"),
        ),
    )

    def clean_pseudonym(self) -> str:
        pseudonym = " ".join(self.cleaned_data["pseudonym"].split())
        if not PSEUDONYM_RE.match(pseudonym) or "@" in pseudonym:
            raise forms.ValidationError(
                _("Lettres, chiffres, espaces, points, tirets et soulignés uniquement (3 à 30).")
            )
        if User.objects.filter(username__iexact=pseudonym).exists():
            raise forms.ValidationError(_("Ce pseudonyme est déjà pris."))
        return pseudonym

    def clean_email(self) -> str:
        # No "address already used" error: sign-up must not tell who has an account
        # (actions.sign_up e-mails the holder instead). A pseudonym is public: it is checked.
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(username=cleaned.get("pseudonym", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(EcouteForm, AuthenticationForm):
    username = forms.CharField(
        label=_("Pseudonyme ou adresse électronique"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }


class ResendConfirmationForm(EcouteForm):
    email = forms.EmailField(label=_("Adresse électronique"))
