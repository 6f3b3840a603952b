from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outward.backups import BackupError, backup_restore


class Command(BaseCommand):
    # Serving settings (secret key, hosts, e-mail) have nothing to do with copying the data,
    # and a recovery must not wait on them.
    requires_system_checks = []
    help = (
        "Restore the backup in the folder PATH (made by `outward backup`) into the configured "
        "database, after checking its manifest and checksum, then apply newer migrations. Stop "
        "Outward (server and workers) first. Refuses a database that holds data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup's folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data (all of it is lost)",
        )

    def handle(self, *, path, force, **options):
        try:
            manifest, migrated = backup_restore(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup started at {manifest.started} (Outward "
            f"{manifest.outward_version}): {manifest.rows} rows in {len(manifest.tables)} "
            f"tables; applied {migrated} newer migrations."
        )
