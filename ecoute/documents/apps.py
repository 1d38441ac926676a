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

        from ecoute.moderation.registry import register_queue_link

        register_queue_link(
            _("Documents à relire"), "documents:moderation_queue", "moderation-documents-link"
        )
