from django.apps import AppConfig


class RemonteesConfig(AppConfig):
    name = "ecoute.remontees"
    label = "remontees"
    verbose_name = "Remontées des agents"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section
        from ecoute.demarches.difficulties import register_difficulty_source

        from .difficulties import SOURCE
        from .moderated import register
        from .personal_data import SECTION

        register_section(SECTION)
        register()  # remontées and their public summaries join the moderation contract
        register_difficulty_source(SOURCE)  # shown on the démarche pages
