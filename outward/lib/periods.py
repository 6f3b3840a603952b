"""Weeks and months in a person's own time zone (weeks start on Monday)."""

import datetime
import zoneinfo


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


def local_midnight(day: datetime.date, time_zone: str) -> datetime.datetime:
    """The aware instant a day begins in a time zone (correct across DST changes)."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zoneinfo.ZoneInfo(time_zone))


def local_date(moment: datetime.datetime, time_zone: str) -> datetime.date:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
