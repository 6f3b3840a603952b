import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0002_reminders"),
        ("measures", "0004_riskalert_escalated_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CrisisLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "number",
                    models.CharField(
                        max_length=32,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\+?[0-9][0-9 ()./-]{1,30}$",
                                "Enter a phone number: digits, spaces and an optional leading +.",
                            )
                        ],
                        verbose_name="phone number",
                    ),
                ),
                ("hours", models.CharField(blank=True, max_length=120, verbose_name="hours")),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL),
                ),
                (
                    "practice",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="care.practice"),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["practice", "created"], name="crisisline_practice")],
            },
        ),
    ]
