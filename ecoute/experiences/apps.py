from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "ecoute.experiences"
    label = "experiences"

    def ready(self) -> None:
        from .reporting import register

        register()  # experiences and answers can be reported (moderation.reporting)
