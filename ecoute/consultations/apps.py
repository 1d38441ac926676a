from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "ecoute.consultations"
    label = "consultations"
    verbose_name = "Consultations"
