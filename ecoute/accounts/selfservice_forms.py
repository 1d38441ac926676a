"""Forms of the account self-service pages (password, address, deletion), DSFR-rendered."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm

from . import actions
from .models import User


class PasswordResetForm(EcouteForm, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse électronique de votre compte"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class _SavesThroughAction:
    """Django's password forms save the user themselves; ours go through the action."""

    user: User
    cleaned_data: dict

    def save(self, commit: bool = True) -> User:
        return actions.set_password(user=self.user, password=self.cleaned_data["new_password1"])


class SetPasswordForm(_SavesThroughAction, EcouteForm, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(_SavesThroughAction, EcouteForm, auth_forms.PasswordChangeForm):
    pass


class _PasswordCheckedForm(EcouteForm):
    """Re-authentication before a sensitive change: the current password, or, for an account
    without one (created through FranceConnect), a FranceConnect login in this session within
    the last few minutes (`oidc.recently_signed_in_with_franceconnect`, checked by the view)."""

    password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(
        self, *args: object, user: User, recently_reauthenticated: bool = False, **kwargs: object
    ) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.uses_password = user.has_usable_password()
        # True when the page must send the user through FranceConnect first.
        self.reauthentication_needed = not self.uses_password and not recently_reauthenticated
        if not self.uses_password:
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password

    def clean(self) -> dict:
        cleaned_data = super().clean() or {}
        if self.reauthentication_needed:
            raise forms.ValidationError(
                _(
                    "Pour confirmer, reconnectez-vous avec FranceConnect : votre compte n'a pas "
                    "de mot de passe."
                ),
                code="reauthentication_needed",
            )
        return cleaned_data


class EmailChangeForm(_PasswordCheckedForm):
    new_email = forms.EmailField(
        label=_("Nouvelle adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Un lien de confirmation y sera envoyé ; l'adresse change à son ouverture."),
    )

    field_order = ["new_email", "password"]

    def clean_new_email(self) -> str:
        new_email = actions.normalise_email(self.cleaned_data["new_email"])
        if new_email == actions.normalise_email(self.user.email):
            raise forms.ValidationError(_("C'est déjà l'adresse de votre compte."))
        return new_email


class DeleteAccountForm(_PasswordCheckedForm):
    KEEP, REMOVE = "keep", "remove"
    contributions = forms.ChoiceField(
        label=_("Que faire de vos contributions ?"),
        choices=[
            (REMOVE, _("Les supprimer avec mon compte")),
            (KEEP, _("Les garder publiées, anonymisées (sans lien avec moi ni pseudonyme)")),
        ],
        widget=forms.RadioSelect,
    )

    field_order = ["contributions", "password"]

    @property
    def keep_contributions(self) -> bool:
        return self.cleaned_data["contributions"] == self.KEEP
