from django.apps import AppConfig


class DebatesConfig(AppConfig):
    name = "ecoute.debates"
    label = "debates"
    verbose_name = "Débats"
