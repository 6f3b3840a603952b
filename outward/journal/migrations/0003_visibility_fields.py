from django.db import migrations, models

CHOICES = [("shared", "Shared with the care team"), ("private", "Only the client")]


class Migration(migrations.Migration):
    """Who may see a check-in's note, or a whole contact, as one shared vocabulary
    (care.records.Visibility) in place of a boolean per model. Filled by the next migration."""

    dependencies = [
        ("journal", "0002_client_record_base"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="note_visibility",
            field=models.CharField(
                choices=CHOICES, default="shared", max_length=8, verbose_name="who sees the note"
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="visibility",
            field=models.CharField(
                choices=CHOICES, default="shared", max_length=8, verbose_name="visibility"
            ),
        ),
    ]
