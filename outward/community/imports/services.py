"""Writes for directory imports: preview a file, map a CSV's columns, apply it all-or-nothing
(calendar feeds, in `feeds`, apply through the same staging). Directory rows are the
practice's, not a client's, so nothing here is audited against a client.

Reading and applying run in the task worker (`read_import`, `apply_import`), as a run
(`PendingImport`) whose state and progress the page polls. An apply stages its rows a batch
per short transaction and switches them live in one short final step (see `_write`), so it
never holds SQLite's write lock for more than a moment, and the practice sees all of it or
none of it. Limits: 5 MB a file, `formats.MAX_ROWS` entries, `MAX_STORED_BYTES` of preview,
kept for a day.

Re-importing updates a resource found by (practice, source, source key) and never adds it
twice. An iCalendar import speaks for its whole calendar: events no longer in it are removed
from the directory (that calendar's only) and every event's meetings are replaced. CSV and
HSDS imports speak only for their rows: a resource missing from the file stays (an HSDS
service marked inactive is removed). A resource a client has a plan for is never deleted:
it stays, without dates, and the report says so. The same group from two sources is
flagged, not merged (`duplicates_flag`)."""

from __future__ import annotations

import contextlib
import copy
import datetime
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.base import ModelState
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import Practice, SecurityEvent

from ..directory import services as directory_services
from ..interests.selectors import lookup_for
from ..matching.ranking import bounding_box
from ..models import (
    RESOURCE_FIELDS,
    Area,
    CalendarSource,
    ColumnMapping,
    Interest,
    PendingImport,
    Plan,
    Resource,
    ResourceOccurrence,
)
from . import csvfile, hsds, ical
from .formats import Parsed

MAX_BYTES = 5 * 1024 * 1024
WEEKS_AHEAD = 8
BATCH = 250  # rows staged per transaction: each holds the write lock for a moment only
YIELD_AT_MOST = 0.1  # seconds; between batches, as long as the batch held the lock, at most
# A preview nobody applied is let go after a day (rows can be thousands; they are the
# practice's to re-upload, not ours to keep).
PENDING_KEPT_FOR = PendingImport.KEPT_FOR
# What a preview may keep of its rows and problems, as JSON.
MAX_STORED_BYTES = 32 * 1024 * 1024
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
    duplicates: int = 0  # entries the same as one from another source (flagged)
    kept: list[str] = field(default_factory=list)  # removed from the source, but planned

    @property
    def added_nothing(self) -> bool:
        return not (self.created or self.updated or self.removed)

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
        if self.duplicates:
            text += " " + ngettext(
                "%(count)s entry in the directory is the same group as one from another "
                "source: it is flagged and not suggested twice.",
                "%(count)s entries in the directory are the same group as ones from another "
                "source: they are flagged and not suggested twice.",
                self.duplicates,
            ) % {"count": self.duplicates}
        if self.kept:
            text += " " + _(
                "Kept because a client plans to go, though no longer in the source: %(names)s."
            ) % {"names": ", ".join(self.kept[:10]) + ("…" if len(self.kept) > 10 else "")}
        return text


def practice_region(practice: Practice) -> ical.Region | None:
    """The practice's region: the box around its areas widened by REGION_KM (one query);
    None for a practice with no areas yet, whose events are then not checked."""
    boxes = [
        bounding_box(latitude, longitude, ical.REGION_KM)
        for latitude, longitude in Area.objects.filter(practice=practice).values_list(
            "latitude", "longitude"
        )
    ]
    if not boxes:
        return None
    wests, easts = [box[2] for box in boxes], [box[3] for box in boxes]
    unbounded = None in wests or None in easts
    return ical.Region(
        south=min(box[0] for box in boxes),
        north=max(box[1] for box in boxes),
        west=None if unbounded else min(wests),
        east=None if unbounded else max(easts),
    )


def _interests(practice: Practice) -> Mapping[str, str]:
    """Every interest by key, label and synonym, the practice's own words included."""
    return lookup_for(practice=practice)


def _parse(*, kind: str, data: bytes, practice: Practice, mapping: list[str]) -> Parsed:
    if kind == Resource.Source.CSV:
        return _parse_csv(data=data, practice=practice, mapping=mapping)
    if kind == Resource.Source.HSDS:
        return hsds.parse_hsds(data, interests=_interests(practice))
    if kind == Resource.Source.ICAL:
        return ical.parse_ical(
            data,
            time_zone=practice.time_zone,
            interests=_interests(practice),
            now=timezone.now(),
            weeks=WEEKS_AHEAD,
            region=practice_region(practice),
        )
    raise ImportRefused(_("Choose CSV, Open Referral (HSDS) or iCalendar."))


def _parse_csv(*, data: bytes, practice: Practice, mapping: list[str]) -> Parsed:
    """A CSV read with the mapping the admin chose on the preview; the first time, with the
    practice's saved mapping for a file with this header, else the one suggested from it."""
    interests = _interests(practice)
    parsed = csvfile.parse_csv(data, interests=interests, mapping=mapping or None)
    if mapping or not parsed.header:
        return parsed
    saved = (
        ColumnMapping.objects.filter(
            practice=practice, signature=csvfile.header_signature(parsed.header)
        )
        .values_list("mapping", flat=True)
        .first()
    )
    if saved and saved != parsed.mapping and len(saved) == len(parsed.header):
        parsed = csvfile.parse_csv(data, interests=interests, mapping=saved)
    return parsed


def import_remap(*, pending: PendingImport, mapping: list[str], actor: User) -> PendingImport:
    """Read a previewed CSV again with the columns mapped as the admin chose, and save the
    mapping for the practice's next file with the same header. Nothing in the directory
    changes."""
    if (
        pending.kind != Resource.Source.CSV
        or pending.state != PendingImport.State.READY
        or len(mapping) != len(pending.header)
    ):
        raise ImportRefused(_("This preview cannot be changed any more. Upload the file again."))
    named = [name for name in mapping if name]
    if any(name not in csvfile.FIELD_NAMES for name in named) or len(named) != len(set(named)):
        raise ImportRefused(_("Map each of Outward's fields to one column at most."))
    with transaction.atomic():
        claimed = PendingImport.objects.filter(
            pk=pending.pk, state=PendingImport.State.READY
        ).update(state=PendingImport.State.QUEUED, mapping=mapping)
        if not claimed:  # applied or mapped again meanwhile (another tab)
            raise ImportRefused(
                _("This preview cannot be changed any more. Upload the file again.")
            )
        ColumnMapping.objects.update_or_create(
            practice=pending.practice,
            signature=csvfile.header_signature(pending.header),
            defaults={"mapping": mapping},
        )
    read_import.enqueue(pending_id=pending.pk)
    pending.refresh_from_db()
    return pending


def _too_big() -> ImportRefused:
    return ImportRefused(
        _("The file is larger than 5 MB. Split it into smaller files and import each.")
    )


def import_preview(*, practice: Practice, kind: str, uploaded_file, actor: User) -> PendingImport:
    """Keep an uploaded file and have the task worker read it into a preview (its rows and
    every problem) for the therapist to look at before applying. Nothing in the directory
    changes. The page follows the run's `state`; under the immediate task backend (tests) it
    is read before this returns."""
    if kind not in UPLOAD_KINDS:
        raise ImportRefused(_("Choose CSV, Open Referral (HSDS) or iCalendar."))
    if uploaded_file.size is not None and uploaded_file.size > MAX_BYTES:
        raise _too_big()
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_big()
    pending_imports_expire()
    pending = PendingImport(
        practice=practice,
        kind=kind,
        file_name=(uploaded_file.name or "upload").rsplit("/", 1)[-1][-200:],
        upload=data,
        created_by=actor,
    )
    pending.full_clean(exclude=["rows", "problems", "upload"])
    pending.save()
    read_import.enqueue(pending_id=pending.pk)
    pending.refresh_from_db()
    return pending


def pending_imports_expire(*, now: datetime.datetime | None = None) -> int:
    """Let previews (and finished runs) older than PENDING_KEPT_FOR go, with anything they
    left staged. Idempotent; run on every upload and by the periodic feed refresh."""
    cutoff = (now or timezone.now()) - PENDING_KEPT_FOR
    expired = list(PendingImport.objects.filter(created__lt=cutoff).values_list("pk", flat=True))
    for chunk in batched(expired, 50):  # each its own short write
        with transaction.atomic():
            PendingImport.objects.filter(pk__in=chunk).delete()
    return len(expired)


@task()
def read_import(*, pending_id: int) -> str:
    """Read an uploaded file into its preview (the worker's half of `import_preview`)."""
    claimed = PendingImport.objects.filter(pk=pending_id, state=PendingImport.State.QUEUED).update(
        state=PendingImport.State.READING
    )
    if not claimed:  # read already, or expired meanwhile
        return "nothing to do"
    pending = PendingImport.objects.select_related("practice").get(pk=pending_id)
    try:
        parsed = _parse(
            kind=pending.kind,
            data=bytes(pending.upload),
            practice=pending.practice,
            mapping=pending.mapping,
        )
        stored = len(json.dumps(parsed.rows)) + len(json.dumps(parsed.problems))
        if stored > MAX_STORED_BYTES:
            raise ImportRefused(
                _(
                    "The file's entries would take more than %(size)s MB to keep for the "
                    "preview. Split it into smaller files and import each."
                )
                % {"size": MAX_STORED_BYTES // (1024 * 1024)}
            )
    except ImportRefused as refused:
        parsed = Parsed()
        parsed.problem(_("file"), str(refused), blocking=True)
    except Exception:  # a reader's bug must not leave the page waiting for ever
        PendingImport.objects.filter(pk=pending_id).update(
            state=PendingImport.State.FAILED,
            upload=b"",
            outcome=_("The file could not be read. Nothing was imported."),
        )
        raise
    pending.rows, pending.problems = parsed.rows, parsed.problems
    pending.header, pending.mapping, pending.samples = (
        parsed.header,
        parsed.mapping,
        parsed.samples,
    )
    pending.bad_rows = parsed.bad_rows
    if pending.kind != Resource.Source.CSV:  # a CSV is kept (a day at most) to map it again
        pending.upload = b""
    pending.state = PendingImport.State.READY
    pending.total = sum(1 for row in parsed.rows if not row.get("withdrawn"))
    pending.save(
        update_fields=[
            "rows",
            "problems",
            "upload",
            "state",
            "total",
            "header",
            "mapping",
            "samples",
            "bad_rows",
        ]
    )
    return pending.state


def blocking_problems(pending: PendingImport) -> list[dict]:
    return [problem for problem in pending.problems if problem.get("blocking")]


def import_apply_start(
    *, pending: PendingImport, actor: User, strict: bool = False
) -> PendingImport:
    """Hand a previewed import to the task worker to apply (see `import_apply`). In strict
    mode a file with any row left out is refused."""
    _claim(pending, strict=strict)
    apply_import.enqueue(pending_id=pending.pk)
    pending.refresh_from_db()
    return pending


def _claim(pending: PendingImport, *, strict: bool = False) -> None:
    """Ready → applying, once: a second click or a second tab is refused."""
    if blocking_problems(pending):
        raise ImportRefused(
            _("The file has problems to fix first (listed below). Fix it and upload it again.")
        )
    if strict and pending.bad_rows:
        raise ImportRefused(
            ngettext(
                "Strict mode: %(count)s row has a problem (listed below), so nothing was "
                "imported. Fix the file and upload it again, or apply without strict mode.",
                "Strict mode: %(count)s rows have problems (listed below), so nothing was "
                "imported. Fix the file and upload it again, or apply without strict mode.",
                pending.bad_rows,
            )
            % {"count": pending.bad_rows}
        )
    claimed = PendingImport.objects.filter(pk=pending.pk, state=PendingImport.State.READY).update(
        state=PendingImport.State.APPLYING, done=0
    )
    if not claimed:
        raise ImportRefused(_("This import was already applied."))


@task()
def apply_import(*, pending_id: int) -> str:
    """The worker's half of applying. A retry of the same task is harmless: it starts the
    staging again from nothing, and a run already applied is not applied twice."""
    pending = (
        PendingImport.objects.select_related("practice", "created_by")
        .filter(pk=pending_id, state=PendingImport.State.APPLYING)
        .first()
    )
    if pending is None:
        return "nothing to do"
    with contextlib.suppress(ImportRefused):  # _apply recorded why
        _apply(pending)
    return PendingImport.objects.filter(pk=pending_id).values_list("state", flat=True).first()


def import_apply(*, pending: PendingImport, actor: User, strict: bool = False) -> ImportSummary:
    """Apply a previewed import here and now: every row, or (on any failure) none. The
    preview is used up: applying it again is refused."""
    _claim(pending, strict=strict)
    pending = PendingImport.objects.select_related("practice", "created_by").get(pk=pending.pk)
    return _apply(pending)


def _apply(pending: PendingImport) -> ImportSummary:
    """Stage the rows in short transactions, then switch them live in one short step. On
    failure the directory is as it was, staging is let go and the run says why."""
    feed = None
    started = timezone.now()
    try:
        if pending.kind == Resource.Source.ICAL:
            feed = _uploaded_calendar(
                practice=pending.practice, name=pending.file_name, actor=pending.created_by
            )
        summary = _write(
            run=pending,
            practice=pending.practice,
            source=pending.kind,
            rows=pending.rows,
            feed=feed,
            total=pending.total,
        )
    except (ValidationError, IntegrityError) as error:
        why = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        _unstage(pending)
        outcome = _("Nothing was imported: %(why)s") % {"why": why}
        PendingImport.objects.filter(pk=pending.pk).update(
            state=PendingImport.State.FAILED, outcome=outcome
        )
        raise ImportRefused(outcome) from error
    except Exception:
        _unstage(pending)
        PendingImport.objects.filter(pk=pending.pk).update(
            state=PendingImport.State.FAILED,
            outcome=_("Something went wrong; nothing was imported. Try again later."),
        )
        raise
    # Entries without coordinates: from the practice's centroid file, or placed in an area.
    directory_services.locate(practice=pending.practice, since=started)
    # The practice's security log: who imported which file, and how much it changed (counts
    # only: the summary's text may name groups a client plans to go to).
    care_services.security_event_record(
        practice=pending.practice,
        actor=pending.created_by,
        action=SecurityEvent.Action.DIRECTORY_IMPORT,
        target=pending.file_name,
        after=f"{summary.created} added, {summary.updated} updated, {summary.removed} removed",
    )
    return summary


def _unstage(run: PendingImport) -> None:
    """Let go of what a run staged, a batch at a time."""
    staged = Resource.everything.filter(staged_by=run).order_by("-pk")
    while ids := list(staged.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            Resource.everything.filter(pk__in=ids).delete()


def _uploaded_calendar(*, practice: Practice, name: str, actor: User) -> CalendarSource:
    """An uploaded .ics file is a calendar too (without an address): uploading a file of the
    same name again replaces that calendar's events."""
    source = CalendarSource.objects.filter(practice=practice, url="", name=name).first()
    if source is None:
        source = CalendarSource(practice=practice, name=name, url="", created_by=actor)
        source.full_clean()
        source.save()
    return source


# Copied from a staged row onto the live resource it replaces, in the final step.
COPIED_FIELDS = (*RESOURCE_FIELDS, "tags", "time_zone", "feed", "updated")


def _write(
    *,
    run: PendingImport,
    practice: Practice,
    source: str,
    rows: Iterable[dict],
    feed: CalendarSource | None,
    total: int = 0,
) -> ImportSummary:
    """Create, update and remove resources from rows (see `imports`).

    First the rows are staged, a batch per short transaction: a new resource as a staged row,
    a changed one as a staged copy that `replaces` it (with its full interests and, for a
    calendar, its meetings). Rows that change nothing are not written, so refreshing an
    unchanged feed mostly reads. Then one short transaction switches them live: copies onto
    the live rows (their ids, and so the plans that point at them, stay), new rows made
    live, resources gone from the source removed. Until then nobody sees any of it: the
    import is all-or-nothing for the practice, yet never holds SQLite's write lock for long.
    """
    summary = ImportSummary()
    interest_ids = dict(Interest.objects.values_list("key", "pk"))
    now = timezone.now()
    taken: set[str] = set()
    withdrawn: list[str] = []
    _unstage(run)  # what an earlier, failed attempt left
    done = 0
    changed_fields: set[str] = set()
    for batch in batched(rows, BATCH):
        listed = [row for row in batch if not row.get("withdrawn")]
        withdrawn += [row["key"] for row in batch if row.get("withdrawn")]
        taken.update(row["key"] for row in listed)
        staged = _stage_batch(
            run=run,
            practice=practice,
            source=source,
            rows=listed,
            feed=feed,
            now=now,
            interest_ids=interest_ids,
            summary=summary,
        )
        done += len(listed)
        changed_fields |= staged["fields"]
        summary.created += staged["created"]
        summary.updated += staged["updated"]
        summary.unchanged += len(listed) - staged["created"] - staged["updated"]
        # Give way: SQLite hands its write lock to whoever asks first, and a writer that is
        # waiting polls; without a pause this loop would take the lock straight back.
        # (PostgreSQL locks rows, not the database: nobody is waiting.)
        if connection.vendor == "sqlite":
            time.sleep(min(staged["seconds"], YIELD_AT_MOST))
    with transaction.atomic():
        run = PendingImport.objects.select_for_update().get(pk=run.pk)
        if run.state != PendingImport.State.APPLYING:
            raise ImportRefused(_("This import was already applied."))
        _switch_live(run=run, source=source, fields=changed_fields)
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
        summary.duplicates = duplicates_flag(practice=practice)
        run.state, run.outcome, run.rows, run.upload, run.done, run.added_nothing = (
            PendingImport.State.APPLIED,
            summary.message(),
            [],
            b"",
            done,
            summary.added_nothing,
        )
        run.save(update_fields=["state", "outcome", "rows", "upload", "done", "added_nothing"])
    return summary


def _stage_batch(
    *, run, practice, source, rows, feed, now, interest_ids, summary
) -> dict[str, int]:
    """Stage one batch of rows in one short transaction; how many are new and changed."""
    keys = [row["key"] for row in rows]
    live = {
        resource.source_key: resource
        for resource in Resource.objects.filter(
            practice=practice, source=source, source_key__in=keys
        )
    }
    live_interests: dict[int, set[int]] = defaultdict(set)
    for resource_id, interest_id in Resource.interests.through.objects.filter(
        resource_id__in=[resource.pk for resource in live.values()]
    ).values_list("resource_id", "interest_id"):
        live_interests[resource_id].add(interest_id)
    live_meetings = _meetings([resource.pk for resource in live.values()])
    staged, interests, meetings = [], {}, {}
    created = updated = 0
    changed_fields: set[str] = set()
    for row in rows:
        values = _values(row["fields"])
        current = live.get(row["key"])
        wanted_meetings = _wanted_meetings(row)
        summary.occurrences += len(wanted_meetings or [])
        named = {
            interest_ids[key]
            for key in row.get("interests", []) + row.get("add_interests", [])
            if key in interest_ids
        }
        if current is None:
            resource = Resource(
                practice=practice,
                source=source,
                source_key=row["key"],
                time_zone=practice.time_zone,
                feed=feed,
                **_defaults(
                    source=source, feed=feed, values=values, recurring=row.get("recurring", False)
                ),
            )
            wanted_interests = named
            created += 1
        else:
            changes = {
                name: value for name, value in values.items() if getattr(current, name) != value
            }
            if feed is not None and current.feed_id != feed.pk:
                changes["feed"] = feed  # an event adopted from another calendar
            wanted_interests = named if "interests" in row else live_interests[current.pk] | named
            same_meetings = wanted_meetings is None or wanted_meetings == live_meetings.get(
                current.pk, []
            )
            if not changes and wanted_interests == live_interests[current.pk] and same_meetings:
                continue
            resource = copy.copy(current)  # staged as a new row, a copy of the live one
            resource.pk = resource.id = None
            resource._state = ModelState()
            resource.replaces_id = current.pk
            values = changes
            changed_fields.update(changes)
            updated += 1
        for name, value in values.items():
            setattr(resource, name, value)
        resource.staged_by = run
        resource.updated = now
        _check(resource, row)
        staged.append(resource)
        interests[row["key"]] = wanted_interests
        meetings[row["key"]] = wanted_meetings
    started = time.monotonic()
    with transaction.atomic():
        Resource.everything.bulk_create(staged)
        through = Resource.interests.through
        through.objects.bulk_create(
            [
                through(resource_id=resource.pk, interest_id=interest_id)
                for resource in staged
                for interest_id in interests[resource.source_key]
            ]
        )
        ResourceOccurrence.objects.bulk_create(
            [
                ResourceOccurrence(resource=resource, start=start, end=end, all_day=all_day)
                for resource in staged
                for start, end, all_day in meetings[resource.source_key] or []
            ]
        )
        PendingImport.objects.filter(pk=run.pk).update(done=F("done") + len(rows))
    return {
        "created": created,
        "updated": updated,
        "fields": changed_fields,
        "seconds": time.monotonic() - started,
    }


def _check(resource: Resource, row: dict) -> None:
    try:
        resource.full_clean(
            exclude=["practice", "feed", "staged_by", "replaces"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:  # the reader should have caught it; say where anyway
        reasons = [
            f"{name} {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise ValidationError(f"{row['where']}: {'; '.join(reasons)}") from error


def _meetings(resource_ids: list[int]) -> dict[int, list[tuple]]:
    current = defaultdict(list)
    meetings = ResourceOccurrence.objects.filter(resource_id__in=resource_ids).order_by(
        "resource_id", "start"
    )
    for resource_id, start, end, all_day in meetings.values_list(
        "resource_id", "start", "end", "all_day"
    ):
        current[resource_id].append((start, end, all_day))
    return current


def _wanted_meetings(row: dict) -> list[tuple] | None:
    """A calendar row's dated meetings; None for a row that says nothing of them."""
    if "occurrences" not in row:
        return None
    return [
        (
            datetime.datetime.fromisoformat(start),
            datetime.datetime.fromisoformat(end) if end else None,
            all_day,
        )
        for start, end, all_day in row["occurrences"]
    ]


def _switch_live(*, run: PendingImport, source: str, fields: set[str]) -> None:
    """The final step, inside the caller's transaction: a handful of set-wise statements,
    whatever the size of the import."""
    copies = Resource.everything.filter(staged_by=run, replaces__isnull=False)
    replaced = copies.values("replaces_id")
    if copies.exists():
        Resource.everything.filter(pk__in=replaced).update(
            **{
                name: Subquery(  # by the unique replaces_id: one index probe a row
                    Resource.everything.filter(replaces_id=OuterRef("pk")).values(name)[:1]
                )
                for name in COPIED_FIELDS
                if name in fields or name == "updated"  # only columns some row changed
            }
        )
        to_live = Subquery(
            Resource.everything.filter(pk=OuterRef("resource_id")).values("replaces_id")[:1]
        )
        through = Resource.interests.through
        through.objects.filter(resource_id__in=replaced).delete()
        through.objects.filter(resource_id__in=copies.values("pk")).update(resource_id=to_live)
        if source == Resource.Source.ICAL:  # a calendar's rows carry every meeting
            ResourceOccurrence.objects.filter(resource_id__in=replaced).delete()
            ResourceOccurrence.objects.filter(resource_id__in=copies.values("pk")).update(
                resource_id=to_live
            )
        # Their interests and meetings have moved and nothing else can point at a staged
        # row, so a plain DELETE does (Django's cascade collector would load 10,000 rows
        # into Python inside this transaction). A new table pointing here would make the
        # database refuse it, not lose anything.
        copies._raw_delete(copies.db)
    Resource.everything.filter(staged_by=run).update(staged_by=None)


# Which of two entries for the same group stays in the suggestions: one a person added by
# hand, then the practice's own list, then a published directory, then a calendar.
SOURCE_RANK = {
    Resource.Source.MANUAL: 0,
    Resource.Source.CSV: 1,
    Resource.Source.HSDS: 2,
    Resource.Source.ICAL: 3,
}


def duplicates_flag(*, practice: Practice) -> int:
    """Flag entries of the practice that are the same group as an entry from another source:
    the same name and place (postcode, else the address; or both online), normalised. The
    one from the most trusted source (`SOURCE_RANK`, then the oldest) stays as it is; each
    other points at it (`duplicate_of`) and is never suggested. Entries of one source are
    left alone (a club meeting twice a week is two rows of one list). Reads the practice's
    names and addresses once and writes only what changed; how many are flagged."""
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    current = {}
    for pk, name, address, postcode, online, source, duplicate_of in Resource.objects.filter(
        practice=practice
    ).values_list("pk", "name", "address", "postcode", "online", "source", "duplicate_of"):
        current[pk] = duplicate_of
        if online and not (address or postcode):
            place = "online"
        else:
            place = csvfile.place_key(postcode or address)
        if place:
            groups[(csvfile.normalised(name), place)].append((SOURCE_RANK[source], pk, source))
    wanted: dict[int, int | None] = dict.fromkeys(current)
    for members in groups.values():
        if len({source for _rank, _pk, source in members}) < 2:
            continue
        members.sort()
        keeper = members[0]
        for _rank, pk, source in members[1:]:
            if source != keeper[2]:
                wanted[pk] = keeper[1]
    changed = [
        Resource(pk=pk, duplicate_of_id=target)
        for pk, target in wanted.items()
        if current[pk] != target
    ]
    Resource.objects.bulk_update(changed, ["duplicate_of"], batch_size=BATCH)  # CASE a batch
    return sum(1 for target in wanted.values() if target is not None)


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


def _defaults(
    *, source: str, feed: CalendarSource | None, values: dict, recurring: bool = False
) -> dict:
    """What a new resource gets where its source says nothing. A calendar's kind is its
    default, except that a series that meets again and again is a group, not an event."""
    if feed is not None:
        kind = feed.default_kind
        if recurring and kind == Resource.Kind.EVENT:
            kind = Resource.Kind.GROUP
        return {"kind": kind, "social_intensity": feed.default_intensity}
    if source == Resource.Source.HSDS and values.get("online"):
        return {"kind": Resource.Kind.ONLINE}
    return {"kind": Resource.Kind.GROUP}
