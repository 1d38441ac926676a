from django.apps import AppConfig


class DebatesConfig(AppConfig):
    name = "ecoute.debates"
    label = "debates"
    verbose_name = "Débats"

    def ready(self) -> None:
        from . import moderated, parts

        moderated.register()  # contributions, arguments, sources join the moderation contract
        parts.register()  # consultation pages list the debate sections
