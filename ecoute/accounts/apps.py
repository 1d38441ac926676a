from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ecoute.accounts"
    label = "accounts"
