"""Accounts: a pseudonym and an e-mail; roles are flags and memberships, not separate models."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class EcouteUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(username__iexact=username)


class User(AbstractUser):
    """`username` is the public pseudonym; e-mail is unique and confirmed before posting."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmé le"), null=True, blank=True)
    is_moderator = models.BooleanField(
        _("modérateur"), default=False, help_text=_("Peut publier ou masquer les contributions.")
    )

    objects: ClassVar[EcouteUserManager] = EcouteUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("compte")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="unique_pseudonym_ci"),
            models.UniqueConstraint(Lower("email"), name="unique_email_ci"),
        ]

    @property
    def has_confirmed_email(self) -> bool:
        return self.email_confirmed_at is not None


class IdentityProvider(models.TextChoices):
    FRANCECONNECT = "franceconnect", "FranceConnect"


class ExternalIdentity(models.Model):
    """An identity at an OpenID Connect provider (its `sub`) linked to one account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.CharField(_("fournisseur"), max_length=30, choices=IdentityProvider.choices)
    subject = models.CharField(_("identifiant chez le fournisseur (sub)"), max_length=255)
    created_at = models.DateTimeField(_("liée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("identité externe")
        verbose_name_plural = _("identités externes")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="unique_provider_sub"),
            models.UniqueConstraint(fields=["user", "provider"], name="one_identity_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} · {self.user}"
