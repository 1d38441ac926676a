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
        from django.utils.translation import gettext_lazy as _

        from ecoute.accounts.menu import AccountLink, register_account_link

        register_account_link(
            AccountLink(
                _("Mes participations aux consultations"),
                "consultations:mine",
                "menu-participations",
                _(
                    "Les consultations auxquelles vous avez pris part ; "
                    "y afficher ou non votre pseudonyme."
                ),
                order=40,
            )
        )
        register_agenda_source(CONSULTATION_PHASES)  # the phases on /agenda/
