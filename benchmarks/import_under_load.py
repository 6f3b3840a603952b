"""The largest allowed import, applied while 50 clients keep writing check-ins.

Issue 8 found that applying a big import held SQLite's write lock for minutes, so other
users' writes failed with "database is locked". Now an import stages its rows a batch per
short transaction and switches them live in one short final step. This measures it:

  baseline  50 client processes, each writing a check-in every 2 s or so (the check-in, its
            audit event, its happening: `journal.services.check_in_create`; a pause of 1-3 s), for
            --seconds, with no import running
  create    the same load while the largest allowed CSV (formats.MAX_ROWS rows, every column,
            under the 5 MB upload limit) is previewed and applied into an empty directory
  update    the same load while that file, every row changed, is applied again (the heavier
            final step: every live resource takes its staged copy's values)

For each: writes, failed writes (any exception), p50 / p99 / max write latency; for the
imports, their wall time and the longest final step (the one transaction that switches the
staged rows live; the batches' transactions are shorter). SQLite: a fresh temporary file
(WAL). With DATABASE_URL set: that database (PostgreSQL), leaving the rows in it.

    .venv/bin/python benchmarks/import_under_load.py [--clients 50] [--seconds 10]
"""

import argparse
import datetime
import multiprocessing
import random
import statistics
import sys
import time

from benchmarking import engine_name, fresh_django, machine


def csv_file(rows: int, *, renamed: bool = False) -> bytes:
    rng = random.Random(7)
    header = (
        "id,name,description,kind,interests,online,address,latitude,longitude,weekday,"
        "start_time,end_time,cost,accessibility,group_size,contact_url,last_verified,"
        "social_intensity"
    )
    lines = [header]
    prefix = "Renamed" if renamed else "Group"
    for n in range(rows):
        lines.append(
            f'g{n},{prefix} {n},"Friendly weekly meet-up, beginners welcome, tea after",'
            f'{rng.choice(["club", "class", "group"])},"Games; Music",no,'
            f'"{n} High Street, Leeds",{53.7 + rng.random() / 5:.5f},{-1.6 + rng.random() / 5:.5f},'
            f"{rng.choice(['Mon', 'Tue', 'Wed', 'Thu'])},19:00,21:00,4.50,Step-free entrance,"
            f"8-12,https://groups.example.org/{n},2026-09-01,{rng.randint(1, 5)}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def write_check_ins(client_id, stop, results) -> None:
    """One client's process: a check-in, a pause, until told to stop; then its figures."""
    from django.db import connection
    from django.utils import timezone

    from outward.care.models import Client
    from outward.journal.services import check_in_create

    connection.close()  # never share the parent's connection
    client = Client.objects.select_related("user").get(pk=client_id)
    rng = random.Random(client_id)
    latencies, failures = [], []
    # One check-in per client per day: each write takes a day of its own, before any the
    # client has (seeded, or written by an earlier run); two days apart, so that no clock
    # change puts two on one local day.
    oldest = client.check_ins.order_by("occurred").values_list("occurred", flat=True).first()
    days_back = (timezone.now() - oldest).days if oldest else 0
    while not stop.is_set():
        started = time.perf_counter()
        days_back += 2
        try:
            check_in_create(
                client=client,
                author=client.user,
                ip="127.0.0.1",
                occurred=timezone.now() - datetime.timedelta(days=days_back),
                mood=5,
                loneliness=4,
                meaningful_interactions=2,
                in_person=1,
                online=1,
            )
        except Exception as error:  # noqa: BLE001 - every failure counts
            failures.append(f"{type(error).__name__}: {error}")
        else:
            latencies.append(time.perf_counter() - started)
        time.sleep(rng.uniform(1, 3))  # a busy client: a write every 2 s
    connection.close()
    results.put((latencies, failures))


class Load:
    """A process per client (as gunicorn's workers are processes: no shared interpreter
    lock between them) writing check-ins while `work` runs; latencies and failures."""

    def __init__(self, client_ids):
        self.client_ids = client_ids
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def during(self, work):
        from django.db import connections

        connections.close_all()
        context = multiprocessing.get_context("fork")
        stop, results = context.Event(), context.Queue()
        processes = [
            context.Process(target=write_check_ins, args=(pk, stop, results))
            for pk in self.client_ids
        ]
        for process in processes:
            process.start()
        time.sleep(2)  # everyone is writing
        try:
            result = work()
        finally:
            stop.set()
            for _process in processes:
                latencies, failures = results.get()
                self.latencies += latencies
                self.failures += failures
            for process in processes:
                process.join()
        return result


def figures(load: Load) -> str:
    ms = sorted(latency * 1000 for latency in load.latencies)
    if not ms:
        return f"0 writes, {len(load.failures)} failed"
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return (
        f"{len(ms) + len(load.failures):>6,} writes {len(load.failures):>4} failed   "
        f"p50 {statistics.median(ms):7.1f} ms   p99 {p99:7.1f} ms   max {ms[-1]:7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with fresh_django(log_level="ERROR", tasks_immediate=True):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from outward.care.models import Client
        from outward.community.imports import formats
        from outward.community.imports import services as import_services
        from outward.seeding import seed_load

        engine = engine_name(connection)
        if connection.vendor == "sqlite":
            engine += ", a fresh temporary file"
        else:
            engine += f", {connection.settings_dict['NAME']}"
        print(f"{machine()}\nDatabase: {engine}")
        practice = seed_load(therapists=1, clients=args.clients, notes_per_client=0, seed=3)
        therapist = practice.members.first().user
        clients = list(Client.objects.filter(practice=practice).values_list("pk", flat=True))
        first, second = csv_file(formats.MAX_ROWS), csv_file(formats.MAX_ROWS, renamed=True)
        print(
            f"Import: {formats.MAX_ROWS:,} CSV rows ({len(first) / 1e6:.1f} MB, the largest "
            f"allowed); {len(clients)} clients writing check-ins\n"
        )
        switches: list[float] = []
        real_switch = import_services._switch_live

        def timed_switch(**kwargs):
            started = time.perf_counter()
            real_switch(**kwargs)
            switches.append(time.perf_counter() - started)

        import_services._switch_live = timed_switch

        def apply(data):
            def work():
                started = time.perf_counter()
                pending = import_services.import_preview(
                    practice=practice,
                    kind="csv",
                    uploaded_file=SimpleUploadedFile("groups.csv", data),
                    actor=therapist,
                )
                read = time.perf_counter() - started
                summary = import_services.import_apply(pending=pending, actor=therapist)
                return read, time.perf_counter() - started - read, summary

            return work

        baseline = Load(clients)
        baseline.during(lambda: time.sleep(args.seconds))
        print(f"baseline  no import                      {figures(baseline)}")
        for name, data in (("create", first), ("update", second)):
            load = Load(clients)
            read, applied, summary = load.during(apply(data))
            print(
                f"{name:<9} read {read:5.1f} s, apply {applied:5.1f} s  {figures(load)}\n"
                f"          ({summary.message()} Final step {switches[-1] * 1000:.0f} ms.)"
            )
            for failure in sorted(set(load.failures))[:5]:
                print(f"          failure: {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
