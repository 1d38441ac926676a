from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "ecoute.policies"
    label = "policies"
    verbose_name = "Baromètre des résultats de l'action publique"
