from django.apps import AppConfig


class FranceServicesConfig(AppConfig):
    name = "ecoute.france_services"
    label = "france_services"
    verbose_name = "France services"
