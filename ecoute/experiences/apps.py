from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "ecoute.experiences"
    label = "experiences"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .personal_data import SECTIONS
        from .reporting import register

        for section in SECTIONS:
            register_section(section)
        register()  # experiences and answers can be reported (moderation.reporting)
        from django.utils.translation import gettext_lazy as _

        from ecoute.accounts.menu import AccountLink, register_account_link

        register_account_link(
            AccountLink(
                _("Mes contributions"),
                "experiences:my_contributions",
                "menu-contributions",
                _(
                    "Vos expériences, leur statut et les réponses reçues ; "
                    "les modifier ou les retirer."
                ),
                order=10,
            )
        )
