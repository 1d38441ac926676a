"""Data: a remontée that named an online démarche in words points to the observatory's
démarche of the same name, when there is one (decision 0015's announced migration)."""

from django.db import migrations


def link(apps, schema_editor):
    Remontee = apps.get_model("remontees", "Remontee")
    Demarche = apps.get_model("demarches", "Demarche")
    by_name = {name.casefold(): pk for pk, name in Demarche.objects.values_list("pk", "name")}
    for remontee in Remontee.objects.filter(scope="demarche", demarche__isnull=True).only(
        "pk", "demarche_name"
    ):
        pk = by_name.get(remontee.demarche_name.strip().casefold())
        if pk is not None:
            Remontee.objects.filter(pk=remontee.pk).update(demarche_id=pk)


class Migration(migrations.Migration):
    dependencies = [("remontees", "0002_remontee_demarche"), ("demarches", "0001_initial")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
