from django.apps import AppConfig


class DebatesConfig(AppConfig):
    name = "ecoute.debates"
    label = "debates"
    verbose_name = "Débats"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from . import moderated, parts
        from .personal_data import SECTION

        register_section(SECTION)  # "download my data", "delete my account"
        moderated.register()  # contributions, arguments, sources join the moderation contract
        parts.register()  # consultation pages list the debate sections
