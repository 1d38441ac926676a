from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ecoute.indicators"
    label = "indicators"
    verbose_name = "Indicateurs"

    def ready(self) -> None:
        from ecoute.experiences.ratings import register_listener
        from ecoute.experiences.sections import register_contact_point_section

        from .queries import contact_point_section
        from .rollups import apply_experience_ids

        register_listener(apply_experience_ids)
        register_contact_point_section(contact_point_section)
