from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "ecoute.moderation"
    label = "moderation"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .personal_data import SECTION

        register_section(SECTION)
