from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "ecoute.resources"
    label = "resources"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .personal_data import SECTION

        register_section(SECTION)
