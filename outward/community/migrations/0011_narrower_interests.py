from django.db import migrations


def load(apps, schema_editor):
    from outward.community.taxonomy import load_taxonomy

    load_taxonomy(apps.get_model("community", "Interest"))


def unload(apps, schema_editor):
    from outward.community.taxonomy import unload_narrower

    unload_narrower(apps.get_model("community", "Interest"))


class Migration(migrations.Migration):
    """The taxonomy grows beyond sport: narrower interests under each of Outward's areas, and
    OpenActive concepts (walking, singing…) linked under the areas they also belong to."""

    dependencies = [("community", "0010_interest_synonyms")]

    operations = [migrations.RunPython(load, unload)]
