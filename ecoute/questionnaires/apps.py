from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "ecoute.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        from ecoute.consultations.parts import PartKind, register_part_kind

        from .parts import questionnaire_parts

        register_part_kind(PartKind("questionnaires", "Questionnaires", questionnaire_parts))
