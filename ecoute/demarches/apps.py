from django.apps import AppConfig


class DemarchesConfig(AppConfig):
    name = "ecoute.demarches"
    label = "demarches"
    verbose_name = "Démarches en ligne"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .moderated import register
        from .personal_data import SECTION

        register_section(SECTION)
        register()  # feedback comments and proposals join the moderation contract
