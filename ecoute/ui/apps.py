from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "ecoute.ui"
    label = "ui"
