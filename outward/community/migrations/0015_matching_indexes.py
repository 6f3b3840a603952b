from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0009_audit_invite_email_action"),
        ("community", "0014_matching_live_online_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", True), ("staged_by__isnull", True)),
                fields=["practice", "placed_in", "id"],
                name="resource_live_area",
            ),
        ),
        # Matching's tagged pools read the tags of the wanted interests from here alone, in a
        # defined order (the interest, then the resource). The table is Django's own for
        # Resource.interests, so the index is plain SQL (the same on SQLite and PostgreSQL).
        migrations.RunSQL(
            "CREATE INDEX resource_interests_by_interest"
            " ON community_resource_interests (interest_id, resource_id)",
            "DROP INDEX resource_interests_by_interest",
        ),
    ]
