"""What the directory importers share: the shape of what a file held (`Parsed`: rows ready to
write and the problems found), the limits on one import, and the small parsers of values
(times, weekdays, coordinates, web addresses, opening hours and coordinates written as text).
One module per format reads a file into a `Parsed`: `csvfile` (any CSV, its columns mapped
to Outward's fields), `hsds` (an Open Referral export) and `ical` (a calendar).

Nothing here writes to the database; `services` previews and applies the rows. A row is a
JSON-ready dict:

    {"key": source key, "where": "line 4", "fields": {model field: value, ...},
     "interests": [interest keys]        # CSV: the resource's interests, exactly these
     "add_interests": [interest keys]    # HSDS / iCal: matched terms, added to the resource's
     "occurrences": [[start, end, all_day], ...]   # iCal: dated meetings (ISO, UTC; an
                                         # all-day one from midnight UTC of its date)
     "recurring": True                   # iCal: a series (new resources default to a group)
     "withdrawn": True}                  # HSDS: a service the file marks inactive

Only the fields a source gives are in "fields", so a re-import never blanks what a therapist
added by hand (a social intensity, say) where the source says nothing.

A problem is {"where": ..., "why": ..., "blocking": bool}. A blocking problem refuses the
whole import until the file is fixed (all-or-nothing): the file cannot be read at all (not
UTF-8, not a ZIP, no services.csv, not iCalendar, cut short). A non-blocking one reports a
row, service or event that was left out, or a value that was dropped, while the rest can be
applied; `Parsed.bad_rows` counts the rows left out, which strict mode refuses.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

KINDS = ("club", "class", "group", "event", "online")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Limits on what one import may hold. A practice's directory is hundreds of groups, a
# region's HSDS export a few thousand services; past these a file is refused with a reason,
# before it costs the server minutes of work or hundreds of megabytes of preview.
MAX_ROWS = 10_000  # resources (CSV rows, HSDS services, calendar events) in one import
MAX_COLUMNS = 100  # columns in a CSV header
MAX_PROBLEMS = 500  # problems kept for the preview; the rest are counted
_http_url = URLValidator(schemes=["http", "https"])
_looks_like_html = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Parsed:
    """What a file held: rows ready to write, and the problems found."""

    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    unlisted: int = 0  # problems past MAX_PROBLEMS, counted but not kept
    any_blocking: bool = False
    header: list[str] = field(default_factory=list)  # CSV: the file's columns
    mapping: list[str] = field(default_factory=list)  # CSV: the field each column holds
    samples: list[str] = field(default_factory=list)  # CSV: a value from each column
    bad_rows: int = 0  # rows left out for a problem of their own (strict mode refuses them)
    # (column, kind of problem) -> [(where, why)]: a value problem many rows share is listed
    # once, with a count and a few examples (see `finish`).
    repeats: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)

    def problem(self, where: str, why: str, *, blocking: bool) -> None:
        self.any_blocking = self.any_blocking or blocking
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append({"where": where, "why": why, "blocking": blocking})
        else:
            self.unlisted += 1

    def row_problem(self, where: str, column: str, code: str, why: str) -> None:
        """A problem with one value of a row; not blocking (strict mode makes it so)."""
        self.repeats.setdefault((column, code), []).append((where, why))

    def note(self, why: str) -> None:
        """What the reader used and did not use: said in the preview, not a problem."""
        self.problems.append({"where": "", "why": why, "blocking": False, "note": True})

    def add(self, row: dict) -> None:
        """Take a row; past MAX_ROWS the whole file is refused (TooManyRows)."""
        if len(self.rows) >= MAX_ROWS:
            raise TooManyRows
        self.rows.append(row)

    def too_many_rows(self, what: str) -> None:
        self.problem(
            _("file"),
            _(
                "The file holds more than %(count)s %(what)s, more than one import takes. "
                "Split it into smaller files and import each."
            )
            % {"count": f"{MAX_ROWS:,}", "what": what},
            blocking=True,
        )

    def finish(self) -> Parsed:
        """Close the list of problems: give the grouped row problems, then say how many more
        there were."""
        for (_column, _code), found in self.repeats.items():
            where, why = found[0]
            if len(found) == 1:
                self.problem(where, why, blocking=False)
                continue
            shown = ", ".join(place for place, _why in found[1:4])
            if len(found) > 4:
                shown += " " + ngettext(
                    "and %(count)s more row", "and %(count)s more rows", len(found) - 4
                ) % {"count": len(found) - 4}
            self.problem(
                ngettext("%(count)s row", "%(count)s rows", len(found)) % {"count": len(found)},
                _("%(where)s: %(why)s The same on %(examples)s.")
                % {"where": where, "why": why, "examples": shown},
                blocking=False,
            )
        self.repeats = {}
        if self.unlisted:
            self.problems.append(
                {
                    "where": _("file"),
                    "why": ngettext(
                        "and %(count)s more problem, not listed",
                        "and %(count)s more problems, not listed",
                        self.unlisted,
                    )
                    % {"count": self.unlisted},
                    "blocking": self.any_blocking,
                }
            )
            self.unlisted = 0
        return self

    @property
    def blocking(self) -> bool:
        return self.any_blocking


class TooManyRows(Exception):
    """A file holds more than MAX_ROWS resources (the parsers turn it into a problem)."""


# -- small value parsers, shared by the formats ----------------------------------------------

_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?::(?P<second>\d{2}))?\s*"
    r"(?P<half>[ap]\.?\s*m\.?)?\s*(?:z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def parse_time(text: str) -> datetime.time | None:
    """19:00, 19:00:00, 7pm, 7:30 PM, 09:00:00Z (the offset is ignored: a local wall time)."""
    match = _TIME.match(text.strip())
    if not match or (match["minute"] is None and match["half"] is None):
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"][0].lower() == "p" else 0)
    if hour > 23 or minute > 59 or int(match["second"] or 0) > 59:
        return None
    return datetime.time(hour, minute)


def parse_weekday(text: str) -> int | None:
    """Mon … Sun, full names too, any case; 0 Monday … 6 Sunday."""
    word = text.strip().lower()[:3]
    return WEEKDAYS.index(word) if word in WEEKDAYS and len(text.strip()) >= 3 else None


def coordinate(text: str, limit: int) -> float | str:
    """A number within ±limit, or the reason it is not one."""
    try:
        value = float(text.strip())
    except ValueError:
        return _("“%(value)s” is not a number") % {"value": text.strip()}
    if value != value or not -limit <= value <= limit:  # NaN, or off the earth
        return _("%(value)s is outside −%(limit)s…%(limit)s") % {
            "value": text.strip(),
            "limit": limit,
        }
    return value


def web_address(text: str) -> str | None:
    value = text.strip()
    if value and "://" not in value and "." in value and " " not in value:
        value = "https://" + value  # "www.example.org" means the web page
    if len(value) > 200:
        return None
    try:
        _http_url(value)
    except ValidationError:
        return None
    return value


def plain_text(text: str) -> str:
    """Text from a source that may hold HTML (HSDS descriptions, calendar feeds)."""
    text = str(text or "")
    if _looks_like_html.search(text):
        text = html.unescape(strip_tags(text))
    return re.sub(r"[ \t]+\n", "\n", text).strip()


def clip(text: str, length: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def decode_text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


# -- values written as text: opening hours, coordinates ----------------------------------------

_DAY_NAMES = {
    "mon": 0, "monday": 0, "mondays": 0, "mo": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1, "tu": 1,
    "wed": 2, "weds": 2, "wednesday": 2, "wednesdays": 2, "we": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3, "th": 3,
    "fri": 4, "friday": 4, "fridays": 4, "fr": 4,
    "sat": 5, "saturday": 5, "saturdays": 5, "sa": 5,
    "sun": 6, "sunday": 6, "sundays": 6, "su": 6,
}  # fmt: skip
_DAY = r"(?:" + "|".join(sorted(_DAY_NAMES, key=len, reverse=True)) + r")\.?"
_CLOCK = r"\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s*m\.?)?|noon|midday"
_HOURS = re.compile(
    rf"^(?:every\s+|on\s+)?(?P<days>{_DAY}(?:\s*(?:-|–|—|to|,|&|and|/)\s*{_DAY})*)"
    rf"(?:\s*(?:,|:|from|at|\s)\s*)*(?P<start>{_CLOCK})"
    rf"(?:\s*(?:-|–|—|to|until|till)\s*(?P<end>{_CLOCK}))?\s*$",
    re.IGNORECASE,
)
_NOT_WEEKLY = re.compile(
    r"\b(?:fortnight\w*|alternate|every\s+other|monthly|month|1st|2nd|3rd|4th|last|first|"
    r"second|third|fourth|term\s*time|bi-?weekly)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hours:
    """A weekly meeting read from text: weekday 0 Monday … 6 Sunday, start and end times."""

    weekday: int
    start: datetime.time
    end: datetime.time | None


def parse_opening_hours(text: str) -> Hours | str:
    """ "Tuesdays 7–9pm", "Mon 10:00-16:00", "every Thursday at 7.30pm": one day a week and a
    time. Anything else is the reason it cannot be taken as one weekly meeting: several days
    ("Mon-Fri 10:00-16:00"), not every week ("1st Tuesday of the month"), or a time that
    could be morning or evening ("Tuesday 7-9")."""
    words = " ".join(text.split())
    if _NOT_WEEKLY.search(words):
        return _("“%(text)s” is not every week") % {"text": words}
    match = _HOURS.match(words)
    if not match:
        return _("“%(text)s” is not a day and a time like “Tuesdays 7–9pm”") % {"text": words}
    days = {
        _DAY_NAMES[name.lower().rstrip(".")]
        for name in re.findall(_DAY, match["days"], re.IGNORECASE)
    }
    if len(days) > 1 or re.search(r"-|–|—|\bto\b", match["days"]):
        return _("“%(text)s” names more than one day; Outward keeps one weekly meeting") % {
            "text": words
        }
    start_text, end_text = match["start"], match["end"]
    end_half = _half(end_text) if end_text else None
    start = _clock(start_text, _half(start_text) or end_half)
    end = _clock(end_text, end_half) if end_text else None
    if start is not None and end is not None and end <= start and not _half(start_text):
        start = _clock(start_text, "a" if end_half == "p" else None)  # "11-1pm": 11am
    if start is None or (end_text and end is None):
        return _("“%(text)s” could be morning or evening: write 7pm or 19:00") % {"text": words}
    if end is not None and end <= start:
        return _("in “%(text)s” the end is not after the start") % {"text": words}
    return Hours(weekday=days.pop(), start=start, end=end)


def _half(text: str) -> str | None:
    found = re.search(r"([ap])\.?\s*m\.?\s*$", text, re.IGNORECASE)
    return found[1].lower() if found else None


def _clock(text: str, half: str | None) -> datetime.time | None:
    """A clock time; a bare hour ("7") counts only with am/pm, or as 24-hour when past 12."""
    text = text.strip().lower()
    if text in ("noon", "midday"):
        return datetime.time(12, 0)
    digits = re.match(r"(\d{1,2})(?:[:.](\d{2}))?", text)
    hour, minute = int(digits[1]), int(digits[2] or 0)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    elif digits[2] is None and hour <= 12:
        return None  # "7": morning or evening?
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


_DECIMAL_PAIR = re.compile(
    r"(?<![\d.])(?P<a>[-+−]?\d{1,3}\.\d{2,})\s*[,;/ ]\s*(?P<b>[-+−]?\d{1,3}\.\d{2,})(?![\d.])"
)
_DMS = (
    r"(?P<{n}d>\d{{1,3}}(?:\.\d+)?)\s*°\s*(?:(?P<{n}m>\d{{1,2}}(?:\.\d+)?)\s*['′’]\s*)?"
    r"(?:(?P<{n}s>\d{{1,2}}(?:\.\d+)?)\s*(?:\"|″|''|′′|”)\s*)?(?P<{n}h>[NSEW])"
)
_DMS_PAIR = re.compile(_DMS.format(n="x") + r"[\s,;/]*" + _DMS.format(n="y"), re.IGNORECASE)


def find_coordinates(text: str) -> tuple[float, float] | str | None:
    """Coordinates written in text: "51.5072, -0.1276" (latitude first, the usual order) or
    "51°30′N 0°7′W". None if the text holds none; the reason if it holds a pair that cannot
    be placed on the earth."""
    if match := _DMS_PAIR.search(text):
        values = {}
        for n in ("x", "y"):
            degrees = float(match[f"{n}d"]) + float(match[f"{n}m"] or 0) / 60
            degrees += float(match[f"{n}s"] or 0) / 3600
            hemisphere = match[f"{n}h"].upper()
            axis = "lat" if hemisphere in "NS" else "lon"
            if axis in values:
                return _("“%(text)s” gives two latitudes or two longitudes") % {"text": match[0]}
            values[axis] = -degrees if hemisphere in "SW" else degrees
        latitude, longitude = values["lat"], values["lon"]
    elif match := _DECIMAL_PAIR.search(text):
        latitude, longitude = (float(match[n].replace("−", "-")) for n in ("a", "b"))
    else:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return _("“%(text)s” is not a place on the earth") % {"text": match[0]}
    return latitude, longitude
