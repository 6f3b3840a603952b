"""One style for a moment in time across Outward: "29 Nov 2026, 7 p.m." — the date as asked,
the time in the language's TIME_FORMAT (the same words the suggestions use, "Thursdays
7 p.m."), optionally with the zone. The moment is shown as given: convert it to the viewer's
zone first (the `moment` template filter does)."""

import datetime

from django.utils.formats import date_format, time_format


def moment_text(value: datetime.datetime, date_part: str = "j M Y", *, zone: bool = False) -> str:
    text = f"{date_format(value, date_part)}, {time_format(value, 'TIME_FORMAT')}"
    return f"{text} {date_format(value, 'T')}" if zone else text
