"""PostgreSQL: `pg_dump --format=custom` of one exported snapshot, restored through
`pg_restore | psql` in a single transaction.

The row counts in the manifest and the dump come from the same snapshot (a repeatable-read
transaction exports it; pg_dump joins it with --snapshot), so they agree however many people
write meanwhile. A restore drops what the target holds and loads the dump in one transaction:
if anything fails, the target is as it was."""

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
from django.conf import settings

from .common import BackupError, Contents, contents, holds_people, quote

NAME = "postgresql"
DATA_FILE = "outward.pgdump"
# Settings keys and OPTIONS that libpq understands, by their libpq names.
_LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service")


def engine_version(settings_dict: dict) -> str:
    with _connect(settings_dict) as database:
        return f"PostgreSQL {database.execute('SHOW server_version').fetchone()[0]}"


def snapshot(settings_dict: dict, data_file: Path) -> Contents:
    pg_dump = _program("pg_dump")
    with _connect(settings_dict) as database:
        database.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        database.read_only = True
        try:
            with database.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot_id,) = cursor.fetchone()
                described = contents(cursor, _tables(cursor))
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={data_file}"],
                env=_libpq_env(settings_dict),
            )
        except psycopg.Error as error:
            raise BackupError(f"PostgreSQL refused the backup: {error}") from error
        finally:
            database.rollback()
    return described


def holds_data(settings_dict: dict) -> bool:
    with _connect(settings_dict) as database, database.cursor() as cursor:
        return holds_people(cursor, _tables(cursor))


def describe(settings_dict: dict) -> Contents:
    with _connect(settings_dict) as database, database.cursor() as cursor:
        return contents(cursor, _tables(cursor))


def restore(settings_dict: dict, data_file: Path) -> None:
    """Replace every table of the configured database with the backup's, in one transaction."""
    with _connect(settings_dict) as database, database.cursor() as cursor:
        tables = _tables(cursor)
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'S'"
        )
        sequences = [name for (name,) in cursor.fetchall()]
    statements = ["BEGIN;"]
    if tables:
        statements.append(f"DROP TABLE IF EXISTS {', '.join(map(quote, tables))} CASCADE;")
    if sequences:
        statements.append(f"DROP SEQUENCE IF EXISTS {', '.join(map(quote, sequences))} CASCADE;")
    env = _libpq_env(settings_dict)
    psql = [_program("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"]
    pg_restore = [_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-"]
    with tempfile.TemporaryFile() as read_errors, tempfile.TemporaryFile() as load_errors:
        # pg_restore's script streams through us into psql, so nothing of it lands on disk,
        # and COMMIT follows only once pg_restore has given all of it: a script cut short (a
        # damaged archive) ends without one, and psql's session rolls it back.
        loader = subprocess.Popen(  # noqa: S603  (our own arguments, no shell)
            psql, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=load_errors, env=env
        )
        reader = subprocess.Popen(  # noqa: S603
            [*pg_restore, str(data_file)], stdout=subprocess.PIPE, stderr=read_errors, env=env
        )
        try:
            loader.stdin.write("\n".join(statements).encode() + b"\n")
            shutil.copyfileobj(reader.stdout, loader.stdin)
            if reader.wait() == 0:
                loader.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            pass  # psql stopped at an error (ON_ERROR_STOP): its message says which
        finally:
            with contextlib.suppress(BrokenPipeError):
                loader.stdin.close()
            reader.kill()  # only still running if psql stopped first
            reader.stdout.close()
            reader.wait()
            loader.wait()
        if loader.returncode != 0:
            raise BackupError(
                f"PostgreSQL refused the restore and kept the database as it was: "
                f"{_text(load_errors)}"
            )
        if reader.returncode != 0:
            raise BackupError(
                f"pg_restore could not read {data_file}, so nothing was restored: "
                f"{_text(read_errors)}"
            )


def inspect_copy(settings_dict: dict, data_file: Path) -> Contents:
    """Restore into a scratch database beside the configured one, describe it, drop it. (A
    dump that restores without an error is as sound as PostgreSQL can tell: there is no
    integrity_check to run; the caller compares the counts.)"""
    scratch_name = f"{settings_dict['NAME'][:40]}_verify_{secrets.token_hex(4)}"
    scratch = {**settings_dict, "NAME": scratch_name}
    try:
        with _connect(settings_dict, autocommit=True) as database:
            database.execute(f"CREATE DATABASE {quote(scratch_name)} TEMPLATE template0")
    except psycopg.Error as error:
        raise BackupError(
            "Checking a PostgreSQL backup restores it into a scratch database, and PostgreSQL "
            f"refused to create one (the role needs CREATEDB): {error}"
        ) from error
    try:
        restore(scratch, data_file)
        return describe(scratch)
    finally:
        with _connect(settings_dict, autocommit=True) as database:
            database.execute(f"DROP DATABASE IF EXISTS {quote(scratch_name)} WITH (FORCE)")


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    return [name for (name,) in cursor.fetchall()]


def _libpq_params(settings_dict: dict) -> dict[str, str]:
    params = {
        "dbname": settings_dict.get("NAME"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
    }
    options = settings_dict.get("OPTIONS") or {}
    params |= {name: options.get(name) for name in _LIBPQ_OPTIONS}
    return {name: str(value) for name, value in params.items() if value}


def _libpq_env(settings_dict: dict) -> dict[str, str]:
    """The connection for the client programs, in libpq's environment variables: the password
    never appears in a process list."""
    names = {"dbname": "PGDATABASE"}
    connection = {
        names.get(name, f"PG{name.upper()}"): value
        for name, value in _libpq_params(settings_dict).items()
    }
    return {**os.environ, **connection}


def _connect(settings_dict: dict, *, autocommit: bool = False):
    try:
        return psycopg.connect(**_libpq_params(settings_dict), autocommit=autocommit)
    except psycopg.Error as error:
        raise BackupError(f"Could not connect to PostgreSQL: {error}") from error


def _program(name: str) -> str:
    """A PostgreSQL client program: in OUTWARD_PG_BIN when set, else on PATH."""
    directory = settings.POSTGRES_BIN_DIR
    found = shutil.which(name, path=directory) if directory else shutil.which(name)
    if found is None:
        where = f"in OUTWARD_PG_BIN ({directory})" if directory else "on PATH"
        raise BackupError(
            f"{name} was not found {where}. Install the PostgreSQL client programs of your "
            "server's version (e.g. apt-get install postgresql-client-15), or set OUTWARD_PG_BIN "
            "to the directory that holds them (e.g. /usr/lib/postgresql/15/bin)."
        )
    return found


def _text(output) -> str:
    output.seek(0)
    return output.read().decode(errors="replace").strip()


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        finished = subprocess.run(  # noqa: S603  (our own arguments, no shell)
            command, capture_output=True, env=env, check=False
        )
    except OSError as error:
        raise BackupError(f"Could not run {command[0]}: {error}") from error
    if finished.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed: {finished.stderr.decode(errors='replace').strip()}"
        )
