"""`outward backup`, `backup --verify` and `restore`: time and size, for the demo practice and
for a larger seeded one backed up while clients keep writing.

  demo      the demo practice (`outward demo`'s data) alone: backup, verify, restore --force
  seeded    the demo plus a load practice of --clients clients, each with --records session
            notes, check-ins and contacts (`outward.seeding.seed_load`); the backup is taken
            while --writers client processes write check-ins (the import benchmark's load:
            `journal.services.check_in_create`, a pause of 1-3 s), whose latency and failures
            are given, and again for as long (at least 10 s) with no backup running (the baseline)

SQLite: a fresh temporary file (WAL). With DATABASE_URL set: that database (PostgreSQL), which
the restore replaces: point it only at a throwaway database.

    .venv/bin/python benchmarks/backup.py [--clients 5000] [--records 10] [--writers 20]
"""

import argparse
import json
import sys
import time
from io import StringIO
from pathlib import Path

from benchmarking import engine_name, fresh_django, machine
from import_under_load import Load, figures


def timed(*args) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(*args, stdout=StringIO())
    return time.perf_counter() - started


def database_bytes(connection) -> int:
    """The database's size: SQLite's main file (without its write-ahead log), or PostgreSQL's
    pg_database_size (indexes included)."""
    if connection.vendor == "sqlite":
        return Path(connection.settings_dict["NAME"]).stat().st_size
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def measure(name: str, backups: Path, load: Load | None) -> None:
    from django.db import connection

    size = database_bytes(connection)
    folder = backups / name
    backup = lambda: timed("backup", str(folder))  # noqa: E731
    seconds = load.during(backup) if load else backup()
    manifest = json.loads((folder / "manifest.json").read_text())
    verify = timed("backup", "--verify", str(folder))
    restore = timed("restore", "--force", str(folder))
    print(
        f"{name:<7} {sum(manifest['tables'].values()):>10,} rows  database {size / 1e6:7.1f} MB  "
        f"backup {seconds:6.2f} s, {manifest['data_bytes'] / 1e6:7.1f} MB  "
        f"verify {verify:6.2f} s  restore {restore:6.2f} s"
    )
    if load:
        baseline = Load(load.client_ids)
        baseline.during(lambda: time.sleep(max(seconds, 10)))
        for writing, during in (("during the backup", load), ("with no backup", baseline)):
            print(f"        writers {writing:<17} {figures(during)}")
            for failure in sorted(set(during.failures))[:5]:
                print(f"        failure: {failure}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--records", type=int, default=10)
    parser.add_argument("--writers", type=int, default=20)
    args = parser.parse_args()
    with fresh_django(log_level="ERROR", tasks_immediate=True) as data_dir:
        from django.db import connection

        from outward.care.models import Client
        from outward.seeding import seed_demo_practice, seed_load

        print(f"{machine()}\nDatabase: {engine_name(connection)}\n")
        backups = data_dir / "backups"
        backups.mkdir()
        seed_demo_practice()
        measure("demo", backups, None)
        practice = seed_load(therapists=50, clients=args.clients, notes_per_client=args.records)
        writers = Client.objects.filter(practice=practice).values_list("pk", flat=True)
        measure("seeded", backups, Load(list(writers[: args.writers])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
