"""The themes of consultations: a small fixed list of reference data (the Forum de l'action
publique's topics), loaded here so that every database has them."""

from django.db import migrations

THEMES = [
    ("services-publics", "Services publics"),
    ("accueil-relation-usagers", "Accueil et relation usagers"),
    ("numerique", "Numérique"),
    ("fonction-publique", "Fonction publique"),
    ("egalite", "Égalité"),
    ("democratie-citoyennete", "Démocratie et citoyenneté"),
    ("transition-ecologique", "Transition écologique"),
    ("fiscalite-depenses-publiques", "Fiscalité et dépenses publiques"),
    ("organisation-etat", "Organisation de l'État"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("consultations", "Theme")
    for slug, name in THEMES:
        Theme.objects.update_or_create(slug=slug, defaults={"name": name})


def remove_themes(apps, schema_editor):
    Theme = apps.get_model("consultations", "Theme")
    Theme.objects.filter(slug__in=[slug for slug, _name in THEMES], consultations=None).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0002_indexes_for_lists")]

    operations = [migrations.RunPython(add_themes, remove_themes)]
