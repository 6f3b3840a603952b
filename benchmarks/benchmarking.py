"""What every benchmark here sets up the same way: the repository on the import path, and a
production-like environment for Django (DEBUG off, so no query log; plain HTTP; a throwaway
key) in a fresh data directory, set before Django loads."""

import os
import secrets
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def configure_environment(
    data_dir: Path,
    *,
    hosts: str = "testserver,localhost",
    log_level: str = "WARNING",
    tasks_immediate: bool = False,
) -> None:
    environment = {
        "DJANGO_SETTINGS_MODULE": "outward.settings",
        "OUTWARD_DATA_DIR": str(data_dir),
        "OUTWARD_DEBUG": "0",
        "OUTWARD_SSL_REDIRECT": "0",
        "OUTWARD_SECURE_COOKIES": "0",
        "OUTWARD_SECRET_KEY": secrets.token_urlsafe(50),
        "OUTWARD_ALLOWED_HOSTS": hosts,
        "OUTWARD_LOG_LEVEL": log_level,
    }
    if tasks_immediate:
        environment["OUTWARD_TASKS_IMMEDIATE"] = "1"  # the benchmark's thread runs the tasks
    os.environ.update(environment)


def engine_name(connection) -> str:
    """The database and its version, e.g. "sqlite 3.46.1 (WAL)" or "postgresql 170002"."""
    engine = connection.vendor
    if engine == "sqlite":
        return f"{engine} {connection.Database.sqlite_version} (WAL)"
    if engine == "postgresql":
        return f"{engine} {connection.pg_version}"
    return engine
