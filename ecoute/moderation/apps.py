from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "ecoute.moderation"
    label = "moderation"
