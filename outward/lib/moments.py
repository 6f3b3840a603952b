"""One style for a moment in time across Outward: "29 Nov 2026, 7 p.m." — the date as asked,
the time in the language's TIME_FORMAT (the same words the suggestions use, "Thursdays
7 p.m."), optionally with the zone. The moment is shown as given: convert it to the viewer's
zone first (the `moment` template filter does)."""

import datetime

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy

# Monday first, as date.weekday() counts: "Thursdays 7 p.m.", "most often on Thursdays".
WEEKDAYS_PLURAL = [
    gettext_lazy("Mondays"),
    gettext_lazy("Tuesdays"),
    gettext_lazy("Wednesdays"),
    gettext_lazy("Thursdays"),
    gettext_lazy("Fridays"),
    gettext_lazy("Saturdays"),
    gettext_lazy("Sundays"),
]


def moment_text(value: datetime.datetime, date_part: str = "j M Y", *, zone: bool = False) -> str:
    text = f"{date_format(value, date_part)}, {time_format(value, 'TIME_FORMAT')}"
    return f"{text} {date_format(value, 'T')}" if zone else text
