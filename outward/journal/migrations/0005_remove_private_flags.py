from django.db import migrations


class Migration(migrations.Migration):
    """The booleans are copied into visibility (0004); nothing reads them any more."""

    dependencies = [
        ("journal", "0004_copy_private_flags_to_visibility"),
    ]

    operations = [
        migrations.RemoveField(model_name="checkin", name="note_private"),
        migrations.RemoveField(model_name="contact", name="private"),
    ]
