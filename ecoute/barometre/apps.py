from django.apps import AppConfig


class BarometreConfig(AppConfig):
    name = "ecoute.barometre"
    label = "barometre"
    verbose_name = "Baromètre Services Publics +"
