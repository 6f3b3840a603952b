import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Check-ins and contacts take the shared client-record base (care.records.ClientRecord):
    the client's reverse accessors keep their names through Meta.default_related_name, and a
    contact gains `updated` (existing rows get the migration's time)."""

    dependencies = [
        ("care", "0002_reminders"),
        ("journal", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="checkin",
            options={"default_related_name": "check_ins"},
        ),
        migrations.AlterModelOptions(
            name="contact",
            options={"default_related_name": "contacts"},
        ),
        migrations.AlterField(
            model_name="checkin",
            name="client",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="care.client"),
        ),
        migrations.AlterField(
            model_name="contact",
            name="client",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="care.client"),
        ),
        migrations.AddField(
            model_name="contact",
            name="updated",
            field=models.DateTimeField(auto_now=True),
        ),
    ]
