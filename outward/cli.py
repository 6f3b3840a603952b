"""The `outward` command: `outward demo`, `outward serve`, and every Django management command."""

import os
import signal
import subprocess
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "demo":
        # The demo is a local, single-person server: development key allowed, plain http,
        # static files from the apps (whitenoise), but no debug pages (see settings.DEMO).
        os.environ.setdefault("OUTWARD_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outward.settings")
    import django
    from django.core.management import call_command, execute_from_command_line

    if command == "demo":
        django.setup()
        _demo(call_command, argv[2:])
    elif command == "serve":
        django.setup()
        _serve(call_command, argv[2:])
    else:
        execute_from_command_line(argv)


def _demo(call_command, args: list[str]) -> None:
    from django.conf import settings

    from outward.seeding import DEMO_PASSWORD, seed_demo_practice

    address = args[0] if args else "127.0.0.1:8000"
    call_command("migrate", interactive=False, verbosity=0)
    logins = seed_demo_practice()
    print(f"\nOutward demo practice (synthetic data) — sign in at http://{address}/login/\n")
    for role, email in logins:
        print(f"  {role:<16} {email:<36} password: {DEMO_PASSWORD}")
    database = settings.DATABASES["default"]["NAME"]
    # Directory imports, feed refreshes and e-mails run in the task worker: the demo starts one
    # for every queue beside the server, and stops it with the server.
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "django", "db_worker", "--queue-name", "*", "--no-reload"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print("A background worker runs imports and e-mails beside the server.")
    print(f"\nPress Ctrl+C to stop. The data stays in {database}.\n", flush=True)
    # `kill` ends the demo as Ctrl+C does, so the worker is stopped with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        call_command("runserver", address, use_reloader=False)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def _serve(call_command, args: list[str]) -> None:
    """Production: refuse unsafe settings, collect static files, then hand over to gunicorn."""
    from django.conf import settings

    if settings.DEMO:
        sys.exit("OUTWARD_DEMO is for `outward demo` on this machine only; unset it to serve.")
    call_command("check", deploy=True, fail_level="ERROR")
    call_command("collectstatic", interactive=False, verbosity=0)
    bind = os.environ.get("OUTWARD_BIND", "127.0.0.1:8000")
    workers = os.environ.get("OUTWARD_WORKERS", "3")
    gunicorn_args = ["gunicorn", "outward.wsgi", "--bind", bind, "--workers", workers, *args]
    os.execvp(sys.executable, [sys.executable, "-m", *gunicorn_args])  # noqa: S606
