"""What a signed-in request costs beyond a signed-out one, in-process: CPU per request of
`/healthz/` signed out, signed in as a therapist and as a client, and the account page,
against the bare page of profile_pages.py (measured in the same repetitions), and where it
goes: each middleware's own CPU (its time less the time of the middleware inside it) and
the SQL of one request. The session and the user are read lazily, so their reads count in
the first middleware that looks at `request.user` (SessionSafetyMiddleware).

    .venv/bin/python benchmarks/profile_signed.py                  # table + per middleware
    .venv/bin/python benchmarks/profile_signed.py --profile account  # cProfile of one page
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections import Counter

from benchmarking import fresh_django
from profile_pages import bare_urlconf, run_batch, seed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="per page per rep")
    parser.add_argument("--reps", type=int, default=3, help="interleaved repetitions")
    parser.add_argument("--profile", default="", help="cProfile this page (its label)")
    return parser.parse_args()


def timed_middleware(own: Counter, order: list[str]):
    """A stand-in for Django's convert_exception_to_response that also adds up the CPU time
    spent inside each middleware (and the view), by name."""
    import django.core.handlers.base as base

    convert = base.convert_exception_to_response

    def wrap(get_response):
        inner = convert(get_response)
        name = getattr(get_response, "__qualname__", None) or type(get_response).__name__
        order.insert(0, name)  # Django builds the chain from the view outwards

        def timed(request):
            started = time.process_time()
            try:
                return inner(request)
            finally:
                own[name] += time.process_time() - started

        return timed

    base.convert_exception_to_response = wrap


def main() -> int:
    args = parse_args()
    with fresh_django():
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client as Browser
        from django.test.client import ClientHandler
        from django.test.utils import CaptureQueriesContext, override_settings

        call_command("collectstatic", verbosity=0, interactive=False)
        staff, portal, _client = seed(10)
        pages = {
            "/healthz/": (Browser(), "/healthz/", args.requests),
            "/healthz/ therapist": (staff, "/healthz/", args.requests),
            "/healthz/ client": (portal, "/healthz/", args.requests),
            "account therapist": (staff, "/account/", args.requests // 10),
            "account client": (portal, "/account/", args.requests // 10),
        }
        if args.profile:
            browser, path, requests = pages[args.profile]
            run_batch(browser, path, 3)
            profiler = cProfile.Profile()
            profiler.enable()
            run_batch(browser, path, requests)
            profiler.disable()
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(40)
                print(out.getvalue())
            return 0

        bare_browser = Browser()
        bare_settings = override_settings(MIDDLEWARE=[], ROOT_URLCONF=bare_urlconf())
        cpu: dict[str, list[float]] = {label: [] for label in ["bare", *pages]}
        for _rep in range(args.reps):
            with bare_settings:
                cpu["bare"].append(run_batch(bare_browser, "/", args.requests))
            for label, (browser, path, requests) in pages.items():
                cpu[label].append(run_batch(browser, path, requests))
        bare_ms = statistics.median(cpu["bare"]) * 1000
        print(f"bare page: {bare_ms:.3f} ms CPU per request\n")
        for label, (browser, path, _requests) in pages.items():
            with CaptureQueriesContext(connection) as captured:
                browser.get(path)
            ms = statistics.median(cpu[label]) * 1000
            print(f"{label:<22} {ms:7.3f} ms {ms / bare_ms:5.2f}× bare  {len(captured)} queries")

        own, order = Counter(), []
        timed_middleware(own, order)
        for label in ("/healthz/", "/healthz/ therapist", "/healthz/ client"):
            browser, path, requests = pages[label]
            browser.handler = ClientHandler()  # built again, with the timed chain
            order.clear()
            browser.get(path)
            own.clear()
            for _ in range(requests):
                browser.get(path)
            print(f"\n{label}: own CPU per request (ms), outermost first")
            for outer, inner in zip(order, [*order[1:], None], strict=True):
                mine = (own[outer] - (own[inner] if inner else 0)) / requests * 1000
                print(f"  {outer:<40} {mine:6.3f}")
            with CaptureQueriesContext(connection) as captured:
                browser.get(path)
            for query in captured:
                print(f"  SQL: {query['sql'][:110]}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
