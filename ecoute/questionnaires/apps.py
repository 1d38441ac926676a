from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "ecoute.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"
