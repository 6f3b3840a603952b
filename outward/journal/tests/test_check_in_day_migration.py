"""The migration that gives existing check-ins their day before the one-a-day constraint:
repeats on one day keep a null day (nothing deleted), and it reverses."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("journal", "0006_checkin_day")]
AFTER = [("journal", "0008_checkin_one_per_client_day")]


def _latest():
    """Every journal migration: the test ends there, so later tests see the whole schema."""
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "journal"]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_repeats_on_one_day_keep_a_null_day(world):
    world.client.user.time_zone = "America/New_York"
    world.client.user.save()
    apps = migrate(BEFORE)
    CheckIn = apps.get_model("journal", "CheckIn")
    start = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)  # 22:00 the 19th in NY
    for hours in (0, 1, 30):  # the 19th, the 19th again, the 21st (New York days)
        CheckIn.objects.create(
            client_id=world.client.pk,
            author_id=world.client.user.pk,
            occurred=start + datetime.timedelta(hours=hours),
            created=start,
            mood=5,
            loneliness=5,
            meaningful_interactions=0,
            in_person=0,
            online=0,
        )
    try:
        apps = migrate(AFTER)
        days = list(
            apps.get_model("journal", "CheckIn")
            .objects.order_by("occurred")
            .values_list("day", flat=True)
        )
        assert days == [datetime.date(2026, 11, 19), None, datetime.date(2026, 11, 21)]

        apps = migrate(BEFORE)
        assert set(apps.get_model("journal", "CheckIn").objects.values_list("day", flat=True)) == {
            None
        }
        assert apps.get_model("journal", "CheckIn").objects.count() == 3
    finally:
        migrate(_latest())
