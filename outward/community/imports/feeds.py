"""Calendar feeds: an iCalendar address a practice adds, read at once and then every few
hours in the task worker, each refresh applied all-or-nothing as an import is (through
`services`, whose staging it shares)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care.models import Practice
from outward.lib import net

from ..directory import services as directory_services
from ..models import CalendarSource, PendingImport, Resource
from . import ical
from .services import (
    MAX_BYTES,
    WEEKS_AHEAD,
    ImportRefused,
    ImportSummary,
    _interests,
    _unstage,
    _write,
    pending_imports_expire,
    practice_region,
)

FETCH_TIMEOUT = 10  # seconds


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


def fetch_calendar(url: str) -> bytes:
    """The feed's bytes: at most 5 MB, within 10 seconds in all, from a public address
    (connected to as checked: see `outward.lib.net.fetch_public`)."""
    try:
        return net.fetch_public(
            url,
            max_bytes=MAX_BYTES,
            deadline=FETCH_TIMEOUT,
            headers={"User-Agent": "Outward calendar import", "Accept": "text/calendar, */*"},
        )
    except net.FetchRefused as refused:
        raise FeedUnavailable(str(refused)) from refused


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
    run = None
    try:
        data = fetch_calendar(source.url)
        reader = ical.CalendarReader(
            data,
            time_zone=practice.time_zone,
            interests=_interests(practice),
            now=now,
            weeks=WEEKS_AHEAD,
            region=practice_region(practice),
        )
        if reader.blocking:
            raise ImportRefused(next(p["why"] for p in reader.problems if p["blocking"]))
        run = PendingImport.objects.create(
            practice=practice,
            kind=Resource.Source.ICAL,
            file_name=source.name[:200],
            state=PendingImport.State.APPLYING,
            total=reader.event_count,
            created_by_id=source.created_by_id,
        )
        started = timezone.now()  # the wall clock `_write` stamps `updated` with
        summary = _write(
            run=run, practice=practice, source=Resource.Source.ICAL, rows=reader.rows(), feed=source
        )
        notes = [f"{p['where']}: {p['why']}" for p in reader.problems]
        source.last_refreshed, source.last_problem = now, _left_out(notes)
        with transaction.atomic():
            CalendarSource.objects.filter(pk=source.pk).update(
                last_refreshed=source.last_refreshed, last_problem=source.last_problem
            )
            run.delete()
    except (FeedUnavailable, ImportRefused, ValidationError, IntegrityError) as error:
        why = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if run is not None:
            _unstage(run)
            run.delete()
        CalendarSource.objects.filter(pk=source.pk).update(last_problem=why)
        source.last_problem = why
        return None
    # New and changed entries without coordinates are placed as an import's are.
    directory_services.locate(practice=practice, since=started)
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
    Idempotent: a refresh replaces a feed's events, so running it twice changes nothing.
    Expired import previews are let go on the way."""
    pending_imports_expire()
    return calendar_sources_enqueue()


def calendar_sources_enqueue() -> int:
    count = 0
    feeds = CalendarSource.objects.exclude(url="").order_by("pk").values_list("pk", flat=True)
    for source_id in feeds.iterator(chunk_size=500):
        refresh_calendar_source.enqueue(source_id=source_id)
        count += 1
    return count
