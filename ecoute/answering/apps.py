from django.apps import AppConfig


class AnsweringConfig(AppConfig):
    name = "ecoute.answering"
    label = "answering"

    def ready(self) -> None:
        # experiences cannot import this app: the experience page asks its registry of answer
        # aids, which this app fills (a link to the writing page with templates and drafts).
        from ecoute.experiences.answer_aids import register_answer_aid

        from .views import compose_link

        register_answer_aid(compose_link)
