"""Writes for directory imports: preview a file, apply it all-or-nothing, refresh calendar
feeds. Directory rows are the practice's, not a client's, so nothing here is audited against
a client.

Re-importing updates a resource found by (practice, source, source key) and never adds it
twice. An iCalendar import speaks for its whole calendar: events no longer in it are removed
from the directory (that calendar's only) and every event's meetings are replaced. CSV and
HSDS imports speak only for their rows: a resource missing from the file stays (an HSDS
service marked inactive is removed). A resource a client has a plan for is never deleted:
it stays, without dates, and the report says so."""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outward.accounts.models import User
from outward.care.models import Practice

from . import imports
from .models import CalendarSource, Interest, PendingImport, Plan, Resource, ResourceOccurrence

MAX_BYTES = 5 * 1024 * 1024
FETCH_TIMEOUT = 10  # seconds
WEEKS_AHEAD = 8
BATCH = 500
PENDING_KEPT_FOR = datetime.timedelta(days=7)
UPLOAD_KINDS = (Resource.Source.CSV, Resource.Source.HSDS, Resource.Source.ICAL)


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why, for the therapist."""


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    occurrences: int = 0
    kept: list[str] = field(default_factory=list)  # removed from the source, but planned

    def message(self) -> str:
        text = _(
            "%(created)s added, %(updated)s updated, %(unchanged)s unchanged, %(removed)s removed."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }
        if self.occurrences:
            text += " " + ngettext(
                "%(count)s dated meeting in the coming weeks.",
                "%(count)s dated meetings in the coming weeks.",
                self.occurrences,
            ) % {"count": self.occurrences}
        if self.kept:
            text += " " + _(
                "Kept because a client plans to go, though no longer in the source: %(names)s."
            ) % {"names": ", ".join(self.kept[:10]) + ("…" if len(self.kept) > 10 else "")}
        return text


def _interests() -> dict[str, str]:
    return imports.interest_lookup(Interest.objects.values_list("key", "label"))


def _parse(*, kind: str, data: bytes, practice: Practice) -> imports.Parsed:
    if kind == Resource.Source.CSV:
        return imports.parse_csv(data, interests=_interests())
    if kind == Resource.Source.HSDS:
        return imports.parse_hsds(data, interests=_interests())
    if kind == Resource.Source.ICAL:
        return imports.parse_ical(
            data,
            time_zone=practice.time_zone,
            interests=_interests(),
            now=timezone.now(),
            weeks=WEEKS_AHEAD,
        )
    raise ImportRefused(_("Choose CSV, Open Referral (HSDS) or iCalendar."))


def _too_big() -> ImportRefused:
    return ImportRefused(
        _("The file is larger than 5 MB. Split it into smaller files and import each.")
    )


@transaction.atomic
def import_preview(*, practice: Practice, kind: str, uploaded_file, actor: User) -> PendingImport:
    """Read an uploaded file into a PendingImport: its rows and every problem, for the
    therapist to look at before applying. Nothing in the directory changes."""
    if kind not in UPLOAD_KINDS:
        raise ImportRefused(_("Choose CSV, Open Referral (HSDS) or iCalendar."))
    if uploaded_file.size is not None and uploaded_file.size > MAX_BYTES:
        raise _too_big()
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_big()
    parsed = _parse(kind=kind, data=data, practice=practice)
    # Previews nobody applied are let go after a week.
    PendingImport.objects.filter(
        practice=practice, created__lt=timezone.now() - PENDING_KEPT_FOR
    ).delete()
    pending = PendingImport(
        practice=practice,
        kind=kind,
        file_name=(uploaded_file.name or "upload").rsplit("/", 1)[-1][-200:],
        rows=parsed.rows,
        problems=parsed.problems,
        created_by=actor,
    )
    pending.full_clean(exclude=["rows", "problems"])  # an empty list is a fine answer here
    pending.save()
    return pending


def blocking_problems(pending: PendingImport) -> list[dict]:
    return [problem for problem in pending.problems if problem.get("blocking")]


@transaction.atomic
def import_apply(*, pending: PendingImport, actor: User) -> ImportSummary:
    """Write a previewed import: every row, or (on any failure) none. The preview is used
    up: applying it again is refused."""
    pending = (
        PendingImport.objects.select_for_update()
        .select_related("practice")
        .filter(pk=pending.pk)
        .first()
    )
    if pending is None:
        raise ImportRefused(_("This import was already applied."))
    if blocking_problems(pending):
        raise ImportRefused(
            _("The file has problems to fix first (listed below). Fix it and upload it again.")
        )
    feed = None
    if pending.kind == Resource.Source.ICAL:
        feed = _uploaded_calendar(practice=pending.practice, name=pending.file_name, actor=actor)
    try:
        summary = _write(
            practice=pending.practice,
            source=pending.kind,
            rows=pending.rows,
            feed=feed,
        )
    except ValidationError as error:
        raise ImportRefused(
            _("Nothing was imported: %(why)s") % {"why": "; ".join(error.messages)}
        ) from error
    if feed is not None:
        feed.last_refreshed = timezone.now()
        feed.last_problem = ""
        feed.save(update_fields=["last_refreshed", "last_problem"])
    pending.delete()
    return summary


def _uploaded_calendar(*, practice: Practice, name: str, actor: User) -> CalendarSource:
    """An uploaded .ics file is a calendar too (without an address): uploading a file of the
    same name again replaces that calendar's events."""
    source = CalendarSource.objects.filter(practice=practice, url="", name=name).first()
    if source is None:
        source = CalendarSource(practice=practice, name=name, url="", created_by=actor)
        source.full_clean()
        source.save()
    return source


def _write(
    *, practice: Practice, source: str, rows: Iterable[dict], feed: CalendarSource | None
) -> ImportSummary:
    """Create, update and remove resources from rows (see `imports`), a batch at a time so
    that a feed's rows stream through. Rows that change nothing are not written, so
    refreshing an unchanged feed mostly reads. The caller holds the transaction."""
    summary = ImportSummary()
    interest_ids = dict(Interest.objects.values_list("key", "pk"))
    now = timezone.now()
    taken: set[str] = set()
    withdrawn: list[str] = []
    for batch in batched(rows, BATCH):
        listed = [row for row in batch if not row.get("withdrawn")]
        withdrawn += [row["key"] for row in batch if row.get("withdrawn")]
        taken.update(row["key"] for row in listed)
        resources, created, changed = _write_resources(
            practice=practice, source=source, rows=listed, feed=feed, now=now
        )
        _write_interests(rows=listed, resources=resources, interest_ids=interest_ids)
        changed |= _write_occurrences(rows=listed, resources=resources, summary=summary)
        summary.created += len(created)
        summary.updated += len(changed - created)
        summary.unchanged += len(listed) - len(created | changed)
    gone = []
    if feed is not None:  # a calendar speaks for all of its events
        gone = [
            pk
            for pk, key in Resource.objects.filter(feed=feed).values_list("pk", "source_key")
            if key not in taken
        ]
    for chunk in batched(withdrawn, BATCH):
        gone += Resource.objects.filter(
            practice=practice, source=source, source_key__in=chunk
        ).values_list("pk", flat=True)
    _remove(gone, summary, now=now)
    return summary


def _write_resources(*, practice, source, rows, feed, now) -> tuple[dict, set[str], set[str]]:
    """Create the new resources and update the changed ones: ({key: resource}, keys
    created, keys changed)."""
    existing = {
        resource.source_key: resource
        for resource in Resource.objects.filter(
            practice=practice, source=source, source_key__in=[row["key"] for row in rows]
        )
    }
    new, changed, update_fields = [], [], {"updated"}
    for row in rows:
        values = _values(row["fields"])
        resource = existing.get(row["key"])
        if resource is None:
            resource = Resource(
                practice=practice,
                source=source,
                source_key=row["key"],
                time_zone=practice.time_zone,
                feed=feed,
                **_defaults(source=source, feed=feed, values=values),
            )
            existing[row["key"]] = resource
            new.append(resource)
        else:
            values = {
                name: value for name, value in values.items() if getattr(resource, name) != value
            }
            if feed is not None and resource.feed_id != feed.pk:
                values["feed"] = feed  # an event adopted from another calendar
            if not values:
                continue
            changed.append(resource)
            update_fields.update(values)
        for name, value in values.items():
            setattr(resource, name, value)
        resource.updated = now
        try:
            resource.full_clean(
                exclude=["practice", "feed"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:  # the reader should have caught it; say where anyway
            reasons = [
                f"{name} {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            raise ValidationError(f"{row['where']}: {'; '.join(reasons)}") from error
    Resource.objects.bulk_create(new)
    if changed:
        Resource.objects.bulk_update(changed, sorted(update_fields))
    return (
        existing,
        {resource.source_key for resource in new},
        {resource.source_key for resource in changed},
    )


def _write_interests(*, rows, resources, interest_ids) -> None:
    """CSV rows say a resource's interests exactly; HSDS and iCal rows add theirs."""
    through = Resource.interests.through
    exact = [resources[row["key"]].pk for row in rows if "interests" in row]
    if exact:
        through.objects.filter(resource_id__in=exact).delete()
    through.objects.bulk_create(
        [
            through(resource_id=resources[row["key"]].pk, interest_id=interest_ids[key])
            for row in rows
            for key in row.get("interests", []) + row.get("add_interests", [])
            if key in interest_ids
        ],
        ignore_conflicts=True,
    )


def _write_occurrences(*, rows, resources, summary) -> set[str]:
    """Replace the dated meetings of each resource whose meetings changed; the keys of those."""
    dated = [row for row in rows if "occurrences" in row]
    if not dated:
        return set()
    current = defaultdict(list)
    meetings = ResourceOccurrence.objects.filter(
        resource_id__in=[resources[row["key"]].pk for row in dated]
    ).order_by("resource_id", "start")
    for resource_id, start, end, all_day in meetings.values_list(
        "resource_id", "start", "end", "all_day"
    ):
        current[resource_id].append((start, end, all_day))
    replaced, fresh = set(), []
    for row in dated:
        resource = resources[row["key"]]
        wanted = [
            (
                datetime.datetime.fromisoformat(start),
                datetime.datetime.fromisoformat(end) if end else None,
                all_day,
            )
            for start, end, all_day in row["occurrences"]
        ]
        summary.occurrences += len(wanted)
        if current.get(resource.pk, []) != wanted:
            replaced.add(row["key"])
            fresh += [
                ResourceOccurrence(resource=resource, start=start, end=end, all_day=all_day)
                for start, end, all_day in wanted
            ]
    if replaced:
        ResourceOccurrence.objects.filter(
            resource_id__in=[resources[key].pk for key in replaced]
        ).delete()
        ResourceOccurrence.objects.bulk_create(fresh)
    return replaced


def _remove(resource_ids: list[int], summary: ImportSummary, *, now) -> None:
    """Delete resources gone from their source, except those a client plans to go to: those
    keep their record (the plan points at it), lose their coming dates and their calendar."""
    for chunk in batched(resource_ids, BATCH):
        planned = set(
            Plan.objects.filter(resource_id__in=chunk).values_list("resource_id", flat=True)
        )
        deleted = [pk for pk in chunk if pk not in planned]
        if deleted:
            Resource.objects.filter(pk__in=deleted).delete()
            summary.removed += len(deleted)
        if planned:
            ResourceOccurrence.objects.filter(resource_id__in=planned, start__gte=now).delete()
            kept = Resource.objects.filter(pk__in=planned)
            summary.kept += list(kept.values_list("name", flat=True))
            kept.update(feed=None, weekday=None, start_time=None, end_time=None, updated=now)


def _values(fields: dict) -> dict:
    """Model values from a row's JSON-ready fields."""
    values = dict(fields)
    for name in ("start_time", "end_time"):
        if values.get(name):
            values[name] = datetime.time.fromisoformat(values[name])
    if values.get("last_verified"):
        values["last_verified"] = datetime.date.fromisoformat(values["last_verified"])
    if values.get("cost_per_session") is not None:
        values["cost_per_session"] = Decimal(values["cost_per_session"])
    return values


def _defaults(*, source: str, feed: CalendarSource | None, values: dict) -> dict:
    """What a new resource gets where its source says nothing."""
    if feed is not None:
        return {"kind": feed.default_kind, "social_intensity": feed.default_intensity}
    if source == Resource.Source.HSDS and values.get("online"):
        return {"kind": Resource.Kind.ONLINE}
    return {"kind": Resource.Kind.GROUP}


# -- calendar feeds ---------------------------------------------------------------------------


class FeedUnavailable(Exception):
    """The feed could not be fetched; the message says why."""


@transaction.atomic
def calendar_source_create(
    *,
    practice: Practice,
    actor: User,
    name: str,
    url: str,
    default_kind: str = Resource.Kind.EVENT,
    default_intensity: int = 2,
) -> CalendarSource:
    if CalendarSource.objects.filter(practice=practice, url=url).exists():
        raise ValidationError(_("This feed is already in your directory."))
    if default_intensity not in range(1, 6):
        raise ValidationError(_("Social intensity is a whole number from 1 to 5."))
    source = CalendarSource(
        practice=practice,
        name=name,
        url=url,
        default_kind=default_kind,
        default_intensity=default_intensity,
        created_by=actor,
    )
    source.full_clean()
    source.save()
    transaction.on_commit(lambda: refresh_calendar_source.enqueue(source_id=source.pk))
    return source


def _check_public(url: str) -> None:
    """Only http(s) to addresses on the public internet: a feed address must not reach the
    server's own network (its database, a cloud metadata service)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedUnavailable(_("The feed address must start with https:// or http://."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except ValueError as error:
        raise FeedUnavailable(_("The feed address is not valid.")) from error
    except (OSError, UnicodeError) as error:
        raise FeedUnavailable(
            _("The feed's host %(host)s cannot be found.") % {"host": parts.hostname}
        ) from error
    for *_rest, sockaddr in addresses:
        if not ipaddress.ip_address(sockaddr[0].split("%", 1)[0]).is_global:
            raise FeedUnavailable(
                _("The feed's host %(host)s is not on the public internet.")
                % {"host": parts.hostname}
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_public(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_calendar(url: str) -> bytes:
    """The feed's bytes: at most 5 MB, within 10 seconds, from a public address."""
    _check_public(url)
    opener = urllib.request.build_opener(_CheckedRedirects)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": "Outward calendar import", "Accept": "text/calendar, */*"}
    )
    deadline = time.monotonic() + FETCH_TIMEOUT
    chunks, size = [], 0
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT) as response:
            while size <= MAX_BYTES:
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:  # a feed that trickles in is given up on too
                    raise FeedUnavailable(_("The feed took longer than 10 seconds to arrive."))
    except urllib.error.HTTPError as error:
        raise FeedUnavailable(
            _("The feed answered %(status)s %(reason)s.")
            % {"status": error.code, "reason": error.reason}
        ) from error
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FeedUnavailable(
            _("The feed could not be reached (%(reason)s).") % {"reason": reason}
        ) from error
    if size > MAX_BYTES:
        raise FeedUnavailable(_("The feed is larger than 5 MB, more than Outward reads."))
    return b"".join(chunks)


def calendar_source_refresh(
    *, source: CalendarSource, now: datetime.datetime | None = None
) -> ImportSummary | None:
    """Fetch a feed and apply it all-or-nothing. On any failure, record the reason in
    `last_problem` and change nothing else. Events left out are listed in `last_problem` too
    (after a successful refresh, `last_refreshed` says so). None if it failed."""
    if not source.url:
        raise ImportRefused(
            _("This calendar was uploaded as a file: upload the file again to update it.")
        )
    now = now or timezone.now()
    practice = source.practice
    try:
        data = fetch_calendar(source.url)
        reader = imports.CalendarReader(
            data, time_zone=practice.time_zone, interests=_interests(), now=now, weeks=WEEKS_AHEAD
        )
        if reader.blocking:
            raise ImportRefused(next(p["why"] for p in reader.problems if p["blocking"]))
        with transaction.atomic():
            locked = CalendarSource.objects.select_for_update().get(pk=source.pk)
            summary = _write(
                practice=practice, source=Resource.Source.ICAL, rows=reader.rows(), feed=locked
            )
            notes = [f"{p['where']}: {p['why']}" for p in reader.problems]
            locked.last_refreshed = now
            locked.last_problem = _left_out(notes)
            locked.save(update_fields=["last_refreshed", "last_problem"])
    except (FeedUnavailable, ImportRefused, ValidationError) as error:
        why = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        CalendarSource.objects.filter(pk=source.pk).update(last_problem=why)
        source.last_problem = why
        return None
    source.last_refreshed, source.last_problem = locked.last_refreshed, locked.last_problem
    return summary


def _left_out(notes: list[str]) -> str:
    if not notes:
        return ""
    text = _("Refreshed, but some events were left out: %(notes)s") % {
        "notes": " · ".join(notes[:20])
    }
    return text + (" · …" if len(notes) > 20 else "")


@task()
def refresh_calendar_source(*, source_id: int) -> bool:
    """Refresh one feed; True if it worked. A feed deleted meanwhile is nothing to do."""
    source = CalendarSource.objects.select_related("practice").filter(pk=source_id).first()
    if source is None or not source.url:
        return False
    return calendar_source_refresh(source=source) is not None


@task()
def refresh_calendar_sources() -> int:
    """Enqueue a refresh of every feed (one task each, so one slow feed holds up no other).
    Idempotent: a refresh replaces a feed's events, so running it twice changes nothing."""
    return calendar_sources_enqueue()


def calendar_sources_enqueue() -> int:
    count = 0
    feeds = CalendarSource.objects.exclude(url="").order_by("pk").values_list("pk", flat=True)
    for source_id in feeds.iterator(chunk_size=500):
        refresh_calendar_source.enqueue(source_id=source_id)
        count += 1
    return count
