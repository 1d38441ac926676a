from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "ecoute.inbox"
    label = "inbox"
    verbose_name = "Boîte de réception des agents"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .personal_data import SECTION

        register_section(SECTION)
        # experiences cannot import this app: its actions call the listeners registered with
        # experiences.handling, inside their transaction, and the entries follow.
        from ecoute.experiences import handling

        from .entries import sync_experience

        handling.register(sync_experience)
