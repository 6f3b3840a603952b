"""Writes under concurrency, through the real HTTP paths: 16 clients at once checking in and
ticking off steps, on SQLite and PostgreSQL.

Seeds a practice whose clients each have a goal with one step, serves Outward under gunicorn
with one sync worker per writer (so every writer's request reaches the database at once: the
contention under test, not a queue for a worker), gives each writer a few signed-in clients
(sessions made as the tests make theirs, `force_login`) and has each, in a thread, repeat:

  check-in     POST /me/check-in/ with a form token, as a client who has not checked in today
  step done    POST /me/steps/<id>/done/
  step undo    POST /me/steps/<id>/undo/

with a pause of 0.1–0.5 s between requests (a burst: a person is slower). Every answer must
be the redirect a browser would follow; anything else counts as an error. Prints, per kind of
write: the writes, errors, p50, p99 and max latency.

    .venv/bin/python benchmarks/writers.py                  # SQLite + a throwaway PostgreSQL
    .venv/bin/python benchmarks/writers.py --writers 16 --rounds 20 --databases sqlite
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/writers.py   # SQLite + that one
"""

import argparse
import http.client
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from benchmarking import (
    HOST,
    REPO_ROOT,
    REQUEST_TIMEOUT,
    configure_environment,
    engine_name,
    free_port,
    machine,
    start_server,
    stop_server,
    throwaway_postgresql,
)

CSRF = "benchmarkcsrfsecret0123456789abc"  # 32 characters: Django's unmasked CSRF secret
PAUSE = (0.1, 0.5)  # seconds between one writer's requests
KINDS = ("check-in", "step done", "step undo")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=15, help="check-ins per writer")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)  # one database (a child run)
    return parser.parse_args()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(share * len(ordered)) - 1] if ordered else float("nan")


def post(conn, path: str, cookie: str, fields: dict[str, str]) -> tuple[int, float]:
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, **fields})
    headers = {
        "Cookie": f"{cookie}; csrftoken={CSRF}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    started = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def writer(port, sessions, step_paths, results, errors, seed, ready) -> None:
    """One person's burst: a check-in as each of its clients, a step done and undone."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    check_in = {
        "mood": "6",
        "loneliness": "4",
        "meaningful_interactions": "2",
        "in_person": "1",
        "online": "1",
        "win": "Said hello to a neighbour",
    }
    try:
        try:  # untimed: every worker has loaded these pages' code
            for cookie in sessions[:2]:
                for path in ("/me/check-in/", "/today/"):
                    conn.request("GET", path, headers={"Cookie": cookie})
                    conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            conn.close()  # a slow start; the timed part counts what matters
        finally:
            ready.wait()
        for cookie, (done, undo) in zip(sessions, step_paths, strict=True):
            for kind, path, fields in (
                ("check-in", "/me/check-in/", {**check_in, "form_token": uuid.uuid4().hex}),
                ("step done", done, {}),
                ("step undo", undo, {}),
            ):
                try:
                    status, elapsed = post(conn, path, cookie, fields)
                except (OSError, http.client.HTTPException) as error:
                    errors.append(f"{kind}: {type(error).__name__}: {error}")
                    conn.close()
                else:
                    results[kind].append(elapsed)
                    if status != 302:
                        errors.append(f"{kind}: {path} answered {status}")
                time.sleep(rng.uniform(*PAUSE))
    finally:
        conn.close()


def measure_database(args) -> dict:
    """In a child process with its own DATABASE_URL (empty: a fresh SQLite file)."""
    data_dir = Path(tempfile.mkdtemp(prefix="outward-writers-"))
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)  # SQLite, in data_dir
    configure_environment(data_dir, hosts=f"{HOST},localhost,testserver", log_level="ERROR")
    server = None
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client as Browser
        from django.urls import reverse

        from outward.accounts.models import User
        from outward.care.models import Client
        from outward.goals.models import Goal, Step
        from outward.seeding import seed_load

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        engine = engine_name(connection)
        practice = seed_load(therapists=1, clients=args.writers * args.rounds, notes_per_client=0)
        # Every writer's portal open (the load seed discharges one client in ten).
        Client.objects.filter(practice=practice).update(status=Client.Status.ACTIVE)
        User.objects.filter(client__practice=practice).update(is_active=True)
        clients = list(Client.objects.filter(practice=practice).select_related("user"))
        goals = {goal.client_id: goal for goal in Goal.objects.filter(client__practice=practice)}
        steps = Step.objects.bulk_create(
            Step(client=client, author=client.user, goal=goals[client.pk], title="Say hello")
            for client in clients
        )
        sessions = []
        for client in clients:
            browser = Browser()
            browser.force_login(client.user)
            sessions.append(
                f"{settings.SESSION_COOKIE_NAME}="
                f"{browser.cookies[settings.SESSION_COOKIE_NAME].value}"
            )
        step_paths = [
            (reverse("goals:step_done", args=[step.pk]), reverse("goals:step_undo", args=[step.pk]))
            for step in steps
        ]
        connection.close()

        port = free_port()
        server = start_server(port, data_dir / "gunicorn.log", workers=args.writers)
        results = {kind: [] for kind in KINDS}
        errors: list[str] = []
        ready = threading.Barrier(args.writers)  # everyone warmed up, then all at once
        threads = [
            threading.Thread(
                target=writer,
                args=(
                    port,
                    sessions[n :: args.writers],
                    step_paths[n :: args.writers],
                    results,
                    errors,
                    n,
                    ready,
                ),
            )
            for n in range(args.writers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {
            "engine": engine,
            "results": results,
            "errors": errors,
        }
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(data_dir, ignore_errors=True)


def child_run(args, database_url: str) -> dict:
    command = [sys.executable, __file__, "--database-url", database_url]
    command += ["--writers", str(args.writers), "--rounds", str(args.rounds)]
    result = subprocess.run(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(result.stdout.splitlines()[-1])


def main() -> int:
    args = parse_args()
    if args.database_url is not None:  # a child: one database, the figures as JSON
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop its server on the way
        print(json.dumps(measure_database(args)))
        return 0
    print(machine(f"gunicorn ({args.writers} sync workers)"))
    print(
        f"{args.writers} writers, each {args.rounds} × (check-in, step done, step undo), "
        f"{PAUSE[0]}–{PAUSE[1]} s apart\n"
    )
    runs = []
    for database in args.databases.split(","):
        if database == "sqlite":
            runs.append(child_run(args, ""))
        elif os.environ.get("DATABASE_URL"):
            runs.append(child_run(args, os.environ["DATABASE_URL"]))
        else:
            with throwaway_postgresql() as url:
                runs.append(child_run(args, url))
    print(f"| {'database':<22} | {'write':<9} | writes | errors | p50 ms | p99 ms | max ms |")
    print(f"|{'-' * 24}|{'-' * 11}|-------:|-------:|-------:|-------:|-------:|")
    for run in runs:
        for kind in KINDS:
            values = run["results"][kind]
            errors = sum(error.startswith(kind) for error in run["errors"])
            print(
                f"| {run['engine']:<22} | {kind:<9} | {len(values):>6} | {errors:>6} | "
                f"{percentile(values, 0.5):>6.0f} | {percentile(values, 0.99):>6.0f} | "
                f"{max(values, default=float('nan')):>6.0f} |"
            )
        for error in sorted(set(run["errors"]))[:5]:
            print(f"  {run['engine']}: {error}")
    return 1 if any(run["errors"] for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
