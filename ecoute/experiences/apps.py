from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "ecoute.experiences"
    label = "experiences"
