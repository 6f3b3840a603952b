"""Where a page's time goes, in-process: CPU per request of the therapist's caseload, the
client pages, the client's Today and the cheapest signed-in pages (check-in form, account
page: nearly all frame) at two practice sizes, against a bare Django page.

Seeds a practice of each size (`seed_load`: one therapist, N clients) in a fresh temporary
SQLite database, signs the therapist and one active client in with `django.test.Client`, and
interleaves the pages over several repetitions: each repetition runs `--requests` requests of
every page at every size and takes the CPU time (`time.process_time`) of the batch. The table
gives the median over the repetitions of the CPU per request, its ratio to the bare page
(a view with no middleware rendering a 20-row template, measured in the same repetitions),
the SQL queries of one request, and the ratio of the largest size to the smallest.

    .venv/bin/python benchmarks/profile_pages.py [--sizes 10,10000] [--requests 30] [--reps 3]
    .venv/bin/python benchmarks/profile_pages.py --profile /caseload/   # cProfile top list

With `--profile PAGE` (a label from the table) it runs cProfile over that page at the largest
size and prints the top functions by cumulative and by own time. `--pages a,b` keeps only
the pages whose label has one of those words.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
import types

from benchmarking import fresh_django, machine

BARE_TEMPLATE = """<!doctype html><html><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><table><thead><tr><th>Name</th><th>Status</th><th>Seen</th></tr></thead>
<tbody>{% for row in rows %}<tr><td><a href="/r/{{ row.pk }}/">{{ row.name }}</a></td>
<td>{{ row.status }}</td><td>{{ row.seen|date:"j M Y" }}</td></tr>{% endfor %}</tbody></table>
</body></html>"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,10000", help="clients in each practice")
    parser.add_argument("--requests", type=int, default=30, help="requests per page per rep")
    parser.add_argument("--reps", type=int, default=3, help="interleaved repetitions")
    parser.add_argument("--profile", default="", help="cProfile this page (its label)")
    parser.add_argument("--sql", action="store_true", help="with --profile: list its SQL")
    parser.add_argument("--pages", default="", help="only the pages whose label has one of these")
    parser.add_argument("--top", type=int, default=30, help="rows of the cProfile list")
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    args.pages = [part.strip() for part in args.pages.split(",") if part.strip()]
    return args


def bare_urlconf():
    """A URL configuration of one view: a 20-row template, no database, no middleware."""
    import datetime

    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    template = engines["django"].from_string(BARE_TEMPLATE)
    seen = datetime.date(2026, 1, 5)
    rows = [{"pk": n, "name": f"Client {n}", "status": "active", "seen": seen} for n in range(20)]

    def bare(request):
        return HttpResponse(template.render({"title": "Bare", "rows": rows}, request))

    module = types.ModuleType("bare_urls")
    module.urlpatterns = [path("", bare)]
    return module


def seed(size: int):
    """A practice of `size` clients; its therapist and one active client, signed in."""
    from django.test import Client as Browser

    from outward.care.models import Client, Membership
    from outward.seeding import seed_load

    practice = seed_load(therapists=1, clients=size, seed=size)
    client = (
        Client.objects.filter(practice=practice, status=Client.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    client.user.is_active = True  # seed_load's clients have not accepted an invitation
    client.user.save(update_fields=["is_active"])
    therapist = Membership.objects.select_related("user").get(practice=practice).user
    staff, portal = Browser(), Browser()
    staff.force_login(therapist)
    portal.force_login(client.user)
    return staff, portal, client


def pages(client, only=()) -> list[tuple[str, str, str]]:
    """(label, who, path) of every page measured; group suggestions belong to another task."""
    from django.urls import reverse

    from outward.care import happenings

    found = [
        ("/healthz/ signed in", "staff", "/healthz/"),
        ("/caseload/", "staff", reverse("care:caseload")),
        ("/caseload/?q=a", "staff", reverse("care:caseload") + "?q=a"),
    ]
    for tab in happenings.client_tabs():
        if tab.key != "groups":
            found.append((f"client {tab.key}", "staff", reverse(tab.url_name, args=[client.pk])))
    found.append(("Today (client)", "portal", reverse("care:today")))
    # The cheapest signed-in pages: what they cost beyond their own content is the frame.
    found.append(("check-in form (client)", "portal", reverse("journal:my_check_in")))
    found.append(("account (client)", "portal", reverse("accounts:account")))
    found.append(("account (therapist)", "staff", reverse("accounts:account")))
    return [page for page in found if not only or any(part in page[0] for part in only)]


def run_batch(browser, path: str, requests: int) -> float:
    """CPU seconds per request over `requests` requests (after two warm-up requests)."""
    for _ in range(2):
        check(browser.get(path), path)
    started = time.process_time()
    for _ in range(requests):
        browser.get(path)
    return (time.process_time() - started) / requests


def check(response, path):
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")


def count_queries(browser, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        check(browser.get(path), path)
    return len(captured)


def main() -> int:
    args = parse_args()
    with fresh_django():
        from django.core.management import call_command
        from django.test import Client as Browser
        from django.test.utils import override_settings

        call_command("collectstatic", verbosity=0, interactive=False)
        print(machine())
        started = time.perf_counter()
        practices = {size: seed(size) for size in args.sizes}
        print(
            f"Seeded {', '.join(map(str, args.sizes))} clients in "
            f"{time.perf_counter() - started:.1f}s (SQLite, in-process django.test.Client)\n"
        )
        bare_browser = Browser()
        bare_settings = override_settings(MIDDLEWARE=[], ROOT_URLCONF=bare_urlconf())

        def bare_batch():
            with bare_settings:
                return run_batch(bare_browser, "/", args.requests)

        labels = [label for label, _who, _path in pages(practices[args.sizes[0]][2], args.pages)]
        if args.profile:
            staff, portal, client = practices[args.sizes[-1]]
            who, path = next((w, p) for label, w, p in pages(client) if label == args.profile)
            browser = staff if who == "staff" else portal
            run_batch(browser, path, 3)
            if args.sql:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    browser.get(path)
                for query in captured:
                    print(f"{float(query['time']) * 1000:7.2f} ms  {query['sql'][:300]}")
                return 0
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                browser.get(path)
            profiler.disable()
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
                print(out.getvalue())
            return 0

        cpu: dict[tuple[int, str], list[float]] = {}
        queries: dict[tuple[int, str], int] = {}
        bare: list[float] = []
        for rep in range(args.reps):
            bare.append(bare_batch())
            for size, (staff, portal, client) in practices.items():
                for label, who, path in pages(client, args.pages):
                    browser = staff if who == "staff" else portal
                    per_request = run_batch(browser, path, args.requests)
                    cpu.setdefault((size, label), []).append(per_request)
                    if rep == 0:
                        queries[size, label] = count_queries(browser, path)
            bare.append(bare_batch())
            print(f"repetition {rep + 1} of {args.reps} done", file=sys.stderr)

        bare_ms = statistics.median(bare) * 1000
        small, large = args.sizes[0], args.sizes[-1]
        print(f"bare page (20 rows, no middleware): {bare_ms:.2f} ms CPU per request\n")
        header = f"{'page':<22}" + "".join(
            f" {f'{size} ms':>9} {'×bare':>6} {'q':>3}" for size in args.sizes
        )
        print(header + f" {f'{large}/{small}':>10}")
        print("-" * (len(header) + 11))
        for label in labels:
            line = f"{label:<22}"
            for size in args.sizes:
                ms = statistics.median(cpu[size, label]) * 1000
                line += f" {ms:>9.2f} {ms / bare_ms:>6.1f} {queries[size, label]:>3}"
            growth = statistics.median(cpu[large, label]) / statistics.median(cpu[small, label])
            print(line + f" {growth:>10.2f}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
