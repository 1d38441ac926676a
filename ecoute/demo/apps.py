from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ecoute.demo"
    label = "demo"
    verbose_name = "Données de référence et de démonstration"
