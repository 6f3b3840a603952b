from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_response_submission_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="riskalert",
            name="escalated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="riskalert",
            index=models.Index(
                condition=models.Q(("acknowledged_at__isnull", True), ("escalated_at__isnull", True)),
                fields=["created"],
                name="riskalert_to_escalate",
            ),
        ),
    ]
