from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "ecoute.consultations"
    label = "consultations"
    verbose_name = "Consultations"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .agenda import CONSULTATION_PHASES, register_agenda_source
        from .personal_data import SECTION

        register_section(SECTION)
        register_agenda_source(CONSULTATION_PHASES)  # the phases on /agenda/
