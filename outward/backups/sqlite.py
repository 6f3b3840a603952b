"""SQLite: copies through SQLite's online backup API, never by copying files.

A WAL database is its main file plus a write-ahead log that holds the newest commits, so a
copy of the file alone misses acknowledged writes (issue 13 saw one lost under load). The
backup API reads one consistent snapshot inside a read transaction instead: in WAL mode a
reader never blocks the writers, so Outward keeps serving while it runs."""

import sqlite3
import tempfile
from pathlib import Path

from .common import BackupError, Contents, contents, holds_people

NAME = "sqlite"
DATA_FILE = "outward.sqlite3"
# Writers hold the lock for milliseconds; wait as long as Outward's own connections do.
LOCK_TIMEOUT_SECONDS = 20


def engine_version(settings_dict: dict) -> str:
    return f"SQLite {sqlite3.sqlite_version}"


def snapshot(settings_dict: dict, data_file: Path) -> Contents:
    """Copy the live database into `data_file` and describe the copy."""
    source = _open(Path(settings_dict["NAME"]), must_exist=True)
    try:
        copy = sqlite3.connect(data_file)
        try:
            # pages=-1: the whole database in one step, so one read transaction, one
            # snapshot. (Step by step, every write by another connection would restart it.)
            source.backup(copy, pages=-1)
            # A backup is one self-contained file: no -wal or -shm beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            return _contents(copy)
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {settings_dict['NAME']}: {error}") from error
    finally:
        source.close()


def holds_data(settings_dict: dict) -> bool:
    path = Path(settings_dict["NAME"])
    if not path.exists():
        return False
    database = _open(path)
    try:
        cursor = database.cursor()
        return holds_people(cursor, _tables(cursor))
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not read {path}: {error}") from error
    finally:
        database.close()


def describe(settings_dict: dict) -> Contents:
    database = _open(Path(settings_dict["NAME"]), must_exist=True)
    try:
        return _contents(database)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not read {settings_dict['NAME']}: {error}") from error
    finally:
        database.close()


def restore(settings_dict: dict, data_file: Path) -> None:
    """Replace the configured database's whole content with the backup's, in one step."""
    _copy(data_file, Path(settings_dict["NAME"]))


def inspect_copy(settings_dict: dict, data_file: Path) -> Contents:
    """Restore the backup into a scratch file, check SQLite's integrity and describe it."""
    with tempfile.TemporaryDirectory(prefix="outward-verify-") as scratch:
        target = Path(scratch) / DATA_FILE
        _copy(data_file, target)
        database = _open(target)
        try:
            _check(database, data_file, "integrity_check")
            return _contents(database)
        except sqlite3.Error as error:
            raise BackupError(f"SQLite could not read the restored copy: {error}") from error
        finally:
            database.close()


def _copy(source_path: Path, target_path: Path) -> None:
    source = _open(source_path, must_exist=True, read_only=True)
    try:
        # The checksum matched, but a good database is never replaced by a broken file.
        _check(source, source_path, "quick_check")
        target = sqlite3.connect(target_path, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            source.backup(target, pages=-1)
        finally:
            target.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not write {target_path}: {error}") from error
    finally:
        source.close()


def _check(database, path: Path, pragma: str) -> None:
    """SQLite's own check of a database file (integrity_check reads every row)."""
    try:
        problems = [row[0] for row in database.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.Error as error:
        problems = [str(error)]
    if problems != ["ok"]:
        raise BackupError(f"{path} is damaged: {'; '.join(problems[:5])}")


def _open(path: Path, *, must_exist: bool = False, read_only: bool = False):
    if must_exist and not path.is_file():
        raise BackupError(f"There is no SQLite database at {path}.")
    mode = "ro" if read_only else "rw"
    try:
        return sqlite3.connect(
            f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=LOCK_TIMEOUT_SECONDS
        )
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not open {path}: {error}") from error


def _contents(database) -> Contents:
    cursor = database.cursor()
    return contents(cursor, _tables(cursor))


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall()]
