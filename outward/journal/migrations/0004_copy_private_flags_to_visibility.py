from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("journal", "CheckIn").objects.filter(note_private=True).update(
        note_visibility="private"
    )
    apps.get_model("journal", "Contact").objects.filter(private=True).update(visibility="private")


def backwards(apps, schema_editor):
    apps.get_model("journal", "CheckIn").objects.filter(note_visibility="private").update(
        note_private=True
    )
    apps.get_model("journal", "Contact").objects.filter(visibility="private").update(private=True)


class Migration(migrations.Migration):
    """What a client kept private stays private: the old booleans become visibility."""

    dependencies = [
        ("journal", "0003_visibility_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
