from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "ecoute.catalogue"
    label = "catalogue"
