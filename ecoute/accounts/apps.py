from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "ecoute.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .personal_data import (
            PersonalDataSection,
            export_account,
            export_external_identities,
            register_section,
        )
        from .ratelimits import record_login_failure

        register_section(PersonalDataSection(key="account", export=export_account))
        register_section(
            PersonalDataSection(key="external_identities", export=export_external_identities)
        )
        user_login_failed.connect(record_login_failure, dispatch_uid="ecoute-login-failure")


class EcouteAdminConfig(admin_apps.AdminConfig):
    """Installed instead of "django.contrib.admin" (Django's documented way to swap the site):
    the admin login gets the site's login rate limits."""

    default = False
    default_site = "ecoute.accounts.admin_site.EcouteAdminSite"
