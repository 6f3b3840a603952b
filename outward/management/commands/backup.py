from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outward.backups import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    # Serving settings (secret key, hosts, e-mail) have nothing to do with copying the data,
    # and a recovery must not wait on them.
    requires_system_checks = []
    help = (
        "Back up the database, while Outward serves, into the new folder PATH: a consistent "
        "copy (SQLite's online backup API, or pg_dump for PostgreSQL) and a manifest. With "
        "--verify, check an existing backup instead: restore it into a scratch database and "
        "compare it with its manifest. Exits non-zero if anything is wrong; for cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a new folder for the backup")
        parser.add_argument(
            "--verify", action="store_true", help="check the existing backup at PATH"
        )

    def handle(self, *, path, verify, **options):
        try:
            manifest = backup_verify(path) if verify else backup_create(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables, rows = len(manifest.tables), manifest.rows
        if verify:
            self.stdout.write(
                f"The backup at {path} is sound: its checksum matches, it restores, and its "
                f"{tables} tables hold the {rows} rows its manifest lists."
            )
        else:
            self.stdout.write(
                f"Backed up {rows} rows in {tables} tables ({manifest.engine}, "
                f"{manifest.data_bytes / 1_000_000:.1f} MB) to {path}."
            )
