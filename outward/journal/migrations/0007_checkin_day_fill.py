import zoneinfo

from django.db import migrations


def fill_days(apps, schema_editor):
    """Each check-in's day in its client's time zone. Where a client checked in more than once
    on one day, the first keeps the day and the later ones keep a null day: nothing is
    deleted, and the unique constraint that follows ignores nulls."""
    CheckIn = apps.get_model("journal", "CheckIn")
    last = None  # rows come by client then time, so a day's repeats follow its first
    rows = (
        CheckIn.objects.filter(day__isnull=True)
        .select_related("client__user")
        .order_by("client_id", "occurred", "pk")
    )
    for check_in in rows.iterator(chunk_size=2000):
        zone = zoneinfo.ZoneInfo(check_in.client.user.time_zone)
        day = check_in.occurred.astimezone(zone).date()
        if (check_in.client_id, day) == last:
            continue
        last = (check_in.client_id, day)
        CheckIn.objects.filter(pk=check_in.pk).update(day=day)


def clear_days(apps, schema_editor):
    apps.get_model("journal", "CheckIn").objects.update(day=None)


class Migration(migrations.Migration):
    dependencies = [("journal", "0006_checkin_day")]

    operations = [migrations.RunPython(fill_days, clear_days)]
