"""What Django's building blocks cost against the bare page, in-process: the floor under any
page's ratio in benchmarks/pages.py.

Issue 15 asks for pages within a few times the bare page (a 20-row template, nothing else).
This measures, in one process and interleaved, the CPU of the bare page's own render and of
the pieces an Outward page is made of: reading the session and the signed-in user, one ORM
query of one row, of 25 model objects, of 25 rows as tuples, the same 25 rows through a raw
cursor, 25 `reverse()` calls, and a 25-row table rendered with and without an `{% include %}`
per row. A page's ratio cannot be below the sum of the blocks it uses.

    .venv/bin/python benchmarks/floor.py [--calls 2000] [--reps 5]

SQLite in a fresh temporary directory; with DATABASE_URL set, that database (it must be
migrated and writable: a small practice is seeded into it).
"""

import argparse
import datetime
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarking import engine_name, fresh_django, machine

HERE = Path(__file__).resolve().parent

ROW_TEMPLATE = (
    "<tr><th scope='row'><a href='{{ row.url }}'>{{ row.name }}</a></th>"
    "<td>{{ row.count }}</td><td>{{ row.seen|date:'j M Y' }}</td></tr>"
)
TABLE_INLINE = "<table>{% for row in rows %}" + ROW_TEMPLATE + "{% endfor %}</table>"
TABLE_INCLUDED = "<table>{% for row in rows %}{% include 'floor_row.html' %}{% endfor %}</table>"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per block per rep")
    parser.add_argument("--reps", type=int, default=5, help="interleaved repetitions")
    return parser.parse_args()


def blocks() -> list[tuple[str, Callable[[], object]]]:
    """(label, one call) of every block, the bare page first."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.template import engines
    from django.urls import reverse

    from outward.care.models import Client
    from outward.seeding import seed_load

    practice = seed_load(therapists=1, clients=30, seed=1)
    user = get_user_model().objects.filter(is_active=True).order_by("pk").first()
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    key = session.session_key
    client_pks = list(
        Client.objects.filter(practice=practice).order_by("pk").values_list("pk", flat=True)
    )

    bare = engines["django"].from_string((HERE / "bare_templates" / "bare.html").read_text())
    bare_rows = [
        {"name": f"Row {n}", "count": n * 7, "note": f"Note number {n}"} for n in range(20)
    ]
    engine = type(engines["django"])(
        {
            "NAME": "floor",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"floor_row.html": ROW_TEMPLATE})
                ]
            },
        }
    )
    inline, included = engine.from_string(TABLE_INLINE), engine.from_string(TABLE_INCLUDED)
    seen = datetime.date(2026, 1, 5)
    rows = [
        {"url": f"/clients/{pk}/", "name": f"Client {n}", "count": n, "seen": seen}
        for n, pk in enumerate(client_pks[:25])
    ]

    def raw_rows():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, status FROM care_client WHERE practice_id = %s ORDER BY id LIMIT 25",
                [practice.pk],
            )
            return cursor.fetchall()

    return [
        ("bare page render (20 rows)", lambda: bare.render({"rows": bare_rows})),
        ("session read (ORM)", lambda: SessionStore(key).load()),
        ("user by pk (ORM)", lambda: get_user_model().objects.get(pk=user.pk)),
        ("one client by pk (ORM)", lambda: Client.objects.filter(pk=client_pks[0]).first()),
        (
            "25 clients as objects (ORM)",
            lambda: list(Client.objects.filter(practice=practice).order_by("pk")[:25]),
        ),
        (
            "25 clients as tuples (ORM)",
            lambda: list(
                Client.objects.filter(practice=practice)
                .order_by("pk")
                .values_list("pk", "status")[:25]
            ),
        ),
        ("25 clients, raw cursor", raw_rows),
        (
            "25 reverse() calls",
            lambda: [reverse("care:client_detail", args=[pk]) for pk in client_pks[:25]],
        ),
        ("25-row table, inline", lambda: inline.render({"rows": rows})),
        ("25-row table, include per row", lambda: included.render({"rows": rows})),
    ]


def cpu_ms(call: Callable[[], object], calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        call()
    return (time.process_time() - started) / calls * 1000


def main() -> int:
    args = parse_args()
    with fresh_django():
        from django.db import connection

        measured = blocks()
        for _label, call in measured:  # warm caches, compile templates
            for _ in range(50):
                call()
        figures: dict[str, list[float]] = {label: [] for label, _call in measured}
        for rep in range(args.reps):
            for label, call in measured:
                figures[label].append(cpu_ms(call, args.calls))
            print(f"repetition {rep + 1} of {args.reps} done", file=sys.stderr)

        print(f"{machine()}; {engine_name(connection)}")
        print(f"median of {args.reps} interleaved repetitions × {args.calls} calls, CPU\n")
        bare = statistics.median(figures[measured[0][0]])
        print(f"| {'block':<32} | CPU ms | × bare page |")
        print(f"|{'-' * 34}|--------|-------------|")
        for label, values in figures.items():
            ms = statistics.median(values)
            print(f"| {label:<32} | {ms:6.3f} | {ms / bare:11.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
