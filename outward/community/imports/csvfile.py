"""Reading any CSV a practice has (its own list, a council's spreadsheet, an Excel export)
into directory rows: see `parse_csv`.

The file's columns are mapped to Outward's fields (`FIELDS`): suggested from the header
(`suggest_mapping`: "Organisation" is the name, "Zip" the postcode, "Opening times" the
weekly meeting ...), changed by the admin on the preview, and saved for the practice's next
file with the same header. Each row is checked by a Django form (`RowForm`); a row with a bad
value is listed (grouped with the same problem in other rows) and left out, the rest can be
applied; strict mode refuses the import while any row was left out.

Only a name is needed. A file with no id column gets a stable key from the row (its name,
place and weekly time, normalised: see `row_key`), so re-importing the same file updates
rather than duplicates. A row repeating an earlier one (same name, place, day and time) is
listed once. Category values (comma- or semicolon-joined, any case) name interests through
the interest lookup; the rest are kept as the entry's tags and reported.

Text: UTF-8 (a byte-order mark is fine), UTF-16 with a byte-order mark (Excel's "Unicode
text"), or, failing those, Windows-1252 (Excel's plain "CSV" on Windows), said in the
preview. Separated by commas, semicolons or tabs, whichever the header row uses most; in a
semicolon-separated file a decimal comma ("51,5") is a decimal point."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .formats import (
    KINDS,
    MAX_COLUMNS,
    Parsed,
    TooManyRows,
    clip,
    find_coordinates,
    parse_opening_hours,
    parse_time,
    parse_weekday,
    web_address,
)

MAX_TERMS = 50  # categories named in one cell

# Outward's fields a column can be mapped to, as the mapping form offers them.
FIELDS = (
    ("id", _lazy("Id (your own identifier; re-importing the same id updates the entry)")),
    ("name", _lazy("Name (required)")),
    ("description", _lazy("Description")),
    ("kind", _lazy("Kind: club, class, group, event or online")),
    ("categories", _lazy("Categories or interests (comma or semicolon between them)")),
    ("online", _lazy("Online (yes or no)")),
    ("address", _lazy("Address")),
    ("town", _lazy("Town, suburb or place")),
    ("postcode", _lazy("Postcode or zip")),
    ("latitude", _lazy("Latitude")),
    ("longitude", _lazy("Longitude")),
    ("coordinates", _lazy("Coordinates in one column (“51.5072, -0.1276”)")),
    ("weekday", _lazy("Weekday it meets")),
    ("start_time", _lazy("Start time")),
    ("end_time", _lazy("End time")),
    ("opening_hours", _lazy("Opening times as text (“Tuesdays 7–9pm”)")),
    ("cost", _lazy("Cost each time")),
    ("accessibility", _lazy("Accessibility")),
    ("group_size", _lazy("Group size")),
    ("contact_url", _lazy("Website")),
    ("email", _lazy("Email")),
    ("phone", _lazy("Phone")),
    ("last_verified", _lazy("Last checked (YYYY-MM-DD)")),
    ("social_intensity", _lazy("Social intensity, 1 to 5")),
)
FIELD_NAMES = tuple(name for name, _label in FIELDS)

# Header words (normalised: lower case, letters and digits) → the field they usually mean.
_HEADER_WORDS = {
    "id": ("id", "ref", "reference", "record id", "identifier", "uid", "service id", "org id"),
    "name": (
        "name", "organisation", "organization", "organisation name", "organization name",
        "name of group", "group name", "group", "club", "club name", "title", "service",
        "service name", "activity", "activity name", "event", "event name",
    ),
    "description": ("description", "details", "about", "summary", "what happens", "notes"),
    "kind": ("kind", "type", "group type", "activity type", "format"),
    "categories": (
        "categories", "category", "interests", "interest", "tags", "keywords", "topics",
        "taxonomy", "themes",
    ),
    "online": ("online", "virtual", "online only"),
    "address": (
        "address", "street", "street address", "address 1", "address line 1", "venue",
        "location", "where", "venue address",
    ),
    "town": ("town", "city", "suburb", "locality", "place", "village", "area", "town city"),
    "postcode": ("postcode", "post code", "zip", "zip code", "zipcode", "postal code"),
    "latitude": ("lat", "latitude", "y"),
    "longitude": ("lng", "lon", "long", "longitude", "x"),
    "coordinates": ("coordinates", "coords", "geo", "lat long", "latlong", "lat lng", "gps"),
    "weekday": ("weekday", "day", "day of week", "meeting day"),
    "start_time": ("start", "start time", "starts", "from", "time"),
    "end_time": ("end", "end time", "ends", "until", "finish", "finish time"),
    "opening_hours": (
        "opening times", "opening hours", "hours", "times", "when", "schedule",
        "meeting times", "meets",
    ),
    "cost": ("cost", "price", "fee", "fees", "cost per session", "charge"),
    "accessibility": ("accessibility", "access", "access notes", "disabled access"),
    "group_size": ("group size", "size"),
    "contact_url": ("website", "url", "web", "web site", "link", "homepage", "contact url"),
    "email": ("email", "e mail", "email address", "contact email"),
    "phone": ("phone", "telephone", "tel", "phone number", "mobile", "contact number"),
    "last_verified": ("last verified", "last checked", "verified", "last updated"),
    "social_intensity": ("social intensity", "intensity"),
}  # fmt: skip
_SUGGESTED = {word: name for name, words in _HEADER_WORDS.items() for word in words}
_KIND_WORDS = {"one off event": "event", "online community": "online", "course": "class"}


def header_words(text: str) -> str:
    """A header cell as the mapping compares it: lower case, letters and digits, one space."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("_", " ")).split())


def header_signature(header: Sequence[str]) -> str:
    """What a practice's saved mapping is found by: the normalised header, hashed."""
    return hashlib.sha256("\x1f".join(header_words(cell) for cell in header).encode()).hexdigest()


def suggest_mapping(header: Sequence[str]) -> list[str]:
    """A field for each column ("" to leave it out), from its header; each field once."""
    mapping, taken = [], set()
    for cell in header:
        name = _SUGGESTED.get(header_words(cell), "")
        if name in taken:
            name = ""
        taken.add(name)
        mapping.append(name)
    return mapping


def normalised(text: str) -> str:
    """Text as duplicates are compared: accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


# A UK postcode or a US zip code (the samples' and the tests' places): the last one in an
# address is where it is.
_POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|(?<!\d)\d{5}(?:-\d{4})?(?!\d)", re.IGNORECASE
)


def place_key(address: str) -> str:
    """Where an entry is, as duplicates are compared: its postcode or zip when the address
    has one (written in any spacing), else the whole address normalised."""
    found = _POSTCODE.findall(address or "")
    return found[-1].replace(" ", "").upper().split("-")[0] if found else normalised(address)


def row_key(name: str, address: str, weekday=None, start_time=None) -> str:
    """A stable key for a row without an id: the same name, place and weekly time give the
    same key in the next file, however they are spaced or capitalised."""
    parts = (normalised(name), place_key(address), str(weekday), str(start_time))
    return "row-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


# -- one row, checked by a form --------------------------------------------------------------


def _decimal_text(value: str, decimal_comma: bool) -> str:
    value = value.strip().replace("−", "-")
    return value.replace(",", ".") if decimal_comma and re.fullmatch(r"-?\d+,\d+", value) else value


class CoordinateField(forms.FloatField):
    def __init__(self, *, limit: int, **kwargs):
        super().__init__(min_value=-limit, max_value=limit, required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and value != value:  # NaN
            raise forms.ValidationError(_("Enter a number."), code="invalid")
        return value


class YesNoField(forms.Field):
    YES, NO = ("yes", "y", "true", "1", "online"), ("no", "n", "false", "0", "", "in person")

    def to_python(self, value):
        answer = (value or "").strip().lower()
        if answer in self.YES:
            return True
        if answer in self.NO:
            return False
        raise forms.ValidationError(_("Write yes or no."), code="invalid")


class WeekdayField(forms.Field):
    def to_python(self, value):
        if not (value or "").strip():
            return None
        day = parse_weekday(value)
        if day is None:
            raise forms.ValidationError(
                _("Write one of Mon, Tue, Wed, Thu, Fri, Sat, Sun."), code="invalid"
            )
        return day


class ClockField(forms.Field):
    def to_python(self, value):
        if not (value or "").strip():
            return None
        time = parse_time(value)
        if time is None:
            raise forms.ValidationError(_("Write a time like 19:30 or 7.30pm."), code="invalid")
        return time


class CostField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=0, max_value=Decimal("99999.99"), decimal_places=2, required=False, **kwargs
        )

    def to_python(self, value):
        value = (value or "").strip().lstrip("£$€").strip()
        if value.lower() in ("free", "none", "no charge"):
            return Decimal("0.00")
        return super().to_python(value)


class WebAddressField(forms.Field):
    def to_python(self, value):
        if not (value or "").strip():
            return ""
        url = web_address(value)
        if url is None:
            raise forms.ValidationError(_("This is not a web address."), code="invalid")
        return url


class RowForm(forms.Form):
    """One CSV row's values, keyed by Outward's field names (`FIELDS`). A field whose column
    the file does not have is simply absent from `fields()`."""

    id = forms.CharField(max_length=300, required=False)
    name = forms.CharField(max_length=200)
    description = forms.CharField(max_length=10000, required=False)
    kind = forms.CharField(max_length=100, required=False)
    categories = forms.CharField(max_length=2000, required=False)
    online = YesNoField(required=False)
    address = forms.CharField(max_length=300, required=False)
    town = forms.CharField(max_length=100, required=False)
    postcode = forms.CharField(max_length=20, required=False)
    latitude = CoordinateField(limit=90)
    longitude = CoordinateField(limit=180)
    coordinates = forms.CharField(max_length=100, required=False)
    weekday = WeekdayField(required=False)
    start_time = ClockField(required=False)
    end_time = ClockField(required=False)
    opening_hours = forms.CharField(max_length=300, required=False)
    cost = CostField()
    accessibility = forms.CharField(max_length=2000, required=False)
    group_size = forms.CharField(max_length=60, required=False)
    contact_url = WebAddressField(required=False)
    email = forms.EmailField(max_length=254, required=False)
    phone = forms.CharField(max_length=40, required=False)
    last_verified = forms.DateField(
        input_formats=["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"], required=False
    )
    social_intensity = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, data: dict[str, str], *, decimal_comma: bool = False):
        for name in ("latitude", "longitude", "cost"):
            if data.get(name):
                data[name] = _decimal_text(data[name], decimal_comma)
        super().__init__(data)
        self.given = set(data)
        self.notes: list[tuple[str, str]] = []  # (code, why): kept, but said in the preview

    def clean_kind(self):
        text = self.cleaned_data["kind"].strip()
        kind = _KIND_WORDS.get(normalised(text), normalised(text))
        if text and kind not in KINDS:
            self.notes.append(
                (
                    "kind",
                    _("kind “%(value)s” is not club, class, group, event or online; kept as a tag.")
                    % {"value": clip(text, 60)},
                )
            )
        return kind if kind in KINDS else text

    def clean(self):
        data = super().clean()
        if not self.errors:
            self._clean_place(data)
            self._clean_schedule(data)
        return data

    def _clean_place(self, data) -> None:
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and {"latitude", "longitude"} & self.given:
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
            return
        if latitude is not None:
            return
        text = data.get("coordinates", "")
        found = find_coordinates(text) if text else None
        if isinstance(found, str) or (text and found is None):
            self.add_error(
                "coordinates",
                found or _("“%(value)s” holds no coordinates") % {"value": clip(text, 60)},
            )
            return
        if found is None and data.get("address"):
            found = find_coordinates(data["address"])  # "Library (51.50, -0.12)"
            found = found if isinstance(found, tuple) else None
        if found:
            data["latitude"], data["longitude"] = found

    def _clean_schedule(self, data) -> None:
        weekday, start, end = data.get("weekday"), data.get("start_time"), data.get("end_time")
        if start and weekday is None:
            self.add_error("start_time", _("A start time needs a weekday."))
        elif end and not start:
            self.add_error("end_time", _("An end time needs a start time."))
        elif start and end and end <= start:
            self.add_error("end_time", _("The end time is not after the start time."))
        hours = data.get("opening_hours", "")
        if hours and weekday is None:
            parsed = parse_opening_hours(hours)
            if isinstance(parsed, str):
                self.notes.append(("opening_hours", parsed + _("; kept in the description.")))
            else:
                data.update(weekday=parsed.weekday, start_time=parsed.start, end_time=parsed.end)
                data["opening_hours"] = ""

    def fields_given(self, interests: Mapping[str, str]) -> tuple[dict, list[str], list[str]]:
        """(the resource's fields the file gives, JSON-ready; interest keys; tags)."""
        data, given = self.cleaned_data, self.given
        fields: dict = {"name": data["name"]}
        for name in ("description", "accessibility", "group_size", "phone", "email"):
            if name in given:
                fields[name] = data[name]
        if data.get("opening_hours"):
            text = _("Opening times: %(hours)s") % {"hours": data["opening_hours"]}
            fields["description"] = "\n\n".join(p for p in (fields.get("description"), text) if p)
        if {"address", "town"} & given:
            parts: list[str] = []
            for name in ("address", "town"):
                part = data.get(name, "")
                if part and normalised(part) not in normalised(", ".join(parts)):
                    parts.append(part)
            fields["address"] = clip(", ".join(parts), 300)
        if "postcode" in given:
            fields["postcode"] = data.get("postcode", "")
        tags: list[str] = []
        if "kind" in given:
            if data["kind"] in KINDS:
                fields["kind"] = data["kind"]
            elif data["kind"]:
                tags.append(data["kind"])
        if "online" in given:
            fields["online"] = data["online"]
        if fields.get("kind") == "online":
            fields["online"] = True  # an online community is online, whatever the column says
        if {"latitude", "longitude", "coordinates"} & given or data.get("latitude") is not None:
            fields["latitude"], fields["longitude"] = data.get("latitude"), data.get("longitude")
        if {"weekday", "start_time", "end_time"} & given or data.get("weekday") is not None:
            fields["weekday"] = data.get("weekday")
            for name in ("start_time", "end_time"):
                value = data.get(name)
                fields[name] = value.isoformat() if value else None
        if "cost" in given:
            cost = data["cost"]
            fields["cost_per_session"] = (
                str(cost.quantize(Decimal("0.01"))) if cost is not None else None
            )
        if "contact_url" in given:
            fields["contact_url"] = data["contact_url"]
        if "last_verified" in given:
            day = data["last_verified"]
            fields["last_verified"] = day.isoformat() if isinstance(day, datetime.date) else None
        if data.get("social_intensity") is not None:  # never a default nobody assessed
            fields["social_intensity"] = data["social_intensity"]
        keys: list[str] = []
        if "categories" in given:
            terms = [term.strip() for term in re.split(r"[;,\n|]", data["categories"])]
            for term in [term for term in terms if term][:MAX_TERMS]:
                if term.lower() in interests:
                    keys.append(interests[term.lower()])
                elif term not in tags:
                    tags.append(clip(term, 60))
        return fields, sorted(set(keys)), tags


# -- the file --------------------------------------------------------------------------------


def read_text(data: bytes, parsed: Parsed) -> str | None:
    """The file's text; None (with a blocking problem) if it is not text at all."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        parsed.problem(
            _("file"),
            _("The file is not text. In your spreadsheet, save it as “CSV UTF-8”."),
            blocking=True,
        )
        return None
    for encoding in (
        ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        parsed.problem(
            _("file"),
            _(
                "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and "
                "upload it again."
            ),
            blocking=True,
        )
        return None
    parsed.note(
        _(
            "The file is not UTF-8, so it was read as Windows-1252 (Excel's “CSV” on Windows). "
            "If letters look wrong below, save it as “CSV UTF-8” and upload it again."
        )
    )
    return text


def parse_csv(
    data: bytes, *, interests: Mapping[str, str], mapping: Sequence[str] | None = None
) -> Parsed:
    """Any CSV: its header row names the columns, `mapping` says which field each holds
    ("" for none; suggested from the header when not given). `interests` maps lower-case
    interest names and keys to keys (see `taxonomy.interest_lookup`). The header and the
    mapping used are on the result (`header`, `mapping`)."""
    parsed = Parsed()
    text = read_text(data, parsed)
    if text is None:
        return parsed
    if not text.strip():
        parsed.problem(_("file"), _("The file is empty."), blocking=True)
        return parsed
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _header(reader, parsed)
        if header is None:
            return parsed.finish()
        if mapping is None or len(mapping) != len(header):
            mapping = suggest_mapping(header)
        parsed.header, parsed.mapping = list(header), list(mapping)
        if "name" not in mapping:
            parsed.problem(
                _("columns"),
                _("No column is mapped to the name. Choose which column holds it below."),
                blocking=True,
            )
            return parsed.finish()
        _rows(reader, parsed, header, mapping, interests, decimal_comma=delimiter == ";")
    except TooManyRows:
        parsed.too_many_rows(_("rows"))
    except csv.Error as error:
        parsed.problem(
            _("line %(line)s") % {"line": reader.line_num},
            _("the file cannot be read as CSV from here on (%(error)s)") % {"error": error},
            blocking=True,
        )
    if not parsed.rows and not parsed.problems and not parsed.repeats:
        parsed.problem(_("file"), _("The file has a header row but no rows."), blocking=True)
    return parsed.finish()


def _header(reader, parsed: Parsed) -> list[str] | None:
    for values in reader:
        if any(value.strip() for value in values):
            break
    else:
        parsed.problem(_("file"), _("The file is empty."), blocking=True)
        return None
    if len(values) > MAX_COLUMNS:
        parsed.problem(
            _("line %(line)s") % {"line": reader.line_num},
            _("the header row names %(count)s columns; Outward reads at most %(limit)s")
            % {"count": len(values), "limit": MAX_COLUMNS},
            blocking=True,
        )
        return None
    return [clip(value.strip().lstrip("\ufeff"), 100) for value in values]


def _rows(reader, parsed: Parsed, header, mapping, interests, *, decimal_comma: bool) -> None:
    columns = {name: index for index, name in enumerate(mapping) if name}
    labels = {name: header[index] for name, index in columns.items()}
    parsed.samples = [""] * len(header)
    seen_ids: dict[str, str] = {}
    seen_rows: dict[str, str] = {}
    unknown: dict[str, list] = {}  # tag, case-folded → [as first written, how many rows]
    while True:
        line = reader.line_num + 1
        values = next(reader, None)
        if values is None:
            break
        if not any(value.strip() for value in values):
            continue
        where = _("line %(line)s") % {"line": line}
        for index, value in enumerate(values[: len(header)]):
            if not parsed.samples[index] and value.strip():
                parsed.samples[index] = clip(value, 40)
        if len(values) > len(header) and any(value.strip() for value in values[len(header) :]):
            parsed.bad_rows += 1
            parsed.row_problem(
                where,
                "",
                "width",
                _(
                    "%(count)s values but the header names %(columns)s columns (a value "
                    "holding a comma needs quotes). The row was left out."
                )
                % {"count": len(values), "columns": len(header)},
            )
            continue
        cells = {
            name: values[index].strip() if index < len(values) else ""
            for name, index in columns.items()
        }
        form = RowForm(cells, decimal_comma=decimal_comma)
        if not form.is_valid():
            parsed.bad_rows += 1
            for name, errors in form.errors.as_data().items():
                for error in errors:
                    column = labels.get(name, "")
                    why = " ".join(error.messages)
                    if column and cells.get(name):
                        why = _("%(column)s “%(value)s”: %(why)s") % {
                            "column": column,
                            "value": clip(cells[name], 60),
                            "why": why,
                        }
                    elif column:
                        why = _("%(column)s: %(why)s") % {"column": column, "why": why}
                    why = _("%(why)s The row was left out.") % {"why": why}
                    parsed.row_problem(where, name, error.code or "invalid", why)
            continue
        for code, why in form.notes:
            parsed.row_problem(where, code, "note", why)
        fields, keys, tags = form.fields_given(interests)
        for tag in tags:
            unknown.setdefault(tag.casefold(), [tag, 0])[1] += 1
        own_id = form.cleaned_data.get("id", "")
        place = fields.get("postcode") or fields.get("address", "")
        when = (fields.get("weekday"), fields.get("start_time"))
        repeat = row_key(fields["name"], place, *when)
        key = own_id or repeat
        if own_id and own_id in seen_ids:
            parsed.bad_rows += 1
            parsed.row_problem(
                where,
                "id",
                "repeated",
                _("id “%(id)s” is already used on %(where)s. The row was left out.")
                % {"id": clip(own_id, 60), "where": seen_ids[own_id]},
            )
            continue
        if repeat in seen_rows:
            parsed.row_problem(
                where,
                "",
                "duplicate",
                _("The same name, place and time as %(where)s: listed once.")
                % {"where": seen_rows[repeat]},
            )
            continue
        seen_ids[own_id] = seen_rows[repeat] = where
        if {"categories", "kind"} & set(columns):
            fields["tags"] = tags
        row = {"key": key, "where": where, "fields": fields}
        if "categories" in columns:
            row["interests"] = keys
        parsed.add(row)
    if unknown:
        names = [tag for tag, _count in sorted(unknown.values(), key=lambda t: (-t[1], t[0]))]
        parsed.note(
            _(
                "These categories name no interest in Outward's list, so they were kept as "
                "tags on the entries: %(tags)s"
            )
            % {"tags": ", ".join(names[:20]) + ("…" if len(names) > 20 else "")}
        )
