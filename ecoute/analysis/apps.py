from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "ecoute.analysis"
    label = "analysis"
