from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "ecoute.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .personal_data import SECTION

        register_section(SECTION)
