"""How the therapist's caseload page scales with the size of the caseload.

Seeds a practice with ONE therapist and N clients for each size, serves the app with a real
gunicorn (1 worker, 1 thread) and times sequential requests from a single client to:

  /healthz/                the baseline: the full middleware stack, no database, no template
  /healthz/ (signed in)    the same with the session cookie: adds session + user + membership
  /caseload/               the first page of the caseload (25 rows), the common case
  /caseload/?q=a           a search; every load-test client's e-mail contains "a", so it matches all

It also counts, in-process, the SQL queries the caseload page makes at each size.

    .venv/bin/python benchmarks/caseload.py [--requests 300] [--sizes 10,100,1000]

Uses a fresh temporary SQLite database, or the PostgreSQL database in DATABASE_URL if that is
set (the seeded practices are then left in that database).
"""

import argparse
import io
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarking import (
    HOST,
    configure_environment,
    engine_name,
    free_port,
    get,
    sign_in,
    start_server,
    stop_server,
)

WARMUP = 20


@dataclass
class Result:
    size: int
    label: str
    latencies_ms: list[float]
    wall_seconds: float

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_seconds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per URL")
    parser.add_argument(
        "--sizes", default="10,100,1000", help="clients per therapist, comma-separated"
    )
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.requests < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error("--requests and every size must be at least 1")
    return args


def measure(
    port: int, path: str, headers: dict[str, str], requests: int, check
) -> tuple[list[float], float]:
    """WARMUP untimed requests, then `requests` sequential timed ones (connect to last byte)."""
    for _ in range(WARMUP):
        get(port, path, headers)
    latencies = []
    started = time.perf_counter()
    for _ in range(requests):
        before = time.perf_counter()
        status, body = get(port, path, headers)
        latencies.append((time.perf_counter() - before) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        check(body)
    return latencies, time.perf_counter() - started


def count_queries(user, path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    browser = Client()
    browser.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"in-process GET {path} answered {response.status_code}")
    return len(queries)


def rows_check(expected: int):
    def check(body: bytes) -> None:
        rows = body.count(b'<th scope="row">')
        if rows != expected:
            raise RuntimeError(f"caseload showed {rows} rows, expected {expected}")

    return check


def ok_check(body: bytes) -> None:
    if body != b"ok":
        raise RuntimeError(f"/healthz/ answered {body[:80]!r}")


def main() -> int:
    args = parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="outward-bench-"))
    configure_environment(data_dir, hosts=f"{HOST},localhost,testserver")
    server = None
    try:
        import django

        django.setup()

        import gunicorn
        from django.core.management import call_command
        from django.db import connection

        from outward.care.models import Membership
        from outward.care.selectors import caseload_for_user
        from outward.seeding import DEMO_PASSWORD, seed_load

        call_command("check", stdout=io.StringIO())  # raises if misconfigured
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)

        using_url = bool(os.environ.get("DATABASE_URL"))
        engine = engine_name(connection)
        database = (
            "from DATABASE_URL (seeded practices are left there)"
            if using_url
            else f"fresh temporary file in {data_dir}"
        )
        print(f"Python {platform.python_version()}, Django {django.get_version()}, ", end="")
        print(f"gunicorn {gunicorn.__version__} (1 worker, 1 thread), {os.cpu_count()} CPUs")
        print(f"Database: {engine}, {database}")
        print(f"{args.requests} timed sequential requests per URL after {WARMUP} warm-up, ", end="")
        print("one new connection per request, DEBUG off\n")

        port = free_port()
        server = start_server(port, data_dir / "gunicorn.log")

        results: list[Result] = []
        query_counts: list[tuple[int, int, int]] = []
        for size in args.sizes:
            seed_started = time.perf_counter()
            practice = seed_load(therapists=1, clients=size)
            membership = Membership.objects.select_related("user").get(practice=practice)
            therapist = membership.user
            seeded = caseload_for_user(therapist=membership).count()
            if seeded != size:
                raise RuntimeError(f"therapist sees {seeded} clients, expected {size}")
            print(f"size {size}: seeded in {time.perf_counter() - seed_started:.1f}s", end="")

            query_counts.append(
                (
                    size,
                    count_queries(therapist, "/caseload/"),
                    count_queries(therapist, "/caseload/?q=a"),
                )
            )

            cookie = sign_in(port, therapist.email, DEMO_PASSWORD)
            signed_in = {"Cookie": cookie}
            rows = rows_check(min(size, 25))
            cases = [
                ("/healthz/", "/healthz/", {}, ok_check),
                ("/healthz/ (signed in)", "/healthz/", signed_in, ok_check),
                ("/caseload/", "/caseload/", signed_in, rows),
                ("/caseload/?q=a", "/caseload/?q=a", signed_in, rows),
            ]
            for label, path, headers, check in cases:
                latencies, wall = measure(port, path, headers, args.requests, check)
                results.append(Result(size, label, latencies, wall))
            print(", measured")

        print()
        header = f"{'size':>5}  {'url':<22} {'median_ms':>9} {'p95_ms':>7} {'req/s':>7}"
        print(f"{header} {'ratio_vs_healthz':>16}")
        for size in args.sizes:
            rows_for_size = [result for result in results if result.size == size]
            baseline = rows_for_size[0].median
            for result in rows_for_size:
                print(
                    f"{size:>5}  {result.label:<22} {result.median:>9.2f} {result.p95:>7.2f} "
                    f"{result.throughput:>7.1f} {result.median / baseline:>15.2f}x"
                )
        print("\nSQL queries per caseload page (in-process, django.test.Client):")
        print(f"{'size':>5}  {'/caseload/':>10}  {'/caseload/?q=a':>14}")
        for size, plain, search in query_counts:
            print(f"{size:>5}  {plain:>10}  {search:>14}")
        return 0
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
