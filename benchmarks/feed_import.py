"""How importing a big calendar feed scales: time and peak memory for 10,000 events.

Generates an iCalendar feed of N events (default 10,000) in the coming 8 weeks: a third
weekly series (some with an EXDATE and a moved or cancelled meeting), the rest one-off events,
in Europe/London time, floating time, UTC and all-day. Then, in a fresh temporary SQLite
database, it measures:

  baseline   parsing only: `icalendar.Calendar.from_ical` of the whole file and a walk over
             its events (what any importer pays before doing anything)
  read       `ical.CalendarReader`: Outward's parse, one series at a time, expanded for 8
             weeks with `recurring_ical_events`, every row made and let go (no database)
  refresh    `calendar_source_refresh`: fetch (stubbed) + read + write everything into the
             directory in one transaction (resources, interests, dated meetings)
  again      the same refresh a second time (every event updated, none duplicated)
  preview    the upload path: `import_preview` (rows stored for the preview page) and then
             `import_apply` of that preview, into a second practice

Each is run once for time (wall clock) and once under tracemalloc for its peak of Python
allocations (tracemalloc slows code down, so the two runs are separate).

    .venv/bin/python benchmarks/feed_import.py [--events 10000]
"""

import argparse
import datetime
import random
import sys
import time
import tracemalloc

from benchmarking import engine_name, fresh_django, machine

TEXT = [
    "friendly relaxed beginners welcome weekly evening morning chat tea coffee library hall",
    "centre park river canal church garden studio workshop board games choir walk knit book",
    "club craft pottery quiz language cafe repair football yoga",
]
WORDS = " ".join(TEXT).split()
CATEGORIES = ["Games", "Music", "Books and writing", "Arts and crafts", "Nature and outdoors"]


def feed(events: int, now: datetime.datetime, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Outward benchmark//EN",
        "X-WR-CALNAME:Benchmark",
    ]
    for n in range(events):
        day = now.date() + datetime.timedelta(days=rng.randrange(1, 50))
        start = datetime.datetime.combine(day, datetime.time(rng.randrange(9, 21), 30))
        end = start + datetime.timedelta(hours=rng.choice([1, 2, 3]))
        title = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
        body = [
            "BEGIN:VEVENT",
            f"UID:event-{n}@benchmark.example",
            f"SUMMARY:{title}",
            "DESCRIPTION:" + " ".join(rng.choice(WORDS) for _ in range(25)),
            f"LOCATION:{rng.randrange(1, 200)} High Street\\, Manchester",
            f"CATEGORIES:{rng.choice(CATEGORIES)}",
            f"DTSTAMP:{now:%Y%m%dT%H%M%SZ}",
        ]
        style = n % 6
        if style == 0:  # all-day
            body += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}"]
        elif style == 1:  # floating
            body += [f"DTSTART:{start:%Y%m%dT%H%M%S}", f"DTEND:{end:%Y%m%dT%H%M%S}"]
        elif style == 2:  # UTC
            body += [f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{end:%Y%m%dT%H%M%SZ}"]
        else:
            body += [
                f"DTSTART;TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
                f"DTEND;TZID=Europe/London:{end:%Y%m%dT%H%M%S}",
            ]
        recurring = n % 3 == 0 and style != 0
        if recurring:
            body.append("RRULE:FREQ=WEEKLY")
            skipped = start + datetime.timedelta(weeks=2)
            if style == 3:
                body.append(f"EXDATE;TZID=Europe/London:{skipped:%Y%m%dT%H%M%S}")
        body.append("END:VEVENT")
        if recurring and style >= 3 and n % 2:  # a moved or cancelled meeting
            moved = start + datetime.timedelta(weeks=3)
            body += [
                "BEGIN:VEVENT",
                f"UID:event-{n}@benchmark.example",
                f"RECURRENCE-ID;TZID=Europe/London:{moved:%Y%m%dT%H%M%S}",
                f"SUMMARY:{title}",
                f"DTSTART;TZID=Europe/London:{moved + datetime.timedelta(hours=1):%Y%m%dT%H%M%S}",
                f"DTEND;TZID=Europe/London:{moved + datetime.timedelta(hours=2):%Y%m%dT%H%M%S}",
                *(["STATUS:CANCELLED"] if n % 4 == 1 else []),
                "END:VEVENT",
            ]
        lines += body
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def measure(function, setup=lambda: None):
    """(seconds, peak MB, result): one timed run, then one run under tracemalloc; `setup`
    runs before each, outside the measurement."""
    setup()
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    setup()
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6, result


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    with fresh_django(tasks_immediate=True) as data_dir:
        import icalendar
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection
        from django.utils import timezone

        from outward.community.imports import feeds as calendar_feeds
        from outward.community.imports import ical
        from outward.community.imports import services as import_services
        from outward.community.models import CalendarSource, Resource, ResourceOccurrence
        from outward.seeding import seed_load

        engine = engine_name(connection)
        print(machine(f"icalendar {icalendar.__version__}"))
        print(f"Database: {engine}, fresh temporary file in {data_dir}")

        now = timezone.now()
        data = feed(args.events, now)
        print(f"Feed: {args.events:,} events, {len(data) / 1e6:.1f} MB of iCalendar\n")
        practice = seed_load(therapists=1, clients=1, notes_per_client=0, seed=1)
        other = seed_load(therapists=1, clients=1, notes_per_client=0, seed=2)
        practice.time_zone = "Europe/London"
        practice.save()
        therapist = practice.members.first().user
        source = CalendarSource.objects.create(
            practice=practice,
            name="Benchmark",
            url="https://feed.example/benchmark.ics",
            created_by=therapist,
        )
        calendar_feeds.fetch_calendar = lambda url: data  # no network in a benchmark
        interests = import_services._interests()

        def baseline():
            calendar = icalendar.Calendar.from_ical(data)
            return len(calendar.walk("VEVENT"))

        def read():
            reader = ical.CalendarReader(
                data, time_zone=practice.time_zone, interests=interests, now=now
            )
            rows = occurrences = 0
            for row in reader.rows():
                rows += 1
                occurrences += len(row["occurrences"])
            return rows, occurrences

        def refresh():
            summary = calendar_feeds.calendar_source_refresh(source=source, now=now)
            assert summary is not None, source.last_problem
            return summary

        def preview_and_apply():
            # A second practice each time, so that every run creates the same rows.
            Resource.objects.filter(practice=other).delete()
            CalendarSource.objects.filter(practice=other).delete()
            pending = import_services.import_preview(
                practice=other,
                kind="ical",
                uploaded_file=SimpleUploadedFile("benchmark.ics", data),
                actor=other.members.first().user,
            )
            return import_services.import_apply(pending=pending, actor=pending.created_by)

        def empty_directory():
            Resource.objects.filter(practice=practice).delete()

        results = []
        seconds, peak, events = measure(baseline)
        results.append(("baseline", "parse only (icalendar)", seconds, peak, f"{events:,} VEVENTs"))
        seconds, peak, (rows, occurrences) = measure(read)
        results.append(
            (
                "read",
                "parse + expand 8 weeks",
                seconds,
                peak,
                f"{rows:,} rows, {occurrences:,} meetings",
            )
        )
        seconds, peak, first = measure(refresh, setup=empty_directory)
        results.append(
            ("refresh", "fetch + read + write, new", seconds, peak, f"{first.created:,} added")
        )
        seconds, peak, again = measure(refresh)
        results.append(
            (
                "again",
                "the same feed once more",
                seconds,
                peak,
                f"{again.created} added, {again.updated} updated, {again.unchanged:,} unchanged",
            )
        )
        seconds, peak, applied = measure(preview_and_apply)
        results.append(
            ("preview", "upload: preview + apply", seconds, peak, f"{applied.created:,} added")
        )

        header = f"{'step':<9} {'what':<27} {'time':>8} {'× base':>7} {'peak MB':>8} {'× base':>7}"
        print(header + "  result")
        base_seconds, base_peak = results[0][2], results[0][3]
        for step, what, seconds, peak, result in results:
            print(
                f"{step:<9} {what:<27} {seconds:7.2f}s {seconds / base_seconds:6.2f}× "
                f"{peak:8.1f} {peak / base_peak:6.2f}×  {result}"
            )
        resources = Resource.objects.filter(practice=practice).count()
        meetings = ResourceOccurrence.objects.filter(resource__practice=practice).count()
        print(
            f"\nIn the directory: {resources:,} resources, {meetings:,} meetings "
            "(after four refreshes of the same feed: no duplicates)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
