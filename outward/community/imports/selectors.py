"""Reads for directory imports and calendar feeds: a practice's own only (404 otherwise)."""

import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from outward.care.models import Practice

from ..models import CalendarSource, Interest, PendingImport, Resource

PREVIEW_ROWS = 50


def pending_import_for_practice(*, practice: Practice, pending_id: int) -> PendingImport:
    """A practice's import run, if not expired (one day: see import_services)."""
    pending = (
        PendingImport.objects.filter(
            practice=practice, pk=pending_id, created__gte=timezone.now() - PendingImport.KEPT_FOR
        )
        .defer("upload")
        .first()
    )
    if pending is None:
        raise Http404
    return pending


def import_counts(*, pending: PendingImport) -> dict[str, int]:
    """How many resources the import would add, update and remove (one query, or two for a
    calendar file)."""
    existing = set(
        Resource.objects.filter(practice=pending.practice, source=pending.kind).values_list(
            "source_key", flat=True
        )
    )
    listed = [row for row in pending.rows if not row.get("withdrawn")]
    keys = {row["key"] for row in listed}
    counts = {
        "new": sum(1 for row in listed if row["key"] not in existing),
        "updated": sum(1 for row in listed if row["key"] in existing),
        "removed": sum(
            1 for row in pending.rows if row.get("withdrawn") and row["key"] in existing
        ),
    }
    if pending.kind == Resource.Source.ICAL:
        calendar_keys = Resource.objects.filter(
            practice=pending.practice, feed__url="", feed__name=pending.file_name
        ).values_list("source_key", flat=True)
        counts["removed"] += sum(1 for key in calendar_keys if key not in keys)
    return counts


def preview_rows(*, pending: PendingImport, existing_keys=None) -> list[dict]:
    """The first rows, ready to show: name, new or updated, kind, place, when, interests."""
    rows = [row for row in pending.rows if not row.get("withdrawn")][:PREVIEW_ROWS]
    keys = {row["key"] for row in rows}
    existing = set(
        Resource.objects.filter(
            practice=pending.practice, source=pending.kind, source_key__in=keys
        ).values_list("source_key", flat=True)
    )
    wanted = {
        key for row in rows for key in row.get("interests", []) + row.get("add_interests", [])
    }
    labels = dict(Interest.objects.filter(key__in=wanted).values_list("key", "label"))
    kinds = dict(Resource.Kind.choices)
    shown = []
    for row in rows:
        fields = row["fields"]
        occurrences = row.get("occurrences", [])
        shown.append(
            {
                "where": row["where"],
                "name": fields.get("name", ""),
                "new": row["key"] not in existing,
                "kind": kinds.get(fields.get("kind"), ""),
                "online": fields.get("online", False),
                "address": ", ".join(
                    part for part in (fields.get("address"), fields.get("postcode")) if part
                ),
                "has_place": fields.get("latitude") is not None,
                "weekday": fields.get("weekday"),
                "start_time": _time(fields.get("start_time")),
                "first": _first_meeting(occurrences),
                "all_day": occurrences[0][2] if occurrences else False,
                "meetings": len(occurrences),
                "interests": [
                    labels[key]
                    for key in row.get("interests", []) + row.get("add_interests", [])
                    if key in labels
                ],
                "tags": fields.get("tags", []),
            }
        )
    return shown


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def calendar_sources(*, practice: Practice) -> QuerySet[CalendarSource]:
    return CalendarSource.objects.filter(practice=practice).order_by("name", "pk")


def calendar_source_for_practice(*, practice: Practice, source_id: int) -> CalendarSource:
    source = (
        CalendarSource.objects.filter(practice=practice, pk=source_id)
        .select_related("practice")
        .first()
    )
    if source is None:
        raise Http404
    return source


def _first_meeting(occurrences: list) -> datetime.datetime | datetime.date | None:
    """When a row first meets: an aware time, or for an all-day meeting its date (kept as
    midnight UTC), which is the same day wherever the viewer is."""
    if not occurrences:
        return None
    start, _end, all_day = occurrences[0]
    first = datetime.datetime.fromisoformat(start)
    return first.astimezone(datetime.UTC).date() if all_day else first
