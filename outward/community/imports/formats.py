"""Reading directory imports: a CSV file, an Open Referral HSDS export (a ZIP of CSV tables)
or an iCalendar file, into rows ready to write and a report of what could not be taken.

Nothing here writes to the database; `import_services` previews and applies the rows. A row
is a JSON-ready dict:

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
whole import until the file is fixed (all-or-nothing); a non-blocking one reports a row or
event that was left out, or a value that was dropped, while the rest can be applied.

- CSV files are the practice's own, so every row problem is blocking: fix the file and
  upload it again.
- HSDS exports and calendar feeds are published by others and cannot be fixed here, so a
  service or event that cannot be taken is reported and left out; a file that cannot be read
  at all (not a ZIP, no services.csv, not iCalendar, cut short, not UTF-8) is blocking.

CSV columns (a header row names them; order is free; names are matched case-insensitively;
only `id` and `name` are required, and a column left out of the file leaves that field of
existing resources as it is):

    id                your own identifier for the row; re-importing a row with the same id
                      updates it instead of adding it twice
    name              the group's name (at most 200 characters)
    description       what happens there
    kind              club, class, group, event or online
    interests         interest names or keys from Outward's list, separated by semicolons,
                      e.g. "Board games; Books and writing"
    online            yes or no (an online community has no address)
    address           where it meets (at most 300 characters)
    latitude          decimal degrees, -90 to 90 (with longitude, or neither)
    longitude         decimal degrees, -180 to 180
    weekday           the day it meets every week: Mon, Tue, Wed, Thu, Fri, Sat or Sun
    start_time        24-hour HH:MM (or 7pm), local time of the practice; needs a weekday
    end_time          HH:MM, after start_time
    cost              cost each time, e.g. 4.50 (blank if not known, 0 or "free" if free)
    accessibility     access notes (step-free entrance, hearing loop, ...)
    group_size        e.g. "8-12"
    contact_url       a web address (https://...)
    last_verified     the date someone last checked the details, YYYY-MM-DD
    social_intensity  1 (a structured shared task, talking optional) to 5 (open mingling)

The file is UTF-8 (a spreadsheet's "CSV UTF-8"; a byte-order mark is fine), separated by
commas (or by semicolons, if the header row is); a value holding a comma, a semicolon or a
line break is quoted ("...").
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import datetime
import hashlib
import html
import io
import re
import zipfile
import zlib
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import icalendar
import recurring_ical_events
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext, ngettext_lazy

from outward.community import taxonomy

KINDS = ("club", "class", "group", "event", "online")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# (column, what it holds) for the upload page; the module docstring says the same at length.
CSV_COLUMNS = (
    ("id", _lazy("Your own identifier for the row; re-importing the same id updates it.")),
    ("name", _lazy("The group's name (required).")),
    ("description", _lazy("What happens there.")),
    ("kind", _lazy("club, class, group, event or online.")),
    ("interests", _lazy("Interest names or keys from Outward's list, separated by semicolons.")),
    ("online", _lazy("yes or no.")),
    ("address", _lazy("Where it meets.")),
    ("latitude", _lazy("Decimal degrees, -90 to 90 (with longitude, or neither).")),
    ("longitude", _lazy("Decimal degrees, -180 to 180.")),
    ("weekday", _lazy("The day it meets each week: Mon, Tue, Wed, Thu, Fri, Sat or Sun.")),
    ("start_time", _lazy("24-hour HH:MM, the practice's local time; needs a weekday.")),
    ("end_time", _lazy("HH:MM, after start_time.")),
    ("cost", _lazy("Cost each time, e.g. 4.50; 0 or free if free; blank if not known.")),
    ("accessibility", _lazy("Access notes.")),
    ("group_size", _lazy("e.g. 8-12.")),
    ("contact_url", _lazy("A web address (https://…).")),
    ("last_verified", _lazy("When the details were last checked, YYYY-MM-DD.")),
    ("social_intensity", _lazy("1 (structured shared task) to 5 (open mingling).")),
)
CSV_REQUIRED = ("id", "name")

# Limits on what one import may hold. A practice's directory is hundreds of groups, a
# region's HSDS export a few thousand services; past these a file is refused with a reason,
# before it costs the server minutes of work or hundreds of megabytes of preview.
MAX_ROWS = 10_000  # resources (CSV rows, HSDS services, calendar events) in one import
MAX_COLUMNS = 100  # columns in a CSV header
MAX_PROBLEMS = 500  # problems kept for the preview; the rest are counted
MAX_TERMS = 50  # interests named in one CSV cell
# An HSDS ZIP may unpack to at most this much CSV, counted while unpacking (a zip bomb's
# headers may lie), in at most this many members and rows in each table.
HSDS_MAX_UNPACKED = 20 * 1024 * 1024
HSDS_MAX_MEMBERS = 100
HSDS_MAX_TABLE_ROWS = 5 * MAX_ROWS
# A series that meets more often than this in the window is cut short (a FREQ=MINUTELY
# rule must not make 80,000 meetings).
MAX_OCCURRENCES = 200
ONLINE_WORDS = {"online", "online event", "virtual", "zoom", "teams", "video call"}
_http_url = URLValidator(schemes=["http", "https"])
_looks_like_html = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Parsed:
    """What a file held: rows ready to write, and the problems found."""

    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    unlisted: int = 0  # problems past MAX_PROBLEMS, counted but not kept
    any_blocking: bool = False

    def problem(self, where: str, why: str, *, blocking: bool) -> None:
        self.any_blocking = self.any_blocking or blocking
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append({"where": where, "why": why, "blocking": blocking})
        else:
            self.unlisted += 1

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
        """Close the list of problems: say how many more there were."""
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


def interest_lookup(pairs, synonyms=None) -> Mapping[str, str]:
    """{name: key} from (key, label) pairs and (phrase, key) synonyms, for matching names in
    files: any case and grammatical form, with Outward's synonyms (see taxonomy.InterestLookup)."""
    return taxonomy.interest_lookup(pairs, synonyms)


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


def _coordinate(text: str, limit: int) -> float | str:
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


def _url(text: str) -> str | None:
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


def _plain(text: str) -> str:
    """Text from a source that may hold HTML (HSDS descriptions, calendar feeds)."""
    text = str(text or "")
    if _looks_like_html.search(text):
        text = html.unescape(strip_tags(text))
    return re.sub(r"[ \t]+\n", "\n", text).strip()


def _clip(text: str, length: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


# -- CSV ---------------------------------------------------------------------------------------


def parse_csv(data: bytes, *, interests: Mapping[str, str]) -> Parsed:
    """The practice's own CSV (columns in the module docstring). `interests` maps lower-case
    interest names and keys to keys (see `interest_lookup`)."""
    parsed = Parsed()
    text = _decode(data)
    if text is None:
        parsed.problem(
            _("file"),
            _(
                "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and "
                "upload it again."
            ),
            blocking=True,
        )
        return parsed
    if not text.strip():
        parsed.problem(_("file"), _("The file is empty."), blocking=True)
        return parsed
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header, columns = _csv_header(reader, parsed)
        if header is None:
            return parsed.finish()
        seen: dict[str, int] = {}
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            if not any(value.strip() for value in values):
                continue
            _csv_row(parsed, line, values, header, columns, seen, interests)
    except TooManyRows:
        parsed.too_many_rows(_("rows"))
    except csv.Error as error:
        parsed.problem(
            _("line %(line)s") % {"line": reader.line_num},
            _("the file cannot be read as CSV from here on (%(error)s)") % {"error": error},
            blocking=True,
        )
    if not parsed.rows and not parsed.problems:
        parsed.problem(_("file"), _("The file has a header row but no rows."), blocking=True)
    return parsed.finish()


def _csv_header(reader, parsed: Parsed):
    for values in reader:
        if any(value.strip() for value in values):
            break
    else:
        parsed.problem(_("file"), _("The file is empty."), blocking=True)
        return None, None
    where = _("line %(line)s") % {"line": reader.line_num}
    if len(values) > MAX_COLUMNS:
        parsed.problem(
            where,
            _("the header row names %(count)s columns; Outward reads at most %(limit)s")
            % {"count": len(values), "limit": MAX_COLUMNS},
            blocking=True,
        )
        return None, None
    header = [value.strip().lower().replace(" ", "_") for value in values]
    known = {name for name, _help in CSV_COLUMNS}
    counts = Counter(header)
    for name in sorted(name for name, count in counts.items() if count > 1 and name):
        parsed.problem(
            where, _("the column “%(name)s” appears twice") % {"name": name}, blocking=True
        )
    for name in header:
        if name and name not in known:
            parsed.problem(
                where,
                _("the column “%(name)s” is not one Outward reads; it was ignored")
                % {"name": name},
                blocking=False,
            )
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        parsed.problem(
            where,
            _("the header row has no “%(names)s” column (the first row must name the columns)")
            % {"names": "”, “".join(missing)},
            blocking=True,
        )
    if parsed.blocking:
        return None, None
    return header, {name for name in header if name in known}


def _csv_row(parsed, line, values, header, columns, seen, interests) -> None:
    where = _("line %(line)s") % {"line": line}
    problems: list[str] = []
    if len(values) > len(header):
        problems.append(
            _(
                "%(count)s values but the header names %(columns)s columns (a value holding "
                "a comma needs quotes)"
            )
            % {"count": len(values), "columns": len(header)}
        )
    cell = {name: values[i].strip() if i < len(values) else "" for i, name in enumerate(header)}
    fields: dict = {}
    row: dict = {"where": where, "fields": fields}

    key = cell["id"]
    if not key:
        problems.append(_("id is empty (it lets a re-import update this row)"))
    elif len(key) > 300:
        problems.append(_("id is longer than 300 characters"))
    elif key in seen:
        problems.append(
            _("id “%(id)s” is already used on line %(line)s") % {"id": key, "line": seen[key]}
        )
    else:
        seen[key] = line
    row["key"] = key

    name = cell["name"]
    if not name:
        problems.append(_("name is empty"))
    elif len(name) > 200:
        problems.append(_("name is longer than 200 characters"))
    fields["name"] = name

    for column in ("description", "accessibility"):
        if column in columns:
            fields[column] = cell[column]
    if "group_size" in columns:
        if len(cell["group_size"]) > 60:
            problems.append(_("group_size is longer than 60 characters"))
        fields["group_size"] = cell["group_size"]
    if "address" in columns:
        if len(cell["address"]) > 300:
            problems.append(_("address is longer than 300 characters"))
        fields["address"] = cell["address"]

    if "kind" in columns:
        kind = cell["kind"].lower()
        labels = {"one-off event": "event", "online community": "online"}
        kind = labels.get(kind, kind)
        if kind not in KINDS:
            problems.append(
                _("kind “%(kind)s” is not one of club, class, group, event, online")
                % {"kind": cell["kind"]}
            )
        fields["kind"] = kind

    if "online" in columns:
        answer = cell["online"].lower()
        if answer in ("yes", "y", "true", "1"):
            fields["online"] = True
        elif answer in ("no", "n", "false", "0", ""):
            fields["online"] = False
        else:
            problems.append(_("online “%(value)s” is not yes or no") % {"value": cell["online"]})
    if fields.get("kind") == "online":
        fields["online"] = True  # an online community is online, whatever the column says

    _csv_place(cell, columns, fields, problems)
    _csv_schedule(cell, columns, fields, problems)

    if "cost" in columns:
        cost, problem = _csv_cost(cell["cost"])
        if problem:
            problems.append(problem)
        fields["cost_per_session"] = cost
    if "contact_url" in columns:
        url = _url(cell["contact_url"]) if cell["contact_url"] else ""
        if url is None:
            problems.append(
                _("contact_url “%(value)s” is not a web address")
                % {"value": _clip(cell["contact_url"], 60)}
            )
        fields["contact_url"] = url or ""
    if "last_verified" in columns:
        fields["last_verified"] = None
        if cell["last_verified"]:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell["last_verified"]):
                    raise ValueError
                fields["last_verified"] = datetime.date.fromisoformat(
                    cell["last_verified"]
                ).isoformat()
            except ValueError:
                problems.append(
                    _("last_verified “%(value)s” is not a date like 2026-03-31")
                    % {"value": cell["last_verified"]}
                )
    if "social_intensity" in columns and cell["social_intensity"]:
        if cell["social_intensity"] in ("1", "2", "3", "4", "5"):
            fields["social_intensity"] = int(cell["social_intensity"])
        else:
            problems.append(
                _("social_intensity “%(value)s” is not a whole number from 1 to 5")
                % {"value": cell["social_intensity"]}
            )
    if "interests" in columns:
        keys = []
        terms = re.split(r"[;\n]", cell["interests"])
        if len(terms) > MAX_TERMS:
            problems.append(
                _("interests names more than %(count)s interests") % {"count": MAX_TERMS}
            )
            terms = []
        for term in terms:
            term = term.strip()
            if not term:
                continue
            if term.lower() in interests:
                keys.append(interests[term.lower()])
            else:
                problems.append(
                    _("interest “%(term)s” is not in Outward's list of interests") % {"term": term}
                )
        row["interests"] = sorted(set(keys))

    for why in problems:
        parsed.problem(where, why, blocking=True)
    if not problems:
        parsed.add(row)


def _csv_place(cell, columns, fields, problems) -> None:
    if "latitude" not in columns and "longitude" not in columns:
        return
    latitude, longitude = cell.get("latitude", ""), cell.get("longitude", "")
    fields["latitude"] = fields["longitude"] = None
    if not latitude and not longitude:
        return
    if bool(latitude) != bool(longitude):
        problems.append(_("give both latitude and longitude, or neither"))
        return
    lat, lon = _coordinate(latitude, 90), _coordinate(longitude, 180)
    for name, value in (("latitude", lat), ("longitude", lon)):
        if isinstance(value, str):
            problems.append(f"{name} {value}")
    if not isinstance(lat, str) and not isinstance(lon, str):
        fields["latitude"], fields["longitude"] = lat, lon


def _csv_schedule(cell, columns, fields, problems) -> None:
    if not {"weekday", "start_time", "end_time"} & columns:
        return
    weekday = start = end = None
    if cell.get("weekday"):
        weekday = parse_weekday(cell["weekday"])
        if weekday is None:
            problems.append(
                _("weekday “%(value)s” is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun")
                % {"value": cell["weekday"]}
            )
    for name in ("start_time", "end_time"):
        if cell.get(name):
            value = parse_time(cell[name])
            if value is None:
                problems.append(
                    _("%(column)s “%(value)s” is not a time like 19:30")
                    % {"column": name, "value": cell[name]}
                )
            elif name == "start_time":
                start = value
            else:
                end = value
    if cell.get("start_time") and not cell.get("weekday"):
        problems.append(_("start_time needs a weekday"))
    if cell.get("end_time") and not cell.get("start_time"):
        problems.append(_("end_time needs a start_time"))
    if start and end and end <= start:
        problems.append(_("end_time is not after start_time"))
    fields["weekday"] = weekday
    fields["start_time"] = start.isoformat() if start else None
    fields["end_time"] = end.isoformat() if end else None


def _csv_cost(text: str) -> tuple[str | None, str | None]:
    """(the cost as a decimal string or None when blank, the reason it is not a cost)."""
    value = text.strip().lstrip("£$€").strip()
    if not value:
        return None, None
    if value.lower() in ("free", "none"):
        return "0.00", None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None, _("cost “%(value)s” is not an amount like 4.50") % {"value": text}
    if not amount.is_finite() or amount < 0 or amount >= 100000:
        return None, _("cost “%(value)s” is not an amount from 0 to 99999.99") % {"value": text}
    if amount != amount.quantize(Decimal("0.01")):
        return None, _("cost “%(value)s” has more than two decimal places") % {"value": text}
    return str(amount.quantize(Decimal("0.01"))), None


# -- Open Referral HSDS --------------------------------------------------------------------


def parse_hsds(data: bytes, *, interests: Mapping[str, str]) -> Parsed:
    """An Open Referral HSDS export: a ZIP of CSV tables in the 1.1 layout
    (physical_addresses, regular_schedules, services_at_location, taxonomy +
    services_taxonomy) or the 3.0 layout (addresses, schedules, service_at_location,
    taxonomy_terms + attributes); Ohana-style exports (services.location_id, keywords) too.

    Each service becomes a resource (key: the service id) with its first location's
    coordinates and physical address, its first weekly schedule, its description and web
    address; taxonomy terms and keywords that name an Outward interest add that interest.
    A service whose status is not active is withdrawn (removed if imported before)."""
    parsed = Parsed()
    try:
        _hsds_rows(data, parsed, interests)
    except TooManyRows:
        parsed.rows = []
        if not parsed.blocking:
            parsed.too_many_rows(_("services"))
    return parsed.finish()


def _hsds_rows(data: bytes, parsed: Parsed, interests: Mapping[str, str]) -> None:
    tables = _HsdsTables.open(data, parsed)
    if tables is None:
        return
    services = tables.read("services.csv")
    if services is None:
        return
    if len(services) > MAX_ROWS:
        raise TooManyRows
    index = _HsdsIndex(tables, parsed)
    unmatched: set[str] = set()
    seen: set[str] = set()
    for line, service in services:
        where = _("services.csv line %(line)s") % {"line": line}
        key, name = service.get("id", ""), service.get("name", "")
        status = service.get("status", "").lower()
        if not key or not name:
            parsed.problem(
                where,
                _("the service has no id, so it was left out")
                if not key
                else _("the service has no name, so it was left out"),
                blocking=False,
            )
            continue
        if key in seen:
            parsed.problem(
                where,
                _("service id “%(id)s” appears twice; the second was left out") % {"id": key},
                blocking=False,
            )
            continue
        seen.add(key)
        if status and status != "active":
            parsed.add(
                {"key": key, "where": where, "fields": {"name": name[:200]}, "withdrawn": True}
            )
            parsed.problem(
                where,
                _("“%(name)s” has status “%(status)s”, so it is not listed")
                % {"name": name, "status": status},
                blocking=False,
            )
            continue
        parsed.add(_hsds_row(key, where, service, index, interests, unmatched, parsed))
    if unmatched:
        parsed.problem(
            _("taxonomy"),
            _("these terms name no Outward interest, so they were not used: %(terms)s")
            % {"terms": ", ".join(sorted(unmatched)[:20]) + ("…" if len(unmatched) > 20 else "")},
            blocking=False,
        )
    if not parsed.rows and not parsed.blocking:
        parsed.problem(_("services.csv"), _("The export holds no services."), blocking=True)


class _HsdsTables:
    """The CSV tables in an HSDS ZIP, by file name (in any folder of the ZIP). What is
    unpacked is counted as it comes out, against HSDS_MAX_UNPACKED for the whole ZIP."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], parsed):
        self.archive, self.members, self.parsed = archive, members, parsed
        self.unpacked = 0

    @classmethod
    def open(cls, data: bytes, parsed: Parsed) -> _HsdsTables | None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            parsed.problem(
                _("file"),
                _(
                    "The file is not a ZIP archive. An Open Referral (HSDS) export is a .zip "
                    "holding services.csv, locations.csv and the other tables."
                ),
                blocking=True,
            )
            return None
        if len(infos) > HSDS_MAX_MEMBERS:
            parsed.problem(
                _("file"),
                _("The ZIP holds %(count)s files; an HSDS export has at most %(limit)s.")
                % {"count": len(infos), "limit": HSDS_MAX_MEMBERS},
                blocking=True,
            )
            return None
        members = {}
        for info in infos:
            name = info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
            if info.is_dir() or name.startswith(".") or "__macosx" in info.filename.lower():
                continue
            if name.endswith(".csv"):
                members.setdefault(name, info)
        if sum(info.file_size for info in members.values()) > HSDS_MAX_UNPACKED:
            parsed.problem(_("file"), _too_much_unpacked(), blocking=True)
            return None
        if "services.csv" not in members:
            parsed.problem(
                _("file"),
                _(
                    "The ZIP has no services.csv, so it is not an Open Referral (HSDS) export. "
                    "It holds: %(names)s."
                )
                % {"names": ", ".join(sorted(members)) or _("no CSV files")},
                blocking=True,
            )
            return None
        return cls(archive, members, parsed)

    def has(self, name: str) -> bool:
        return name in self.members

    def read(self, name: str) -> list[tuple[int, dict[str, str]]] | None:
        """(line, {lower-case column: stripped value}) for each row; None if the table is
        missing or unreadable (the latter reported)."""
        if name not in self.members:
            return None
        budget = HSDS_MAX_UNPACKED - self.unpacked
        try:
            with self.archive.open(self.members[name]) as member:
                raw = member.read(budget + 1)  # the header's size may lie: count what comes
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            RuntimeError,
            EOFError,
            zlib.error,
        ) as error:
            self.parsed.problem(
                name, _("cannot be unpacked (%(error)s)") % {"error": error}, blocking=True
            )
            return None
        if len(raw) > budget:
            self.parsed.problem(_("file"), _too_much_unpacked(), blocking=True)
            raise TooManyRows  # nothing more is read from this ZIP
        self.unpacked += len(raw)
        text = _decode(raw)
        del raw
        if text is None:
            self.parsed.problem(name, _("is not UTF-8 text"), blocking=True)
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = []
        try:
            header = [column.strip().lower() for column in next(reader, [])][:MAX_COLUMNS]
            while True:
                line = reader.line_num + 1
                values = next(reader, None)
                if values is None:
                    break
                if len(rows) >= HSDS_MAX_TABLE_ROWS:
                    self.parsed.problem(
                        name,
                        _("holds more than %(count)s rows, more than one import takes")
                        % {"count": f"{HSDS_MAX_TABLE_ROWS:,}"},
                        blocking=True,
                    )
                    raise TooManyRows
                if any(value.strip() for value in values):
                    rows.append(
                        (line, dict(zip(header, (v.strip() for v in values), strict=False)))
                    )
        except csv.Error as error:
            self.parsed.problem(
                _("%(table)s line %(line)s") % {"table": name, "line": reader.line_num},
                _("cannot be read as CSV (%(error)s)") % {"error": error},
                blocking=True,
            )
            return None
        return rows


class _HsdsIndex:
    """The tables a service's row is built from, indexed by the ids that link them."""

    def __init__(self, tables: _HsdsTables, parsed: Parsed):
        def rows(*names):
            for name in names:
                if tables.has(name):
                    return name, tables.read(name) or []
            return None, []

        self.organizations = {row.get("id"): row for _line, row in rows("organizations.csv")[1]}
        _name, locations = rows("locations.csv")
        self.locations = {row.get("id"): (line, row) for line, row in locations}
        self.service_locations = defaultdict(list)  # service id -> [(sal id, location id)]
        for _line, row in rows("service_at_location.csv", "services_at_location.csv")[1]:
            self.service_locations[row.get("service_id")].append(
                (row.get("id", ""), row.get("location_id", ""))
            )
        self.addresses: dict[str, dict] = {}
        for _line, row in rows("physical_addresses.csv")[1]:
            self.addresses.setdefault(row.get("location_id"), row)
        for _line, row in rows("addresses.csv")[1]:
            if row.get("address_type", "physical").lower() in ("physical", ""):
                self.addresses.setdefault(row.get("location_id"), row)
        self.accessibility: dict[str, list[str]] = defaultdict(list)
        for _line, row in rows("accessibility_for_disabilities.csv", "accessibility.csv")[1]:
            text = "; ".join(
                value
                for value in (row.get("accessibility"), row.get("description"), row.get("details"))
                if value
            )
            if text:
                self.accessibility[row.get("location_id")].append(text)
        self.schedules: dict[tuple[str, str], list] = defaultdict(list)
        for name in ("regular_schedules.csv", "schedules.csv"):
            for line, row in rows(name)[1]:
                for link in ("service_id", "service_at_location_id", "location_id"):
                    if row.get(link):
                        self.schedules[(link, row[link])].append((name, line, row))
        self.terms = self._terms(rows)
        self.parsed = parsed

    @staticmethod
    def _terms(rows) -> dict[str, list[str]]:
        """Service id -> names of its taxonomy terms (1.1, 3.0 and Ohana layouts)."""
        names = {}
        for _line, row in rows("taxonomy_terms.csv")[1]:
            names[row.get("id")] = row.get("name", "")
        for _line, row in rows("taxonomy.csv")[1]:
            names[row.get("id") or row.get("taxonomy_id")] = row.get("name", "")
        terms = defaultdict(list)
        for _line, row in rows("services_taxonomy.csv")[1]:
            terms[row.get("service_id")].append(names.get(row.get("taxonomy_id"), ""))
        for _line, row in rows("attributes.csv")[1]:
            if row.get("link_entity", "service").lower() in ("service", ""):
                terms[row.get("link_id")].append(names.get(row.get("taxonomy_term_id"), ""))
        return terms

    def schedule(self, service_id: str, sal_ids: list[str], location_id: str):
        """The first weekly schedule: the service's own, else its service-at-location's, else
        its location's. (weekday, opens, closes, where, problem)."""
        candidates = self.schedules.get(("service_id", service_id), [])
        for sal_id in sal_ids:
            candidates = candidates or self.schedules.get(("service_at_location_id", sal_id), [])
        candidates = candidates or self.schedules.get(("location_id", location_id), [])
        for table, line, row in candidates:
            weekday = _hsds_weekday(row)
            if weekday is None:
                continue
            where = _("%(table)s line %(line)s") % {"table": table, "line": line}
            opens, closes = (
                parse_time(row.get("opens_at", "")),
                parse_time(row.get("closes_at", "")),
            )
            problem = None
            if (row.get("opens_at") and opens is None) or (row.get("closes_at") and closes is None):
                problem = _("the opening times “%(opens)s”–“%(closes)s” cannot be read") % {
                    "opens": row.get("opens_at", ""),
                    "closes": row.get("closes_at", ""),
                }
            elif opens and closes and closes <= opens:
                problem = _("closes_at %(closes)s is not after opens_at %(opens)s") % {
                    "opens": row.get("opens_at", ""),
                    "closes": row.get("closes_at", ""),
                }
            if problem:
                return weekday, None, None, where, problem
            return weekday, opens, closes if opens else None, where, None
        return None, None, None, None, None


def _too_much_unpacked() -> str:
    return _("The ZIP unpacks to more than %(size)s MB of tables, too much to import at once.") % {
        "size": HSDS_MAX_UNPACKED // (1024 * 1024)
    }


def _hsds_weekday(row: dict) -> int | None:
    """1.1 / Ohana: weekday 1 (Monday) … 7 (Sunday) or a day name. 3.0: FREQ=WEEKLY with
    BYDAY ("TH,FR": the first day)."""
    if row.get("weekday"):
        value = row["weekday"].strip()
        if value.isdigit():  # "²" and a thousand digits are digits too, but not days
            return int(value) - 1 if value in ("1", "2", "3", "4", "5", "6", "7") else None
        return parse_weekday(value)
    if row.get("freq", "").upper() == "WEEKLY" and row.get("byday"):
        day = row["byday"].split(",")[0].strip().upper()[-2:]
        return ICAL_DAYS.index(day) if day in ICAL_DAYS else None
    return None


def _hsds_row(key, where, service, index: _HsdsIndex, interests, unmatched, parsed) -> dict:
    fields: dict = {"name": service["name"][:200]}
    description = _plain(service.get("description", ""))
    fees = service.get("fees_description") or service.get("fees", "")
    if fees and fees.lower() not in ("fees", "fees_description"):
        description += "\n\n" + _("Fees: %(fees)s") % {"fees": _plain(fees)}
    fields["description"] = description.strip()
    organization = index.organizations.get(service.get("organization_id"), {})
    for text in (
        service.get("url"),
        service.get("website"),
        organization.get("website"),
        organization.get("url"),
    ):
        if text:
            url = _url(text)
            if url:
                fields["contact_url"] = url
                break
            parsed.problem(
                where,
                _("the web address “%(url)s” is not valid, so it was left out")
                % {"url": _clip(text, 60)},
                blocking=False,
            )
    else:
        fields["contact_url"] = ""
    if service.get("assured_date"):
        with contextlib.suppress(ValueError):  # a date that cannot be read is just not known
            fields["last_verified"] = datetime.date.fromisoformat(
                service["assured_date"][:10]
            ).isoformat()

    sal = index.service_locations.get(key, [])
    location_id = sal[0][1] if sal else service.get("location_id", "")
    fields.update(address="", latitude=None, longitude=None, online=False, accessibility="")
    if location_id:
        line, location = index.locations.get(location_id, (None, None))
        if location is None:
            parsed.problem(
                where,
                _("its location “%(id)s” is not in locations.csv") % {"id": location_id},
                blocking=False,
            )
        else:
            _hsds_place(fields, location, line, index, parsed)
    weekday, opens, closes, schedule_where, problem = index.schedule(
        key, [sal_id for sal_id, _location in sal], location_id
    )
    if problem:
        parsed.problem(schedule_where, problem + _("; the times were left out"), blocking=False)
    fields.update(
        weekday=weekday,
        start_time=opens.isoformat() if opens else None,
        end_time=closes.isoformat() if closes else None,
    )
    terms = list(index.terms.get(key, []))
    terms += service.get("keywords", "").split(",")
    matched = set()
    for term in terms:
        term = term.strip()
        if not term:
            continue
        if term.lower() in interests:
            matched.add(interests[term.lower()])
        elif term.lower() not in ("name", "code"):  # the 3.0 example's placeholders
            unmatched.add(term)
    row = {"key": key, "where": where, "fields": fields}
    if matched:
        row["add_interests"] = sorted(matched)
    return row


def _hsds_place(fields, location, line, index: _HsdsIndex, parsed) -> None:
    where = _("locations.csv line %(line)s") % {"line": line}
    if location.get("location_type", "").lower() == "virtual" or location.get(
        "virtual", ""
    ).lower() in ("true", "1", "yes"):
        fields["online"] = True
    latitude, longitude = location.get("latitude", ""), location.get("longitude", "")
    if latitude or longitude:
        lat, lon = _coordinate(latitude, 90), _coordinate(longitude, 180)
        reasons = [
            f"{name} {value}"
            for name, value in (("latitude", lat), ("longitude", lon))
            if isinstance(value, str)
        ]
        if not latitude or not longitude:
            reasons.append(_("only one of latitude and longitude is given"))
        if reasons:
            parsed.problem(
                where,
                "; ".join(reasons) + _(": imported without coordinates"),
                blocking=False,
            )
        else:
            fields["latitude"], fields["longitude"] = lat, lon
    address = index.addresses.get(location.get("id"))
    if address:
        region = " ".join(
            part for part in (address.get("state_province"), address.get("postal_code")) if part
        )
        parts = [
            address.get(name, "")
            for name in ("address_1", "address_2", "address_3", "address_4", "city")
        ] + [region]
        fields["address"] = _clip(", ".join(part for part in parts if part), 300)
    access = index.accessibility.get(location.get("id")) or (
        [location["accessibility"]] if location.get("accessibility") else []
    )
    fields["accessibility"] = "; ".join(access)


# -- iCalendar --------------------------------------------------------------------------------

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
        text = _decode(data)
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
            where = event = _("event %(uid)s") % {"uid": _clip(uid, 80)}
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
        summary = _clip(master.get("SUMMARY", ""), 200)
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
        location = _clip(master.get("LOCATION", ""), 300)
        is_link = location.lower().startswith(("http://", "https://"))
        fields = {
            "name": summary,
            "description": _plain(master.get("DESCRIPTION", ""))[:10000],
            "address": "" if is_link else location,
            "online": is_link or location.lower() in ONLINE_WORDS,
            "latitude": None,
            "longitude": None,
            "contact_url": "",
        }
        given_url = str(master.get("URL", "")).strip()
        for text in (given_url, location):
            url = _url(text) if text.lower().startswith(("http://", "https://")) else None
            if url:
                fields["contact_url"] = url
                break
        if given_url and not _url(given_url):
            self.note("unreadable:URL", where)
        geo = master.get("GEO")
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
