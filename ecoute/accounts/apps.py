from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ecoute.accounts"
    label = "accounts"

    def ready(self) -> None:
        from .personal_data import PersonalDataSection, export_account, register_section

        register_section(PersonalDataSection(key="account", export=export_account))
