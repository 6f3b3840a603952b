"""Backups of Outward's database, taken while it serves, and their restore.

A backup is a directory that holds two files:

    PATH/manifest.json     what the backup holds (see `Manifest`), written last
    PATH/outward.sqlite3   SQLite: a copy made with the online backup API, or
    PATH/outward.pgdump    PostgreSQL: `pg_dump --format=custom`

It is written into a hidden folder beside PATH and renamed to PATH once complete, so a backup
interrupted half-way never looks like a finished one; only its owner may read it (it holds
clinical records). The manifest's sha256 catches a damaged or altered data file, its
migrations tell a restore whether this code knows the schema, and its per-table row counts are
what `outward backup --verify` expects to find after restoring into a scratch database."""

import functools
import hashlib
import json
import shutil
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from importlib import metadata
from io import StringIO
from pathlib import Path

import psycopg
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import postgresql, sqlite
from .common import BackupError, Contents

__all__ = ["BackupError", "Manifest", "backup_create", "backup_restore", "backup_verify"]

FORMAT = "outward-backup/1"
MANIFEST_FILE = "manifest.json"
ENGINES = {engine.NAME: engine for engine in (sqlite, postgresql)}


@dataclass(frozen=True)
class Manifest:
    outward_version: str
    engine: str  # "sqlite" or "postgresql"
    engine_version: str
    # Every write acknowledged before `started` is in the backup; later ones may be.
    started: str
    finished: str
    data_file: str
    data_bytes: int
    sha256: str
    migrations: list[str]  # "app.name" of every applied migration, sorted
    tables: dict[str, int]  # rows per table

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _plainly(operation):
    """A database or file-system error the steps did not foresee still reaches the person
    running the command as a sentence, not a traceback."""

    @functools.wraps(operation)
    def wrapper(*args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except (OSError, sqlite3.Error, psycopg.Error, DatabaseError) as error:
            raise BackupError(f"{type(error).__name__}: {error}") from error

    return wrapper


@_plainly
def backup_create(path: Path) -> Manifest:
    """Back up the configured database into the new directory `path`."""
    path = Path(path)
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        raise BackupError(
            f"{path} already exists and is not an empty folder. Give each backup a new name "
            "(e.g. with the date in it); a backup never overwrites another."
        )
    if not path.parent.is_dir():
        raise BackupError(
            f"The folder {path.parent} does not exist. Create it (or mount the backup disk) "
            "first: Outward does not create it, so an unmounted disk is noticed."
        )
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    engine = _configured_engine()
    partial = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.partial-"))
    try:
        data_file = partial / engine.DATA_FILE
        started = timezone.now()
        described = engine.snapshot(settings_dict, data_file)
        data_file.chmod(0o600)
        manifest = Manifest(
            outward_version=_outward_version(),
            engine=engine.NAME,
            engine_version=engine.engine_version(settings_dict),
            started=started.isoformat(timespec="milliseconds"),
            finished=timezone.now().isoformat(timespec="milliseconds"),
            data_file=engine.DATA_FILE,
            data_bytes=data_file.stat().st_size,
            sha256=_sha256(data_file),
            migrations=described.migrations,
            tables=described.tables,
        )
        manifest_file = partial / MANIFEST_FILE
        manifest_file.write_text(json.dumps({"format": FORMAT, **asdict(manifest)}, indent=2))
        manifest_file.chmod(0o600)
        if path.exists():
            path.rmdir()  # the empty folder it was asked to fill
        partial.rename(path)
    except OSError as error:
        raise BackupError(f"Could not write the backup to {path}: {error}") from error
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return manifest


@_plainly
def backup_verify(path: Path) -> Manifest:
    """Restore the backup at `path` into a scratch database (a temporary SQLite file, or a
    PostgreSQL database created and dropped for it) and check it holds what its manifest says."""
    manifest, data_file = _checked(Path(path))
    engine = ENGINES[manifest.engine]
    if engine is postgresql and _configured_engine() is not postgresql:
        raise BackupError(
            "This is a PostgreSQL backup: checking it needs a PostgreSQL server, so run it with "
            "DATABASE_URL pointing at one (a scratch database is created there and dropped)."
        )
    found = engine.inspect_copy(connections[DEFAULT_DB_ALIAS].settings_dict, data_file)
    problems = _differences(manifest, found)
    if problems:
        raise BackupError(
            f"The backup at {path} restores, but not as its manifest says:\n  "
            + "\n  ".join(problems)
        )
    return manifest


@_plainly
def backup_restore(path: Path, *, force: bool = False) -> tuple[Manifest, int]:
    """Replace the configured database with the backup at `path`, then apply any newer
    migrations. Refuses a database that holds anybody's data unless `force`. Returns the
    manifest and the number of migrations applied after restoring."""
    manifest, data_file = _checked(Path(path))
    engine = _configured_engine()
    if manifest.engine != engine.NAME:
        raise BackupError(
            f"This is a {manifest.engine} backup and Outward is configured for {engine.NAME}: "
            "restore it into the kind of database it came from."
        )
    _refuse_unknown_migrations(manifest)
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    if engine.holds_data(settings_dict) and not force:
        raise BackupError(
            "The database already holds data (it has accounts). Restoring would replace all "
            "of it; if that is what you want, stop Outward and run the restore with --force."
        )
    connections.close_all()  # nothing of ours holds a lock or a stale page meanwhile
    engine.restore(settings_dict, data_file)
    problems = _differences(manifest, engine.describe(settings_dict))
    if problems:
        raise BackupError(
            "The restored database differs from the manifest:\n  " + "\n  ".join(problems)
        )
    call_command("migrate", interactive=False, verbosity=0, skip_checks=True, stdout=StringIO())
    applied = MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()
    return manifest, len(applied) - len(manifest.migrations)


def _checked(path: Path) -> tuple[Manifest, Path]:
    """The backup's manifest, once its data file is there and matches its checksum."""
    manifest = _read_manifest(path)
    data_file = path / manifest.data_file
    if not data_file.is_file():
        raise BackupError(f"The backup at {path} has no {manifest.data_file}: it is incomplete.")
    try:
        checksum = _sha256(data_file)
    except OSError as error:
        raise BackupError(f"Could not read {data_file}: {error}") from error
    if checksum != manifest.sha256:
        raise BackupError(
            f"{data_file} does not match the checksum in its manifest: it was damaged or "
            "changed after the backup. Use another backup."
        )
    return manifest, data_file


def _read_manifest(path: Path) -> Manifest:
    if not path.is_dir():
        raise BackupError(f"There is no backup at {path} (a backup is a folder).")
    manifest_file = path / MANIFEST_FILE
    try:
        document = json.loads(manifest_file.read_text())
    except FileNotFoundError:
        raise BackupError(
            f"{path} has no {MANIFEST_FILE}: it is not an Outward backup, or an unfinished one."
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BackupError(f"The manifest {manifest_file} cannot be read: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{manifest_file} is not a manifest of this Outward ({FORMAT}).")
    fields = {name: document.get(name) for name in Manifest.__dataclass_fields__}
    expected = {name: field.type for name, field in Manifest.__dataclass_fields__.items()}
    wrong = [
        name
        for name, value in fields.items()
        if not isinstance(value, getattr(expected[name], "__origin__", expected[name]))
    ]
    if not wrong:
        if not all(isinstance(rows, int) for rows in fields["tables"].values()):
            wrong.append("tables")
        if not all(isinstance(name, str) for name in fields["migrations"]):
            wrong.append("migrations")
    if wrong:
        raise BackupError(f"{manifest_file} is damaged: {', '.join(wrong)} missing or wrong.")
    manifest = Manifest(**fields)
    engine = ENGINES.get(manifest.engine)
    if engine is None or manifest.data_file != engine.DATA_FILE:
        raise BackupError(f"{manifest_file} is damaged: unknown engine or data file.")
    return manifest


def _refuse_unknown_migrations(manifest: Manifest) -> None:
    """A backup from a newer Outward has tables this code does not know how to use."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set()
    for (app, name), migration in loader.disk_migrations.items():
        known.add(f"{app}.{name}")
        known.update(f"{app}.{name}" for app, name in migration.replaces)
    unknown = [name for name in manifest.migrations if name not in known]
    if unknown:
        raise BackupError(
            f"This backup was made by a newer Outward ({manifest.outward_version}): it has "
            f"migrations this one does not know ({', '.join(unknown)}). Install that version "
            "(or newer), then restore."
        )


def _differences(manifest: Manifest, found: Contents) -> list[str]:
    problems = []
    for table in sorted(manifest.tables.keys() | found.tables.keys()):
        expected, actual = manifest.tables.get(table), found.tables.get(table)
        if expected != actual:
            problems.append(f"{table}: the manifest lists {expected} rows, found {actual}")
    if found.migrations != manifest.migrations:
        problems.append("the applied migrations differ from the manifest's")
    return problems


def _configured_engine():
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in ENGINES:
        raise BackupError(f"Outward cannot back up a {vendor} database.")
    return ENGINES[vendor]


def _outward_version() -> str:
    try:
        return metadata.version("outward")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sha256(data_file: Path) -> str:
    with data_file.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()
