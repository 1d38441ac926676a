from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ecoute.documents"
    label = "documents"
    verbose_name = "Documents complexes"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from . import checks  # noqa: F401 - registers the private storage check
        from .personal_data import SECTION

        register_section(SECTION)
        from django.utils.translation import gettext_lazy as _

        from ecoute.accounts.menu import AccountLink, register_account_link

        register_account_link(
            AccountLink(
                _("Mes documents envoyés"),
                "documents:mine",
                "menu-documents",
                _(
                    "Les documents difficiles à comprendre que vous avez envoyés, "
                    "et la réponse des services."
                ),
                order=20,
            )
        )
        from django.utils.translation import gettext_lazy as _

        from ecoute.moderation.registry import register_queue_link

        register_queue_link(
            _("Documents à relire"), "documents:moderation_queue", "moderation-documents-link"
        )
