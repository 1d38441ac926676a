from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "ecoute.territories"
    label = "territories"
