"""Reads for the skills room: fear ladders and their rungs, as the viewer may see them."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from outward.care.models import Client
from outward.care.records import Visibility

from .models import (
    FearLadder,
    Rung,
    ThoughtEmotion,
    ThoughtRecord,
    ThoughtRecordSettings,
    ThoughtRecordVersion,
    ThoughtTrap,
)
from .traps import TRAPS


def ladders(*, client: Client, viewer, archived: bool = False) -> QuerySet[FearLadder]:
    """The client's ladders (active ones by default), each with its rungs in SUDS order, in
    two queries whatever the number of ladders and rungs."""
    rungs = Rung.objects.for_viewer(client=client, viewer=viewer).order_by(
        "expected_suds", "position", "id"
    )
    return (
        FearLadder.objects.for_viewer(client=client, viewer=viewer)
        .filter(archived__isnull=not archived)
        .prefetch_related(Prefetch("rungs", queryset=rungs))
        .order_by("created", "id")
    )


def ladder_for_client(*, client: Client, viewer, ladder_id: int) -> FearLadder:
    ladder = (
        FearLadder.objects.for_viewer(client=client, viewer=viewer).filter(pk=ladder_id).first()
    )
    if ladder is None:
        raise Http404
    return ladder


# Thought records (issue 9) -----------------------------------------------------------------

SUMMARY_MONTHS = 6


def thought_records(*, client: Client, viewer) -> QuerySet[ThoughtRecord]:
    """The client's thought records, newest first, each with its emotions and traps (three
    queries for a page, whatever its length). Anyone but the client gets the shared ones only."""
    return (
        ThoughtRecord.objects.for_viewer(client=client, viewer=viewer)
        .prefetch_related(
            Prefetch("emotions", queryset=ThoughtEmotion.objects.order_by("position", "id")),
            Prefetch("traps", queryset=ThoughtTrap.objects.order_by("id")),
        )
        .order_by("-created", "-id")
    )


def thought_record_for_client(*, client: Client, viewer, record_id: int) -> ThoughtRecord:
    """One thought record as the viewer may see it; 404 when missing, someone else's, or
    kept private from this viewer."""
    record = thought_records(client=client, viewer=viewer).filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record


def thought_record_versions(*, record: ThoughtRecord) -> QuerySet[ThoughtRecordVersion]:
    """The saves of a record already read through thought_record_for_client, oldest first."""
    return record.versions.select_related("author").order_by("number")


def thought_default_visibility(*, practice) -> str:
    row = ThoughtRecordSettings.objects.filter(practice=practice).first()
    return row.default_visibility if row else Visibility.SHARED


@dataclass(frozen=True)
class TrapRow:
    key: str
    name: str
    explanation: str
    by_month: list[tuple[datetime.date, int]]
    total: int


@dataclass(frozen=True)
class ThoughtSummary:
    months: list[datetime.date]
    traps: list[TrapRow]  # the traps seen at all, most frequent first
    records: int  # thought records the viewer may see
    rerated: int  # emotions re-rated, over which the drop is averaged
    average_drop: float | None  # first rating minus re-rating, 0–100 points


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def thought_summary(*, client: Client, viewer, now: datetime.datetime) -> ThoughtSummary:
    """Recurring thinking traps (per month, for the last SUMMARY_MONTHS months, and in all)
    and the average drop from first rating to re-rating, counted in the database over the
    records the viewer may see: the shared ones only for the care team. Four queries."""
    visible = ThoughtRecord.objects.for_viewer(client=client, viewer=viewer)
    tz = zoneinfo.ZoneInfo(client.user.time_zone)
    today = now.astimezone(tz).date()
    months = _month_starts(today, SUMMARY_MONTHS)
    since = datetime.datetime.combine(months[0], datetime.time(), tzinfo=tz)
    traps = ThoughtTrap.objects.filter(record__in=visible.values("pk"))
    totals = dict(traps.values("key").annotate(n=Count("id")).values_list("key", "n"))
    by_month: dict[tuple[str, datetime.date], int] = {}
    monthly = (
        traps.filter(record__created__gte=since)
        .annotate(month=TruncMonth("record__created", tzinfo=tz))
        .values("key", "month")
        .annotate(n=Count("id"))
        .values_list("key", "month", "n")
    )
    for key, month, n in monthly:
        month = month.date() if isinstance(month, datetime.datetime) else month
        by_month[key, month] = n
    rows = [
        TrapRow(
            key=key,
            name=str(TRAPS[key][0]),
            explanation=str(TRAPS[key][1]),
            by_month=[(month, by_month.get((key, month), 0)) for month in months],
            total=total,
        )
        for key, total in totals.items()
        if key in TRAPS
    ]
    rows.sort(key=lambda row: (-row.total, row.name))
    drop = ThoughtEmotion.objects.filter(
        record__in=visible.values("pk"), rerated__isnull=False
    ).aggregate(n=Count("id"), average=Avg(F("intensity") - F("rerated")))
    return ThoughtSummary(
        months=months,
        traps=rows,
        records=visible.count(),
        rerated=drop["n"],
        average_drop=None if drop["average"] is None else round(float(drop["average"]), 1),
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int  # the top of the bar's row
    width: float  # the bar's length in the chart's units
    value_x: float  # where the count is written, just past the bar


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int


BAR_ROW, BAR_X, BAR_MAX = 28, 150, 140


def trap_bars(summary: ThoughtSummary) -> BarChart:
    """The geometry of the traps bar chart (drawn by skills/thought_bars.html): one bar per
    trap, the most frequent BAR_MAX long; the table beside it has the numbers."""
    top = max((row.total for row in summary.traps), default=0) or 1
    bars = []
    for index, row in enumerate(summary.traps):
        width = round(BAR_MAX * row.total / top, 1)
        bars.append(Bar(row.name, row.total, index * BAR_ROW, width, BAR_X + width + 6))
    return BarChart(bars=bars, height=max(1, len(bars)) * BAR_ROW)
