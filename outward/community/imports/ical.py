"""Reading an iCalendar file or feed into directory rows, one event series at a time: see
`CalendarReader`. Feeds are published by others, so an event that cannot be taken is
reported and left out, and notes that repeat for many events are given once, with a count."""

from __future__ import annotations

import bisect
import datetime
import hashlib
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import icalendar
import recurring_ical_events
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext, ngettext_lazy

from .formats import (
    MAX_ROWS,
    Parsed,
    clip,
    decode_text,
    find_coordinates,
    plain_text,
    web_address,
)

# A series that meets more often than this in the window is cut short (a FREQ=MINUTELY
# rule must not make 80,000 meetings).
MAX_OCCURRENCES = 200
ONLINE_WORDS = {"online", "online event", "virtual", "zoom", "teams", "video call"}
_STRUCTURE = re.compile(
    r"^(?:(?P<edge>BEGIN|END):(?P<name>[A-Za-z0-9-]+)[ \t]*"
    r"|UID(?:;[^:\r\n]*)?:(?P<uid>[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)"
    r"|X-WR-TIMEZONE(?:;[^:\r\n]*)?:(?P<xwr>[^\r\n]*))(?=\r?$)",
    re.IGNORECASE | re.MULTILINE,
)


# Properties an event cannot be listed without, or whose meetings they decide: one of these
# unreadable leaves the event out. Any other unreadable property is dropped, the event kept.
ESSENTIAL_PROPERTIES = frozenset(
    {"UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE"}
    | {"RECURRENCE-ID", "STATUS"}
)

# Notes that can repeat for many events of a feed: what one event gets, and what many get
# (once, with a count).
_NOTE_ONE = {
    "no_uid": _lazy(
        "the event has no UID: it was given one made from its title, start and place, so a "
        "later import updates it"
    ),
    "repeated": _lazy(
        "it repeats an event without a UID with the same title, start and place; listed once"
    ),
    "unreadable": _lazy("%(name)s cannot be read; imported without it"),
    "untitled": _lazy("the event has no title (SUMMARY); left out"),
    "cancelled": _lazy("cancelled; not listed"),
    "off_earth": _lazy("GEO is off the earth; imported without coordinates"),
    "in_text": _lazy("its coordinates were read from its LOCATION text"),
    "swapped": _lazy(
        "GEO has latitude and longitude swapped (swapped back, it is in the practice's "
        "region); imported swapped back"
    ),
    "outside": _lazy(
        "GEO is outside the practice's region (its areas and %(km)s km around); imported "
        "without coordinates"
    ),
}
_NOTE_MANY = {
    "no_uid": ngettext_lazy(
        "%(count)s event had no UID: it was given one made from its title, start and place, "
        "so a later import updates it",
        "%(count)s events had no UID: each was given one made from its title, start and "
        "place, so a later import updates them",
        "count",
    ),
    "repeated": ngettext_lazy(
        "%(count)s event without a UID repeats another with the same title, start and place; "
        "listed once",
        "%(count)s events without a UID repeat others with the same title, start and place; "
        "each listed once",
        "count",
    ),
    "unreadable": ngettext_lazy(
        "%(count)s event's %(name)s cannot be read; imported without it",
        "%(count)s events' %(name)s cannot be read; imported without it",
        "count",
    ),
    "untitled": ngettext_lazy(
        "%(count)s event has no title (SUMMARY); left out",
        "%(count)s events have no title (SUMMARY); left out",
        "count",
    ),
    "cancelled": ngettext_lazy(
        "%(count)s event is cancelled; not listed",
        "%(count)s events are cancelled; not listed",
        "count",
    ),
    "in_text": ngettext_lazy(
        "%(count)s event's coordinates were read from its LOCATION text",
        "%(count)s events' coordinates were read from their LOCATION text",
        "count",
    ),
    "off_earth": ngettext_lazy(
        "%(count)s event's GEO is off the earth; imported without coordinates",
        "%(count)s events' GEO is off the earth; imported without coordinates",
        "count",
    ),
    "swapped": ngettext_lazy(
        "%(count)s event's GEO has latitude and longitude swapped (swapped back, it is in "
        "the practice's region); imported swapped back",
        "%(count)s events' GEO has latitude and longitude swapped (swapped back, they are in "
        "the practice's region); imported swapped back",
        "count",
    ),
    "outside": ngettext_lazy(
        "%(count)s event's GEO is outside the practice's region (its areas and "
        "%(km)s km around); imported without coordinates",
        "%(count)s events' GEO is outside the practice's region (its areas and "
        "%(km)s km around); imported without coordinates",
        "count",
    ),
}


@dataclass(frozen=True)
class Region:
    """Where a practice's clients can be expected to go: the box around its areas (their
    centroids), widened by REGION_KM each way. A point outside it in an imported calendar is
    most likely a mistake (latitude and longitude swapped, a sign lost). West and east are
    None where the box crosses the antimeridian or reaches a pole: then latitude alone."""

    south: float
    north: float
    west: float | None
    east: float | None

    def contains(self, latitude: float, longitude: float) -> bool:
        if not self.south <= latitude <= self.north:
            return False
        return self.west is None or self.west <= longitude <= self.east


REGION_KM = 100


class CalendarReader:
    """Reads an iCalendar file one event series (a UID's VEVENTs: the rule and its moved or
    cancelled occurrences) at a time, so a feed of 10,000 events never sits in memory as
    10,000 parsed components: one pass finds where each event is, then each series is parsed,
    expanded for the coming weeks with `recurring_ical_events`, turned into a row and let go.

    `problems` holds blocking problems as soon as the reader is made (the file is not
    iCalendar, or is cut short), and gains the events left out while `rows()` runs.

    Times: TZID times are kept in their zone (daylight saving right across the change);
    floating times are in the calendar's X-WR-TIMEZONE if it has one, else in `time_zone`
    (the practice's). An all-day event is a date, not a midnight anywhere: it is kept as
    midnight UTC of its date with `all_day` set, and shown as that date in every viewer's
    zone. Cancelled occurrences (STATUS:CANCELLED on the event or on a RECURRENCE-ID
    override) are dropped; an event with no meeting left in the window is not listed.

    Forgiving, because feeds are published by others: an event without a UID gets a stable
    one made from its title, start and place, so a re-import updates it; an unreadable
    optional property (an empty GEO, a URL that is not a web address) is dropped and the
    event kept; coordinates outside `region` (the practice's, see `Region`) are flagged.
    Notes that repeat are given once, with a count."""

    def __init__(
        self,
        data: bytes,
        *,
        time_zone: str,
        interests: Mapping[str, str],
        now: datetime.datetime,
        weeks: int = 8,
        region: Region | None = None,
    ):
        self.parsed = Parsed()
        self.region = region
        self.notes: dict[str, list[str]] = {}  # note kind → where, for notes given once
        self.problems = self.parsed.problems
        self.interests = interests
        self.window = (now, now + datetime.timedelta(weeks=weeks))
        self.weeks = weeks
        self.floating = zoneinfo.ZoneInfo(time_zone)  # for floating times and dates
        self.calendar_zone: str | None = None
        self.series_spans: dict[str, list[tuple[int, int]]] = {}
        self.no_uid: list[tuple[int, int]] = []
        self.timezones: list[tuple[int, int]] = []
        self.not_listed = 0
        self._newlines: list[int] | None = None
        text = decode_text(data)
        if text is None:
            self.parsed.problem(
                _("file"),
                _("The file is not UTF-8 text, as iCalendar files must be."),
                blocking=True,
            )
            return
        self.text = text
        self._scan()

    @property
    def blocking(self) -> bool:
        return self.parsed.blocking

    def _line(self, offset: int) -> int:
        """The line number of an offset (a bisect, so reporting every event stays linear)."""
        if self._newlines is None:
            self._newlines = [match.start() for match in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def _scan(self) -> None:
        """Where each VEVENT and VTIMEZONE is; whether the file is whole."""
        stack: list[str] = []
        event_start = uid = None
        calendars = 0
        for match in _STRUCTURE.finditer(self.text):
            if match["edge"]:
                name = match["name"].upper()
                if match["edge"].upper() == "BEGIN":
                    if not stack and name != "VCALENDAR":
                        break
                    stack.append(name)
                    if len(stack) == 2:
                        event_start, uid = match.start(), None
                    calendars += name == "VCALENDAR" and len(stack) == 1
                    continue
                if not stack or stack[-1] != name:
                    self.parsed.problem(
                        _("line %(line)s") % {"line": self._line(match.start())},
                        _("END:%(name)s does not close the BEGIN:%(open)s before it")
                        % {"name": name, "open": stack[-1] if stack else "VCALENDAR"},
                        blocking=True,
                    )
                    return
                stack.pop()
                if len(stack) == 1 and name == "VEVENT":
                    span = (event_start, match.end())
                    if uid:
                        self.series_spans.setdefault(uid, []).append(span)
                    else:
                        self.no_uid.append(span)
                elif len(stack) == 1 and name == "VTIMEZONE":
                    self.timezones.append((event_start, match.end()))
            elif match["uid"] is not None and len(stack) == 2 and stack[-1] == "VEVENT":
                uid = re.sub(r"\r?\n[ \t]", "", match["uid"]).strip()
            elif match["xwr"] is not None and len(stack) == 1:
                self.calendar_zone = match["xwr"].strip()
        if len(self.series_spans) + len(self.no_uid) > MAX_ROWS:
            self.parsed.too_many_rows(_("events"))
        if not calendars:
            self.parsed.problem(
                _("file"),
                _("The file is not an iCalendar file (it has no BEGIN:VCALENDAR)."),
                blocking=True,
            )
        elif stack:
            self.parsed.problem(
                _("file"),
                _(
                    "The file ends before END:%(name)s: it may have been cut short, so nothing "
                    "was imported."
                )
                % {"name": stack[-1]},
                blocking=True,
            )
        if self.calendar_zone:
            try:
                self.floating = zoneinfo.ZoneInfo(self.calendar_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.parsed.problem(
                    _("calendar"),
                    _("X-WR-TIMEZONE “%(zone)s” is not a time zone; the practice's was used")
                    % {"zone": self.calendar_zone},
                    blocking=False,
                )
                self.calendar_zone = None

    @property
    def event_count(self) -> int:
        return len(self.series_spans) + len(self.no_uid)

    def note(self, kind: str, where: str) -> None:
        """A note that may repeat for many events: given once, with a count (`_NOTE_MANY`)."""
        self.notes.setdefault(kind, []).append(where)

    def _give_notes(self) -> None:
        for kind, wheres in self.notes.items():
            group, _colon, name = kind.partition(":")
            values = {"count": len(wheres), "name": name, "km": REGION_KM}
            if len(wheres) == 1:
                self.parsed.problem(wheres[0], _NOTE_ONE[group] % values, blocking=False)
                continue
            why = _NOTE_MANY[group] % values
            shown = ", ".join(wheres[:3]) + (", …" if len(wheres) > 3 else "")
            self.parsed.problem(
                _("calendar"),
                _("%(why)s (%(examples)s)") % {"why": why, "examples": shown},
                blocking=False,
            )
        self.notes = {}

    def _content_uid(self, start: int, end: int) -> str | None:
        """A stable UID for an event that has none: a digest of its title, start and place,
        so the same event in the next import is recognised. None if it cannot be read."""
        try:
            event = icalendar.Event.from_ical(self.text[start:end])
        except Exception:  # noqa: BLE001 - reported as unreadable when its row is made
            return None
        start_value = event.get("DTSTART")
        moment = getattr(start_value, "dt", None)
        zone = getattr(getattr(moment, "tzinfo", None), "key", "")
        content = "\x1f".join(
            " ".join(str(part).split()).casefold()
            for part in (
                event.get("SUMMARY", ""),
                moment.isoformat() if isinstance(moment, datetime.date) else "",
                zone,
                event.get("LOCATION", ""),
            )
        )
        return "content-" + hashlib.sha256(content.encode()).hexdigest()[:32]

    def rows(self) -> Iterator[dict]:
        """One row per series with a meeting in the window, in the order of the file."""
        if self.blocking:
            return
        for start, end in self.timezones:
            try:  # parsing a VTIMEZONE teaches icalendar its custom TZID
                icalendar.Timezone.from_ical(self.text[start:end])
            except Exception:  # noqa: BLE001 - a broken zone costs its events' hour, no more
                self.parsed.problem(
                    _("line %(line)s") % {"line": self._line(start)},
                    _("a VTIMEZONE cannot be read; events using it may be an hour out"),
                    blocking=False,
                )
        for uid, spans in self.series_spans.items():
            row = self._series_row(uid, spans)
            if row is not None:
                yield row
        derived: set[str] = set()
        for start, end in self.no_uid:
            where = _("line %(line)s") % {"line": self._line(start)}
            uid = self._content_uid(start, end)
            if uid is None:
                self.parsed.problem(where, _("the event cannot be read; left out"), blocking=False)
                continue
            if uid in derived or uid in self.series_spans:
                self.note("repeated", where)
                continue
            derived.add(uid)
            self.note("no_uid", where)
            row = self._series_row(uid, [(start, end)], given_uid=False)
            if row is not None:
                yield row
        self._give_notes()
        if self.not_listed:
            self.parsed.problem(
                _("calendar"),
                ngettext(
                    "%(count)s event has no meeting in the coming %(weeks)s weeks, so it is "
                    "not listed.",
                    "%(count)s events have no meeting in the coming %(weeks)s weeks, so they "
                    "are not listed.",
                    self.not_listed,
                )
                % {"count": self.not_listed, "weeks": self.weeks},
                blocking=False,
            )

    def _series_row(
        self, uid: str, spans: list[tuple[int, int]], *, given_uid: bool = True
    ) -> dict | None:
        if given_uid:
            where = event = _("event %(uid)s") % {"uid": clip(uid, 80)}
        else:
            where = event = _("line %(line)s") % {"line": self._line(spans[0][0])}
        try:
            events = [icalendar.Event.from_ical(self.text[start:end]) for start, end in spans]
            if not given_uid:
                events[0].add("UID", uid)  # the recurrence expansion groups by UID
        except Exception as error:  # noqa: BLE001 - one unreadable event must not sink the rest
            self.parsed.problem(
                where, _("cannot be read (%(error)s); left out") % {"error": error}, blocking=False
            )
            return None
        master = next((e for e in events if "RECURRENCE-ID" not in e), events[0])
        summary = clip(master.get("SUMMARY", ""), 200)
        if summary:
            where = f"{where} ({summary})"
        unreadable = {name.upper() for event in events for name, _why in event.errors}
        broken = unreadable & ESSENTIAL_PROPERTIES
        start = master.get("DTSTART")
        if broken or start is None or not hasattr(start, "dt"):
            reason = (
                _("%(names)s cannot be read") % {"names": ", ".join(sorted(set(broken)))}
                if broken
                else _("it has no start (DTSTART)")
            )
            self.parsed.problem(where, reason + _("; left out"), blocking=False)
            return None
        if not summary:
            self.note("untitled", where)
            return None
        for name in sorted(unreadable - ESSENTIAL_PROPERTIES):
            for component in events:
                component.pop(name, None)
            self.note(f"unreadable:{name}", where)
        try:
            occurrences, cancelled, cut = self._occurrences(events)
        except Exception as error:  # noqa: BLE001 - a feed's broken rule must not sink the rest
            self.parsed.problem(
                where,
                _("its dates cannot be worked out (%(error)s); left out") % {"error": error},
                blocking=False,
            )
            return None
        if cut:
            self.parsed.problem(
                where,
                _(
                    "it meets more than %(count)s times in %(weeks)s weeks; only the first "
                    "%(count)s are listed"
                )
                % {"count": MAX_OCCURRENCES, "weeks": self.weeks},
                blocking=False,
            )
        if not occurrences:
            if cancelled or str(master.get("STATUS", "")).upper() == "CANCELLED":
                self.note("cancelled", where)
            else:
                self.not_listed += 1
            return None
        row = self._row(uid, where, master, summary, occurrences)
        row["where"] = event  # the preview shows the title beside it anyway
        if any("RRULE" in e or "RDATE" in e for e in events) or len(occurrences) > 1:
            row["recurring"] = True  # a series is a group that meets, not a one-off event
        return row

    def _occurrences(self, events) -> tuple[list, int, bool]:
        """The meetings in the window as [start, end, all_day] (ISO, UTC), how many were
        cancelled, and whether there were too many to list."""
        calendar = icalendar.Calendar()
        if self.calendar_zone:
            calendar.add("X-WR-TIMEZONE", self.calendar_zone)
        for event in events:
            calendar.add_component(event)
        query = recurring_ical_events.of(calendar)
        window_start, window_end = self.window
        if any("RRULE" in event or "RDATE" in event for event in events):
            found = query.after(window_start)  # lazily: a rule may repeat every minute
        else:
            found = iter(query.between(window_start, window_end))
        by_start: dict[str, list] = {}
        cancelled, cut = 0, False
        for occurrence in found:
            start, end, all_day = self._moment(occurrence)
            if start >= window_end:
                break
            if str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
                cancelled += 1
                continue
            if len(by_start) >= MAX_OCCURRENCES:
                cut = True
                break
            by_start.setdefault(
                start.isoformat(), [start.isoformat(), end.isoformat() if end else None, all_day]
            )
        return sorted(by_start.values()), cancelled, cut

    def _utc(self, value) -> tuple[datetime.datetime, bool]:
        """An aware UTC datetime from a date, floating or zoned time; and whether all-day.
        A date is midnight UTC of that date: the date itself, whoever looks at it."""
        if not isinstance(value, datetime.datetime):
            return datetime.datetime.combine(value, datetime.time(0), tzinfo=datetime.UTC), True
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.floating)
        return value.astimezone(datetime.UTC), False

    def _moment(self, occurrence):
        start, all_day = self._utc(occurrence["DTSTART"].dt)
        end_value = _end_of(occurrence)
        end = self._utc(end_value)[0] if end_value is not None else None
        if end is not None and end <= start:
            end = None
        return start, end, all_day

    def _row(self, uid, where, master, summary, occurrences) -> dict:
        location = clip(master.get("LOCATION", ""), 300)
        is_link = location.lower().startswith(("http://", "https://"))
        fields = {
            "name": summary,
            "description": plain_text(master.get("DESCRIPTION", ""))[:10000],
            "address": "" if is_link else location,
            "online": is_link or location.lower() in ONLINE_WORDS,
            "latitude": None,
            "longitude": None,
            "contact_url": "",
        }
        given_url = str(master.get("URL", "")).strip()
        for text in (given_url, location):
            url = web_address(text) if text.lower().startswith(("http://", "https://")) else None
            if url:
                fields["contact_url"] = url
                break
        if given_url and not web_address(given_url):
            self.note("unreadable:URL", where)
        geo = master.get("GEO")
        in_text = find_coordinates(location) if geo is None and location else None
        if isinstance(in_text, tuple):  # "Library (51.5072, -0.1276)": checked as a GEO is
            geo = icalendar.vGeo(in_text)
            self.note("in_text", where)
        if geo is not None:
            latitude, longitude = getattr(geo, "latitude", None), getattr(geo, "longitude", None)
            if latitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                self.note("off_earth", where)
            elif self.region is None or self.region.contains(latitude, longitude):
                fields["latitude"], fields["longitude"] = latitude, longitude
            elif -90 <= longitude <= 90 and self.region.contains(longitude, latitude):
                fields["latitude"], fields["longitude"] = longitude, latitude
                self.note("swapped", where)
            else:
                self.note("outside", where)
        fields.update(self._weekly(master))
        row = {"key": uid, "where": where, "fields": fields, "occurrences": occurrences}
        matched = {
            self.interests[name.lower()]
            for name in _categories(master)
            if name.lower() in self.interests
        }
        if matched:
            row["add_interests"] = sorted(matched)
        return row

    def _weekly(self, master) -> dict:
        """A plain weekly meeting (every week, one day, a time) also fills weekday and times,
        in the event's own zone (or the calendar's, for floating and UTC times); anything
        else lives in the occurrences alone."""
        start, end = master["DTSTART"].dt, _end_of(master)
        zone = getattr(getattr(start, "tzinfo", None), "key", None)
        if zone in (None, "UTC", "Etc/UTC"):
            zone = self.floating.key
        schedule = {"weekday": None, "start_time": None, "end_time": None, "time_zone": zone}
        rules = master.get("RRULE")
        rule = rules[0] if isinstance(rules, list) and len(rules) == 1 else rules
        if (
            not isinstance(start, datetime.datetime)
            or not isinstance(rule, icalendar.vRecur)
            or rule.get("FREQ") != ["WEEKLY"]
            or rule.get("INTERVAL", [1]) != [1]
            or len(rule.get("BYDAY", [])) > 1
        ):
            return schedule
        local_zone = zoneinfo.ZoneInfo(zone)
        local = start.astimezone(local_zone) if start.tzinfo else start
        schedule.update(weekday=local.weekday(), start_time=local.time().isoformat())
        if isinstance(end, datetime.datetime):
            end_local = end.astimezone(local_zone) if end.tzinfo else end
            if end_local.date() == local.date() and end_local.time() > local.time():
                schedule["end_time"] = end_local.time().isoformat()
        return schedule


def _end_of(component):
    """DTEND, or DTSTART + DURATION, or the RFC default; None if it cannot be worked out."""
    try:
        return component.end
    except (ValueError, KeyError, AttributeError, TypeError, icalendar.InvalidCalendar):
        return None


def _categories(event) -> list[str]:
    values = event.get("CATEGORIES")
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    names = []
    for value in values:
        names += [str(category).strip() for category in getattr(value, "cats", [value])]
    return [name for name in names if name]


def parse_ical(
    data: bytes,
    *,
    time_zone: str,
    interests: Mapping[str, str],
    now: datetime.datetime,
    weeks: int = 8,
    region: Region | None = None,
) -> Parsed:
    """All of a calendar's rows at once (for a preview, which stores them anyway)."""
    reader = CalendarReader(
        data, time_zone=time_zone, interests=interests, now=now, weeks=weeks, region=region
    )
    reader.parsed.rows.extend(reader.rows())
    return reader.parsed.finish()
