from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "ecoute.follows"
    label = "follows"

    def ready(self) -> None:
        from ecoute.accounts.personal_data import register_section

        from .personal_data import SECTION

        register_section(SECTION)
        from django.utils.translation import gettext_lazy as _

        from ecoute.accounts.menu import AccountLink, register_account_link

        register_account_link(
            AccountLink(
                _("Mes abonnements et e-mails de suivi"),
                "follows:list",
                "my-follows",
                _("Les services et expériences que vous suivez, et quand recevoir des e-mails."),
                order=30,
            )
        )
        # experiences cannot import this app (it imports experiences): it announces its events
        # with a signal, sent after commit, and this app listens.
        from ecoute.experiences.signals import experience_event

        from .receivers import on_experience_event

        experience_event.connect(on_experience_event, dispatch_uid="follows.experience_event")
