from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "ecoute.experiences"
    label = "experiences"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .personal_data import SECTIONS
        from .reporting import register

        for section in SECTIONS:
            register_section(section)
        register()  # experiences and answers can be reported (moderation.reporting)
