"""Reading an Open Referral HSDS export (a ZIP of CSV tables, 1.x, 3.x and Ohana layouts)
into directory rows: see `parse_hsds`. Exports are published by others and cannot be fixed
here, so a service that cannot be taken is reported and left out; a file that cannot be read
at all (not a ZIP, not an HSDS export, not UTF-8) is blocking."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .formats import (
    ICAL_DAYS,
    MAX_COLUMNS,
    MAX_ROWS,
    Hours,
    Parsed,
    TooManyRows,
    clip,
    coordinate,
    decode_text,
    parse_opening_hours,
    parse_time,
    parse_weekday,
    plain_text,
    web_address,
)

# An HSDS ZIP may unpack to at most this much CSV, counted while unpacking (a zip bomb's
# headers may lie), in at most this many members and rows in each table.
HSDS_MAX_UNPACKED = 20 * 1024 * 1024
HSDS_MAX_MEMBERS = 100
HSDS_MAX_TABLE_ROWS = 5 * MAX_ROWS


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
    columns = tables.columns.get("services.csv", [])
    missing = [name for name in ("id", "name") if name not in columns]
    if missing:
        parsed.problem(
            _("services.csv"),
            _(
                "services.csv has no “%(names)s” column, so the file is not an Open Referral "
                "(HSDS) export. Its columns are: %(columns)s."
            )
            % {
                "names": "”, “".join(missing),
                "columns": clip(", ".join(columns), 200) or _("none"),
            },
            blocking=True,
        )
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
        parsed.problem(
            _("services.csv"),
            _("services.csv has a header row but no services in it."),
            blocking=True,
        )
    tables.say_what_was_used(parsed)


class _HsdsTables:
    """The CSV tables in an HSDS ZIP, by file name (in any folder of the ZIP). What is
    unpacked is counted as it comes out, against HSDS_MAX_UNPACKED for the whole ZIP."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], parsed):
        self.archive, self.members, self.parsed = archive, members, parsed
        self.unpacked = 0
        self.columns: dict[str, list[str]] = {}  # table → its header, for the tables read

    def say_what_was_used(self, parsed: Parsed) -> None:
        """A note for the preview: which of the export's tables were read, which not."""
        used = [name for name in sorted(self.members) if name in self.columns]
        unused = [name for name in sorted(self.members) if name not in self.columns]
        text = _("Read from the export: %(used)s.") % {"used": ", ".join(used)}
        if unused:
            text += " " + _("Not used (Outward has no place for what they hold): %(unused)s.") % {
                "unused": ", ".join(unused)
            }
        parsed.note(text)

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
        text = decode_text(raw)
        del raw
        if text is None:
            self.parsed.problem(name, _("is not UTF-8 text"), blocking=True)
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = []
        try:
            header = [column.strip().lower() for column in next(reader, [])][:MAX_COLUMNS]
            self.columns[name] = header
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
        self.postal: dict[str, dict] = {}
        for name in ("postal_addresses.csv", "mail_addresses.csv"):
            for _line, row in rows(name)[1]:
                self.postal.setdefault(row.get("location_id"), row)
        for _line, row in rows("addresses.csv")[1]:
            if row.get("address_type", "").lower() == "postal":
                self.postal.setdefault(row.get("location_id"), row)
        self.phones: dict[tuple[str, str], str] = {}  # (link, id) → the first number
        for _line, row in rows("phones.csv")[1]:
            kind = (row.get("type") or row.get("number_type") or "voice").lower()
            number = row.get("number", "").strip('"').strip()
            if not number or kind in ("fax", "pager"):
                continue
            if row.get("extension"):
                number += " " + _("ext. %(extension)s") % {"extension": row["extension"]}
            for link in ("service_id", "location_id", "organization_id"):
                if row.get(link):
                    self.phones.setdefault((link, row[link]), number)
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

    def _schedules(self, service_id: str, sal_ids: list[str], location_id: str) -> list:
        """The service's own schedules, else its service-at-location's, else its location's
        (linked by those ids: a schedule's own id, often blank, is not needed)."""
        candidates = self.schedules.get(("service_id", service_id), [])
        for sal_id in sal_ids:
            candidates = candidates or self.schedules.get(("service_at_location_id", sal_id), [])
        return candidates or self.schedules.get(("location_id", location_id), [])

    def schedule_text(self, service_id: str, sal_ids: list[str], location_id: str) -> str:
        """A schedule written only as words (its description), when it has no weekday."""
        for _table, _line, row in self._schedules(service_id, sal_ids, location_id):
            if row.get("description") and _hsds_weekday(row) is None:
                return clip(row["description"], 200)
        return ""

    def days(self, service_id: str, sal_ids: list[str], location_id: str) -> int:
        """On how many days of the week the service opens."""
        schedules = self._schedules(service_id, sal_ids, location_id)
        return len({_hsds_weekday(row) for _table, _line, row in schedules} - {None})

    def schedule(self, service_id: str, sal_ids: list[str], location_id: str):
        """The first weekly schedule (see `_schedules`): (weekday, opens, closes, where,
        problem)."""
        for table, line, row in self._schedules(service_id, sal_ids, location_id):
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
    if row.get("freq", "").upper() in ("WEEKLY", "") and row.get("byday"):
        day = row["byday"].split(",")[0].strip().upper()[-2:]
        return ICAL_DAYS.index(day) if day in ICAL_DAYS else None
    return None


def _hsds_row(key, where, service, index: _HsdsIndex, interests, unmatched, parsed) -> dict:
    fields: dict = {"name": service["name"][:200]}
    description = plain_text(service.get("description", ""))
    fees = service.get("fees_description") or service.get("fees", "")
    if fees and fees.lower() not in ("fees", "fees_description"):
        description += "\n\n" + _("Fees: %(fees)s") % {"fees": plain_text(fees)}
    fields["description"] = description.strip()
    organization = index.organizations.get(service.get("organization_id"), {})
    for text in (
        service.get("url"),
        service.get("website"),
        organization.get("website"),
        organization.get("url"),
    ):
        if text:
            url = web_address(text)
            if url:
                fields["contact_url"] = url
                break
            parsed.problem(
                where,
                _("the web address “%(url)s” is not valid, so it was left out")
                % {"url": clip(text, 60)},
                blocking=False,
            )
    else:
        fields["contact_url"] = ""
    for link, value in (
        ("service_id", key),
        ("location_id", location_id_of(service, index)),
        ("organization_id", service.get("organization_id")),
    ):
        if value and (link, value) in index.phones:
            fields["phone"] = clip(index.phones[(link, value)], 40)
            break
    for text in (service.get("email"), organization.get("email")):
        if text:
            try:
                validate_email(text.strip())
            except ValidationError:
                parsed.row_problem(
                    where,
                    "email",
                    "invalid",
                    _("the email “%(email)s” is not valid, so it was left out.")
                    % {"email": clip(text, 60)},
                )
                continue
            fields["email"] = text.strip()
            break
    if service.get("assured_date"):
        with contextlib.suppress(ValueError):  # a date that cannot be read is just not known
            fields["last_verified"] = datetime.date.fromisoformat(
                service["assured_date"][:10]
            ).isoformat()

    sal = index.service_locations.get(key, [])
    location_id = location_id_of(service, index)
    fields.update(
        address="", postcode="", latitude=None, longitude=None, online=False, accessibility=""
    )
    if location_id:
        line, location = index.locations.get(location_id, (None, None))
        if location is None:
            parsed.problem(
                where,
                _("its location “%(id)s” is not in locations.csv") % {"id": location_id},
                blocking=False,
            )
        else:
            _hsds_place(fields, location, line, index, parsed, where)
    weekday, opens, closes, schedule_where, problem = index.schedule(
        key, [sal_id for sal_id, _location in sal], location_id
    )
    if index.days(key, [sal_id for sal_id, _location in sal], location_id) > 1:
        parsed.row_problem(
            where,
            "schedule",
            "days",
            _(
                "it opens on several days a week; Outward keeps one weekly meeting, so the "
                "first day was taken."
            ),
        )
    if problem:
        parsed.problem(schedule_where, problem + _("; the times were left out"), blocking=False)
    if weekday is None and (text := index.schedule_text(key, [i for i, _l in sal], location_id)):
        hours = parse_opening_hours(text)  # a schedule given only as words
        if isinstance(hours, Hours):
            weekday, opens, closes = hours.weekday, hours.start, hours.end
        else:
            parsed.row_problem(where, "schedule", "text", hours + _("; kept in the description."))
            description = "\n\n".join(
                part
                for part in (description, _("Opening times: %(hours)s") % {"hours": text})
                if part
            )
            fields["description"] = description.strip()
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


def location_id_of(service: dict, index: _HsdsIndex) -> str:
    """The service's first location: by service_at_location, else its own location_id."""
    sal = index.service_locations.get(service.get("id"), [])
    return sal[0][1] if sal else service.get("location_id", "")


def _address_fields(address: dict) -> dict:
    """The entry's address (street lines, town and state) and its postcode, kept apart."""
    names = ("address_1", "address_2", "address_3", "address_4", "city", "state_province")
    parts = [address.get(name) or "" for name in names]
    return {
        "address": clip(", ".join(part.strip() for part in parts if part.strip()), 300),
        "postcode": clip(address.get("postal_code"), 20),
    }


def _hsds_place(fields, location, line, index: _HsdsIndex, parsed, service_where) -> None:
    where = _("locations.csv line %(line)s") % {"line": line}
    if location.get("location_type", "").lower() == "virtual" or location.get(
        "virtual", ""
    ).lower() in ("true", "1", "yes"):
        fields["online"] = True
    latitude, longitude = location.get("latitude", ""), location.get("longitude", "")
    if latitude or longitude:
        lat, lon = coordinate(latitude, 90), coordinate(longitude, 180)
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
        fields.update(_address_fields(address))
    elif postal := index.postal.get(location.get("id")):
        # Its town and postcode place it in an area; its street lines may be a PO box, where
        # no client should be sent.
        fields.update(
            _address_fields(
                {name: postal.get(name) for name in ("city", "state_province", "postal_code")}
            )
        )
        parsed.row_problem(
            service_where,
            "address",
            "postal",
            _(
                "it has no physical address, so the town and postcode of its postal address "
                "were taken as its area."
            ),
        )
    access = index.accessibility.get(location.get("id")) or (
        [location["accessibility"]] if location.get("accessibility") else []
    )
    fields["accessibility"] = "; ".join(access)
