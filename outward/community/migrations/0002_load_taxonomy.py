from django.db import migrations


def load(apps, schema_editor):
    from outward.community.taxonomy import load_taxonomy

    load_taxonomy(apps.get_model("community", "Interest"))


def unload(apps, schema_editor):
    apps.get_model("community", "Interest").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
