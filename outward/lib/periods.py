"""Weeks and months in a person's own time zone (weeks start on Monday), and the windows of
years a date may name."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def period_start(day: datetime.date, period: str) -> datetime.date:
    if period == "week":
        return day - datetime.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {period!r}")


def next_period_start(start: datetime.date, period: str) -> datetime.date:
    if period == "week":
        return start + datetime.timedelta(days=7)
    year, month = divmod(start.month, 12)
    return start.replace(year=start.year + year, month=month + 1, day=1)


def recent_periods(day: datetime.date, period: str, count: int) -> list[datetime.date]:
    """Start dates of the `count` periods ending with the one holding `day`, oldest first."""
    starts = [period_start(day, period)]
    while len(starts) < count:
        previous = period_start(starts[0] - datetime.timedelta(days=1), period)
        starts.insert(0, previous)
    return starts


# The first and last instants every time zone can show (no offset reaches a day). A day at the
# very ends of Python's calendar (0001-01-01, 9999-12-31) begins outside them: already stored
# dates from before the date inputs were bounded must still display, not overflow.
EARLIEST = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC)


def local_midnight(day: datetime.date, time_zone: str) -> datetime.datetime:
    """The aware instant a day begins in a time zone (correct across DST changes), held within
    EARLIEST…LATEST so that it can be stored and shown in any zone."""
    if day < EARLIEST.date() + datetime.timedelta(days=1):
        return EARLIEST
    if day > LATEST.date() - datetime.timedelta(days=1):
        return LATEST
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zoneinfo.ZoneInfo(time_zone))


def local_date(moment: datetime.datetime, time_zone: str) -> datetime.date:
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    except OverflowError:  # an instant within hours of the calendar's ends
        return datetime.date.min if moment.year == 1 else datetime.date.max


@dataclass(frozen=True)
class DateWindow:
    """The years a kind of date input may name. Python's calendar stops at 0001 and 9999, and a
    day at either end cannot be shown in every time zone, so no date input is left open: each
    field names the window that fits what it records."""

    name: str
    earliest: datetime.date
    years_ahead: int  # the latest day is this many years after today (in the active zone)

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        try:
            latest = today.replace(year=today.year + self.years_ahead)
        except ValueError:  # 29 February, and the year ahead is not a leap year
            latest = today.replace(year=today.year + self.years_ahead, day=28)
        return self.earliest, latest

    def contains(self, day: datetime.date) -> bool:
        earliest, latest = self.bounds()
        return earliest <= day <= latest

    def params(self) -> dict[str, str]:
        earliest, latest = self.bounds()
        return {"earliest": date_format(earliest), "latest": date_format(latest)}

    def check(self, day: datetime.date, field: str) -> None:
        """For services, which check the rules again: a ValidationError on `field`."""
        if not self.contains(day):
            raise ValidationError(
                {field: _("Enter a date between %(earliest)s and %(latest)s.") % self.params()}
            )


# Dates in a person's care: sessions, reviews, small steps, goals' target dates, plans to go,
# measures' due dates, when a resource was last checked. Nothing in Outward happened before
# 1990, and nobody plans a decade ahead.
CARE_DATES = DateWindow("care", earliest=datetime.date(1990, 1, 1), years_ahead=10)
