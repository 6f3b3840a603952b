"""All-day meetings become dates: midnight UTC of the date they were read as.

Before, an all-day meeting was stored as midnight in the calendar's (or practice's) zone, so
a viewer in another zone saw the day before or after. The calendar's own zone is not kept, so
the practice's is used to recover the date; a calendar refresh rewrites them anyway."""

import datetime
import itertools
import zoneinfo

from django.db import migrations


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def _move(apps, to_dates: bool) -> None:
    occurrence_model = apps.get_model("community", "ResourceOccurrence")
    all_day = occurrence_model.objects.filter(all_day=True)
    ids = list(all_day.order_by("pk").values_list("pk", flat=True))
    for chunk in itertools.batched(ids, 2000):  # read, then write: never both at once
        changed = list(all_day.filter(pk__in=chunk).select_related("resource__practice"))
        for occurrence in changed:
            zone = _zone(occurrence.resource.practice.time_zone)
            mine, theirs = (zone, datetime.UTC) if to_dates else (datetime.UTC, zone)
            for name in ("start", "end"):
                value = getattr(occurrence, name)
                if value is not None:
                    day = value.astimezone(mine).date()
                    midnight = datetime.datetime.combine(day, datetime.time(0), theirs)
                    setattr(occurrence, name, midnight)
        occurrence_model.objects.bulk_update(changed, ["start", "end"])


def to_dates(apps, schema_editor):
    _move(apps, to_dates=True)


def to_local_midnights(apps, schema_editor):
    _move(apps, to_dates=False)


class Migration(migrations.Migration):
    dependencies = [("community", "0006_plan_opening_line_starter")]

    operations = [migrations.RunPython(to_dates, to_local_midnights)]
