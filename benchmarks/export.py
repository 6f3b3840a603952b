"""How long a client's data export takes, and how much memory it holds, for a long record.

Builds a fresh temporary SQLite database with one client holding N records (default 50,000):
R completed PHQ-9 responses (default 1,000; scored once through the service, then copied),
and of the rest a quarter daily check-ins with a note, a quarter thought records with one
emotion each (two rows per record) and half logged contacts. Each questionnaire response costs
far more than any other record (its FHIR resources are validated one by one with
fhir.resources), so R is a separate knob. Then it writes the whole export ZIP into a temporary
file the way the task worker does (`outward.reports.exports.write_zip`, as the client, private
entries included) and reports:

  time     wall time of the export, without tracing
  peak     peak Python memory during a second export, traced with tracemalloc
  queries  the SQL queries the export made (constant in the number of records)
  size     the ZIP's size

    .venv/bin/python benchmarks/export.py [--records 50000] [--responses 1000]

With DATABASE_URL set it uses that database instead (and leaves the built client in it).
"""

import argparse
import datetime
import sys
import tempfile
import time
import tracemalloc

from benchmarking import engine_name, fresh_django, machine


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--responses", type=int, default=1_000)
    return parser.parse_args()


def build_record(client, total: int, responses: int) -> int:
    """`total` rows of the client's record, in bulk. Returns how many were made."""
    from django.utils import timezone

    from outward.journal.models import CheckIn, Contact
    from outward.measures import services as measure_services
    from outward.measures.models import Response
    from outward.skills.models import ThoughtEmotion, ThoughtRecord

    user = client.user
    rest = total - responses
    days, thoughts = rest // 4, rest // 8
    contacts = rest - days - 2 * thoughts
    start = timezone.now() - datetime.timedelta(days=days + 1)
    CheckIn.objects.bulk_create(
        CheckIn(
            client=client,
            author=user,
            occurred=start + datetime.timedelta(days=n),
            day=(start + datetime.timedelta(days=n)).date(),
            mood=n % 11,
            loneliness=(n * 3) % 11,
            meaningful_interactions=n % 3 + n % 2,
            in_person=n % 3,
            online=n % 2,
            note=f"Day {n}: went for a walk and said hello to a neighbour.",
        )
        for n in range(days)
    )
    Contact.objects.bulk_create(
        Contact(
            client=client,
            author=user,
            occurred=start + datetime.timedelta(hours=n),
            kind="message",
            with_whom="Sam",
            quality=1 + n % 5,
            note="=a note that starts like a formula" if n % 100 == 0 else "Nice chat.",
        )
        for n in range(contacts)
    )
    records = ThoughtRecord.objects.bulk_create(
        ThoughtRecord(
            client=client,
            author=user,
            situation=f"Situation {n}",
            automatic_thought="They will think I am boring.",
            balanced_thought="Some people enjoy quiet company.",
        )
        for n in range(thoughts)
    )
    ThoughtEmotion.objects.bulk_create(
        ThoughtEmotion(record=record, name="anxious", intensity=60, position=0)
        for record in records
    )
    first = measure_services.response_enter(
        client=client,
        instrument_key="phq9",
        answers={str(n): 1 for n in range(1, 10)} | {"9": 0},
        actor=client.care_team.first().therapist.user,
        ip=None,
    )
    copies = responses - 1
    Response.objects.bulk_create(
        Response(
            client=client,
            instrument_key=first.instrument_key,
            instrument_version=first.instrument_version,
            answers=first.answers,
            scores=first.scores,
            risk_items=first.risk_items,
            entered_by=first.entered_by,
            started=start + datetime.timedelta(days=n),
            completed=start + datetime.timedelta(days=n, minutes=5),
        )
        for n in range(copies)
    )
    return days + contacts + 2 * thoughts + responses


def export_once(client, *, trace: bool) -> tuple[float, int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outward.reports import exports
    from outward.reports import services as report_services

    with tempfile.TemporaryFile() as target:
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            exports.write_zip(
                client=client,
                viewer=client.user,
                includes_private=True,
                report_pdf=report_services.export_report_pdf(
                    client=client, viewer=client.user, includes_private=True
                ),
                target=target,
            )
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
        return elapsed, peak, len(queries), target.tell()


def main() -> int:
    args = parse_args()
    with fresh_django():
        from django.db import connection

        from outward.care.models import Client
        from outward.seeding import seed_load

        print(f"{machine()}, database {engine_name(connection)}")
        started = time.perf_counter()
        practice = seed_load(therapists=1, clients=1, notes_per_client=0, seed=1)
        client = Client.objects.select_related("user", "practice").get(practice=practice)
        made = build_record(client, args.records, args.responses)
        print(f"Built {made:,} records in {time.perf_counter() - started:.1f}s")
        export_once(client, trace=False)  # warm-up: caches, the instrument definitions
        elapsed, _peak, queries, size = export_once(client, trace=False)
        _elapsed, peak, _queries, _size = export_once(client, trace=True)
        print("| records | of which responses | time | peak Python memory | queries | ZIP size |")
        print("| --- | --- | --- | --- | --- | --- |")
        print(
            f"| {made:,} | {args.responses:,} | {elapsed:.1f} s | {peak / 1024 / 1024:.1f} MiB "
            f"| {queries} | {size / 1024 / 1024:.1f} MiB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
