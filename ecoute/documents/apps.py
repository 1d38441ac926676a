from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ecoute.documents"
    label = "documents"
    verbose_name = "Documents complexes"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the private storage check
