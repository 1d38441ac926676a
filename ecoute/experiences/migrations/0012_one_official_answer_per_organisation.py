from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("experiences", "0011_answers_follow_ups_and_first_revisions")]

    operations = [
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("follow_up_of__isnull", True)),
                fields=("experience", "organisation"),
                name="one_official_answer_per_organisation",
            ),
        ),
    ]
