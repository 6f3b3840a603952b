"""What every benchmark here sets up the same way: the repository on the import path, and a
production-like environment for Django (DEBUG off, so no query log; plain HTTP; a throwaway
key) in a fresh data directory, set before Django loads."""

import contextlib
import http.client
import http.cookiejar
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

HOST = "127.0.0.1"
SERVER_START_TIMEOUT = 120.0  # seconds: many workers on a busy machine
REQUEST_TIMEOUT = 30.0  # seconds
PG_BIN_DIR = Path(os.environ.get("OUTWARD_PG_BIN_DIR", "/usr/lib/postgresql/15/bin"))


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One GET on a new connection: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_server(
    port: int,
    log_path: Path,
    *,
    app: str = "outward.wsgi",
    workers: int = 1,
    cwd: Path = REPO_ROOT,
    ready_path: str = "/healthz/",
) -> subprocess.Popen:
    """gunicorn serving `app` (sync workers, one thread each) on `port`, once it answers."""
    command = [
        *(sys.executable, "-m", "gunicorn", app),
        *("--bind", f"{HOST}:{port}", "--workers", str(workers), "--threads", "1"),
    ]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=cwd, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{log_path.read_text()}")
        try:
            if get(port, ready_path, {})[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer within {SERVER_START_TIMEOUT:.0f}s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def sign_in(port: int, email: str, password: str, *, lands_on: str = "/caseload/") -> str:
    """Sign in through the real login form; returns the Cookie header for later requests."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{port}"
    with opener.open(f"{base}/login/", timeout=REQUEST_TIMEOUT) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise RuntimeError("no csrfmiddlewaretoken on the login page")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match[1], "email": email, "password": password, "next": ""}
    ).encode()
    with opener.open(f"{base}/login/", data=form, timeout=REQUEST_TIMEOUT) as response:
        landed = urllib.parse.urlparse(response.geturl()).path
    if landed != lands_on or not any(cookie.name == "sessionid" for cookie in jar):
        raise RuntimeError(f"sign-in failed (landed on {landed})")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


@contextlib.contextmanager
def throwaway_postgresql() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary directory (as .ci/run starts one); its URL."""
    root = Path(tempfile.mkdtemp(prefix="outward-pg-"))
    data, port = root / "data", free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    try:
        subprocess.run(
            [*as_postgres, PG_BIN_DIR / "initdb", "-D", data, "-U", "postgres", "--auth=trust"],
            **quiet,
        )
        options = f"-c listen_addresses={HOST} -p {port} -k {root}"
        subprocess.run(
            [
                *as_postgres,
                PG_BIN_DIR / "pg_ctl",
                "-D",
                data,
                "-o",
                options,
                "-l",
                root / "log",
                "-w",
                "start",
            ],
            **quiet,
        )
        subprocess.run(
            [
                *as_postgres,
                PG_BIN_DIR / "createdb",
                "-h",
                HOST,
                "-p",
                str(port),
                "-U",
                "postgres",
                "outward",
            ],
            **quiet,
        )
        yield f"postgres://postgres@{HOST}:{port}/outward"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*as_postgres, PG_BIN_DIR / "pg_ctl", "-D", data, "stop", "-m", "fast"],
                stdout=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
