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
