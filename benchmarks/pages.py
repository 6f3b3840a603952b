"""Every main page's server CPU as a multiple of a bare Django page's, on SQLite and PostgreSQL.

Serves Outward and a bare Django page (benchmarks/bare_page.py: a 20-row template, no
database, no middleware) side by side under gunicorn (3 sync workers each), seeds one practice
per size (one therapist with that many clients, and a community directory for the groups
page), signs a therapist in through the login form and a client with a session made as the
tests make theirs (`force_login`: load-test clients have no password), then requests every
page in turn, the pages interleaved, in several repetitions, from 3 keep-alive connections.

For each page: requests/s, p50 and p99 latency, server CPU per request (user + system time of
the gunicorn processes, read from /proc before and after each page's turn), its ratio to the
bare page's in the same run, and SQL queries per request (counted in-process). The pages are
the fixed ones below plus every tab of a client's page and every place of the client's portal
(the registries in care.happenings), so a page added later gets its ratio too.

    .venv/bin/python benchmarks/pages.py                     # SQLite + a throwaway PostgreSQL
    .venv/bin/python benchmarks/pages.py --quick             # smoke run: size 10, few requests
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/pages.py   # SQLite + that database

PostgreSQL: unless DATABASE_URL is set, a throwaway cluster is started with the PostgreSQL 15
binaries (OUTWARD_PG_BIN_DIR, default /usr/lib/postgresql/15/bin) in a temporary directory and
removed afterwards. `--databases sqlite` skips it.
"""

import argparse
import contextlib
import io
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarking import (
    HOST,
    REPO_ROOT,
    REQUEST_TIMEOUT,
    configure_environment,
    engine_name,
    free_port,
    machine,
    sign_in,
    start_server,
    stop_server,
    throwaway_postgresql,
)

BENCHMARKS = Path(__file__).resolve().parent
WORKERS = 3
CONNECTIONS = 3
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Page:
    label: str
    path: str
    who: str  # "anonymous", "therapist", "client" or "bare"
    weight: int = 1  # requests per turn × this: cheap pages need more for CPU's 10 ms ticks
    latencies_ms: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    queries: int | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[math.ceil(share * len(ordered)) - 1]  # nearest rank

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / self.requests


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,1000,10000", help="clients in the practice")
    parser.add_argument("--repetitions", type=int, default=3, help="rounds over every page")
    parser.add_argument("--requests", type=int, default=60, help="per page and repetition")
    parser.add_argument("--directory", type=int, default=10_000, help="community resources")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--quick", action="store_true", help="size 10, 2 × 10 requests")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)  # one database (a child run)
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repetitions, args.requests, args.directory = "10", 2, 10, 1000
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    return args


# --- the load: threads, one keep-alive connection each -------------------------------------


def cpu_seconds(master_pid: int) -> float:
    """User + system CPU of a gunicorn master and its live workers."""
    pids = [master_pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
        pids += [int(pid) for pid in children.split()]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def hammer(port: int, path: str, headers: dict[str, str], requests: int) -> list[float]:
    """`requests` GETs over CONNECTIONS threads; each latency in ms. Any answer but 200 fails."""
    import http.client

    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(requests))
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                started = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()  # gunicorn's sync workers close; http.client reconnects
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if response.status != 200:
                        errors.append(f"GET {path} answered {response.status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return latencies


def run_page(page: Page, servers: dict[str, tuple[int, int]], cookies: dict, requests: int):
    port, pid = servers["bare" if page.who == "bare" else "outward"]
    headers = {"Cookie": cookies[page.who]} if page.who in cookies else {}
    before_cpu, before = cpu_seconds(pid), time.perf_counter()
    page.latencies_ms += hammer(port, page.path, headers, requests * page.weight)
    page.wall_seconds += time.perf_counter() - before
    page.cpu_seconds += cpu_seconds(pid) - before_cpu


# --- one database: seed, serve, measure ---------------------------------------------------


def client_session_cookie(user) -> str:
    """A signed-in session for `user`, made as the tests make theirs (no password needed)."""
    from django.conf import settings
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


def count_queries(user, path: str) -> int:
    from django.db import connection
    from django.test import Client as Browser
    from django.test.utils import CaptureQueriesContext

    browser = Browser()
    if user is not None:
        browser.force_login(user)
    browser.get(path)  # the first request of a session may do one-off work
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"in-process GET {path} answered {response.status_code}")
    return len(queries)


def pages_for(client) -> list[Page]:
    """The fixed pages, then every client tab (therapist's side) and portal place."""
    from django.urls import reverse

    from outward.care import happenings

    pages = [
        Page("bare page (20 rows)", "/", "bare", weight=5),
        Page("/healthz/", "/healthz/", "anonymous", weight=5),
        Page("/healthz/ signed in", "/healthz/", "therapist", weight=5),
        Page("caseload", "/caseload/", "therapist"),
        Page("caseload, search", "/caseload/?q=a", "therapist"),
    ]
    for tab in happenings.client_tabs():
        pages.append(
            Page(f"client {tab.key}", reverse(tab.url_name, args=[client.pk]), "therapist")
        )
    for place in happenings.portal_places():
        label = "client's Today" if place.key == "today" else f"client's {place.key}"
        pages.append(Page(label, reverse(place.url_name), "client"))
    pages.append(Page("client's check-in form", reverse("journal:my_check_in"), "client"))
    pages.append(Page("account", reverse("accounts:account"), "client"))
    unique = {}
    for page in pages:
        unique.setdefault((page.path, page.who), page)
    return list(unique.values())


def seed(size: int, directory: int):
    from django.db import connection

    from outward.care.models import Membership
    from outward.seeding import seed_load

    sys.path.insert(0, str(BENCHMARKS))
    from matching import build_directory, make_clients

    practice = seed_load(therapists=1, clients=size, seed=size)
    therapist = Membership.objects.select_related("user").get(practice=practice).user
    build_directory(practice, directory, seed=size)
    client = make_clients(practice)[0][0]  # a town centre, 5 km, an inventory of interests
    with connection.cursor() as cursor:  # fresh statistics for the query planner
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return therapist, client


def measure_database(args) -> None:
    """In a child process with its own DATABASE_URL (empty: a fresh SQLite file)."""
    data_dir = Path(tempfile.mkdtemp(prefix="outward-pages-"))
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)  # SQLite, in data_dir
    configure_environment(data_dir, hosts=f"{HOST},localhost,testserver")
    servers = []
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from outward.seeding import DEMO_PASSWORD

        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        engine = engine_name(connection)

        outward_port, bare_port = free_port(), free_port()
        outward = start_server(outward_port, data_dir / "outward.log", workers=WORKERS)
        servers.append(outward)
        bare = start_server(
            bare_port,
            data_dir / "bare.log",
            app="bare_page:application",
            workers=WORKERS,
            cwd=BENCHMARKS,
            ready_path="/",
        )
        servers.append(bare)
        ports = {"outward": (outward_port, outward.pid), "bare": (bare_port, bare.pid)}

        # Every size is seeded before any is measured, and the rounds interleave the sizes:
        # what the machine's other work costs falls on all sizes alike, so the growth from
        # the smallest to the largest is the pages' own (measured one size after the other,
        # it once showed 2.5× where interleaved it was 1.3×).
        measured = []
        for size in args.sizes:
            started = time.perf_counter()
            therapist, client = seed(size, args.directory)
            seeded = time.perf_counter() - started
            print(f"  {engine}: {size:,} clients seeded in {seeded:.0f}s", file=sys.stderr)
            measured.append((size, seeded, therapist, client))
        sized = []
        for size, seeded, therapist, client in measured:
            cookies = {
                "therapist": sign_in(outward_port, therapist.email, DEMO_PASSWORD),
                "client": client_session_cookie(client.user),
            }
            pages = pages_for(client)
            for page in pages:
                if page.who != "bare":
                    user = {"therapist": therapist, "client": client.user}.get(page.who)
                    page.queries = count_queries(user, page.path)
                run_page(page, ports, cookies, max(3, args.requests // 5))  # warm-up
                page.latencies_ms, page.cpu_seconds, page.wall_seconds = [], 0.0, 0.0
            sized.append((size, seeded, cookies, pages))
        for _round in range(args.repetitions):
            for _size, _seeded, cookies, pages in sized:
                for page in pages:
                    run_page(page, ports, cookies, args.requests)
        for size, seeded, _cookies, pages in sized:
            table = json.dumps(
                {
                    "engine": engine,
                    "size": size,
                    "seeded": seeded,
                    "pages": [
                        {
                            "label": page.label,
                            "path": page.path,
                            "requests": page.requests,
                            "rps": page.requests / page.wall_seconds,
                            "p50": page.percentile(0.5),
                            "p99": page.percentile(0.99),
                            "cpu_ms": page.cpu_ms,
                            "queries": page.queries,
                        }
                        for page in pages
                    ],
                }
            )
            print(table, flush=True)  # the parent prints it as a table at once
    finally:
        for server in servers:
            stop_server(server)
        shutil.rmtree(data_dir, ignore_errors=True)


# --- the parent: one child per database, then the tables ----------------------------------


def child_run(args, database_url: str) -> None:
    """One database in a child process; each size's table, then each page's growth."""
    command = [sys.executable, __file__, "--database-url", database_url]
    command += ["--sizes", ",".join(map(str, args.sizes)), "--directory", str(args.directory)]
    command += ["--repetitions", str(args.repetitions), "--requests", str(args.requests)]
    tables = []
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True) as child:
        for line in child.stdout:
            if line.startswith("{"):
                tables.append(json.loads(line))
                print_tables(tables[-1:])
            else:
                print(line, end="", flush=True)
    if child.returncode:
        raise RuntimeError(f"the run on {database_url or 'SQLite'} failed")
    print_growth(tables)


def print_growth(tables: list[dict]) -> None:
    """Each page's CPU per request at the largest size over the smallest (same rounds)."""
    if len(tables) < 2:
        return
    small, large = tables[0], tables[-1]
    print(f"\n{large['engine']}, growth from {small['size']:,} to {large['size']:,} clients")
    print(f"| {'page':<28} | {'CPU ms':>7} | {'CPU ms':>7} | {'growth':>6} |")
    print(f"|{'-' * 30}|{'-' * 9}|{'-' * 9}|{'-' * 8}|")
    for before, after in zip(small["pages"], large["pages"], strict=True):
        growth = f"{after['cpu_ms'] / before['cpu_ms']:>5.2f}×" if before["cpu_ms"] else "    —"
        print(
            f"| {before['label']:<28} | {before['cpu_ms']:>7.2f} | {after['cpu_ms']:>7.2f} | "
            f"{growth} |"
        )


def print_tables(tables: list[dict]) -> None:
    for table in tables:
        pages = table["pages"]
        bare = next(page for page in pages if page["path"] == "/" and page["queries"] is None)
        print(f"\n{table['engine']}, {table['size']:,} clients in the practice")
        header = (
            f"| {'page':<28} | {'req/s':>6} | {'p50 ms':>7} | {'p99 ms':>7} | "
            f"{'CPU ms/req':>10} | {'× bare':>6} | {'queries':>7} |"
        )
        print(header)
        print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
        for page in pages:
            queries = "—" if page["queries"] is None else str(page["queries"])
            print(
                f"| {page['label']:<28} | {page['rps']:>6.1f} | {page['p50']:>7.1f} | "
                f"{page['p99']:>7.1f} | {page['cpu_ms']:>10.2f} | "
                f"{page['cpu_ms'] / bare['cpu_ms']:>6.1f} | {queries:>7} |"
            )


def main() -> int:
    args = parse_args()
    if args.database_url is not None:  # a child: one database, the figures as JSON
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop its servers on the way
        measure_database(args)
        return 0
    print(machine(f"gunicorn ({WORKERS} sync workers each)"))
    print(
        f"{args.repetitions} rounds × {args.requests} requests per page (5 × as many for the "
        f"bare page and /healthz/) from {CONNECTIONS} "
        f"connections, pages interleaved; directory of {args.directory:,} resources\n"
    )
    for database in args.databases.split(","):
        if database == "sqlite":
            child_run(args, "")
        elif os.environ.get("DATABASE_URL"):
            child_run(args, os.environ["DATABASE_URL"])
        else:
            with throwaway_postgresql() as url:
                child_run(args, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
