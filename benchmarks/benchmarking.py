"""What every benchmark here sets up the same way: the repository on the import path, and a
production-like environment for Django (DEBUG off, so no query log; plain HTTP; a throwaway
key) in a fresh data directory, set before Django loads."""

import contextlib
import os
import platform
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
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


@contextlib.contextmanager
def fresh_django(**environment) -> Iterator[Path]:
    """Django set up in a fresh data directory (configured as above, with `environment`) and
    its database migrated; the directory is removed afterwards. Yields the directory."""
    data_dir = Path(tempfile.mkdtemp(prefix="outward-bench-"))
    configure_environment(data_dir, **environment)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        yield data_dir
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def machine(*versions: str) -> str:
    """ "Python 3.12.3, Django 6.0, 2 CPUs", with any other library's version before the CPUs."""
    import django

    return ", ".join(
        [
            f"Python {platform.python_version()}",
            f"Django {django.get_version()}",
            *versions,
            f"{os.cpu_count()} CPUs",
        ]
    )
