"""Personas shared by every room's tests: the six people of the access matrix."""

import copy
import datetime
import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.management.color import no_style
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import sql
from django.test import Client as HttpClient
from django.test.utils import override_settings
from pytest_django.plugin import blocking_manager_key
from time_machine import escape_hatch

from outward.accounts.models import User
from outward.care import security
from outward.care import services as care_services
from outward.care.models import Client, Membership, Practice
from outward.community.models import Interest

PASSWORD = "correct horse battery staple"
# Not UTC, and with a DST change, so time-zone mistakes show.
PRACTICE_TZ = "America/New_York"


@pytest.fixture(autouse=True, scope="session")
def _fast_hashing():
    """Once for the run, not per test (a `settings` change per test costs its signals)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# What a migrated database holds: the migrations and what their data steps read.
MIGRATED_FROM = [
    "outward/*/migrations/*.py",
    "outward/community/taxonomy.py",
    "outward/community/data/*",
    "outward/lib/hashchain.py",
]


def _migrated_template() -> Path:
    """A freshly migrated SQLite database, made once for these migrations (by the first
    worker to ask; the others wait for it) and kept next to the test databases."""
    root = Path(__file__).resolve().parent.parent
    key = hashlib.sha256(django.get_version().encode())
    for path in sorted(p for pattern in MIGRATED_FROM for p in root.glob(pattern)):
        key.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    folder = Path(settings.DATABASES["default"]["NAME"]).parent
    template = folder / f"test-migrated-{key.hexdigest()[:16]}.sqlite3"
    with open(folder / "test-migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            for old in folder.glob("test-migrated-*.sqlite3"):
                old.unlink()
            building = template.with_suffix(f".{os.getpid()}")
            subprocess.run(
                [sys.executable, "-m", "django", "migrate", "--skip-checks", "-v0"],
                env={**os.environ, "DATABASE_URL": f"sqlite:///{building}"},
                check=True,
            )
            built = sqlite3.connect(building)
            built.execute("PRAGMA journal_mode=DELETE")  # one file, without its write-ahead log
            built.close()
            building.replace(template)
    return template


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings) -> bool:
    """On SQLite, each worker's test database starts as a copy of the migrated template and
    is kept by Django's set-up (which still applies any migration the copy lacks): a
    file copy instead of running the migrations once per worker. Removed at the end."""
    if request.config.getvalue("reuse_db"):
        return True
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3" or request.config.getvalue("create_db"):
        return False
    template = _migrated_template()
    name = Path(database["TEST"]["NAME"])
    source, target = sqlite3.connect(template), sqlite3.connect(name)
    source.backup(target)
    source.close()
    target.close()

    def remove():
        connections.close_all()
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            path.unlink(missing_ok=True)

    request.addfinalizer(remove)
    return True


def make_staff(practice: Practice, email: str, name: str, **roles) -> Membership:
    user = User.objects.create_user(email, PASSWORD, full_name=name, time_zone=practice.time_zone)
    return Membership.objects.create(user=user, practice=practice, **roles)


def raise_alert(client: Client, *, item9: int = 2, actor: User | None = None):
    """A PHQ-9 entered in session (by `actor`, else the client's first care-team therapist)
    with a risk answer (item 9 above 0, as `item9`): returns the risk alert it opens."""
    from outward.measures import services as measure_services

    answers = {str(n): 0 for n in range(1, 9)} | {"9": item9}
    return measure_services.response_enter(
        client=client,
        instrument_key="phq9",
        answers=answers,
        actor=actor or client.care_team.first().therapist.user,
        ip=None,
    ).alert


def make_client(therapist: Membership, email: str, name: str, *, joined: bool = True) -> Client:
    client = care_services.client_create(
        therapist=therapist, email=email, display_name=name, ip=None
    )
    if joined:
        client.user.set_password(PASSWORD)
        client.user.is_active = True
        client.user.save()
    return client


@dataclass
class World:
    practice: Practice
    other_practice: Practice
    therapist: Membership  # on the client's care team
    colleague: Membership  # same practice, not on the client's care team
    stranger: Membership  # therapist of another practice
    admin: Membership  # practice admin, not on any care team
    client: Client
    other_client: Client  # same practice, on the colleague's care team

    def as_(self, persona: str) -> HttpClient:
        """A test client signed in as one persona (or anonymous): Django's sign-in, without
        the security log's sign-in event (a hash-chained write, a quarter of a short test's
        time). care/tests/test_security_log.py proves the real sign-in path writes it."""
        http = HttpClient()
        user = self.user(persona)
        if user is not None:
            user_logged_in.disconnect(dispatch_uid=security.SIGNED_IN)
            try:
                http.force_login(user)
            finally:
                security.connect()
        return http

    def user(self, persona: str) -> User | None:
        return {
            "therapist": self.therapist.user,
            "colleague": self.colleague.user,
            "stranger": self.stranger.user,
            "admin": self.admin.user,
            "client": self.client.user,
            "other_client": self.other_client.user,
            "anonymous": None,
        }[persona]


def build_world() -> World:
    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    other = care_services.practice_create(name="Hilltop Practice", time_zone="Europe/Berlin")
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    colleague = make_staff(practice, "cole@riverside.test", "Cole Colleague")
    stranger = make_staff(other, "sven@hilltop.test", "Sven Stranger")
    admin = make_staff(
        practice, "ada@riverside.test", "Ada Admin", is_therapist=False, is_admin=True
    )
    client = make_client(therapist, "casey@client.test", "Casey Client")
    other_client = make_client(colleague, "olive@client.test", "Olive Other")
    care_services.session_note_create(
        client=client,
        author=therapist.user,
        session_date=datetime.date(2026, 11, 2),
        text="PRIVATE-NOTE-TEXT about the session",
        ip=None,
    )
    return World(practice, other, therapist, colleague, stranger, admin, client, other_client)


class Rows:
    """Rows read from the database, written again (with their ids) by plain INSERTs."""

    def __init__(self, found: list[tuple[type, list]]):
        self.found = found
        self.sequences = connection.ops.sequence_reset_sql(no_style(), [m for m, _rows in found])
        self.statements: list[tuple[str, tuple]] | None = None

    def _statements(self) -> list[tuple[str, tuple]]:
        """The INSERTs as the ORM's bulk insert (raw) would send them, made once: building
        them was two thirds of writing a world again (3.2 ms a test, over 30 queries' worth
        of compiling and value preparing for the same rows each time)."""
        statements = []
        for model, rows in self.found:
            fields = [f for f in model._meta.local_concrete_fields if not f.generated]
            query = sql.InsertQuery(model)
            query.insert_values(fields, rows, raw=True)
            statements += query.get_compiler(connection=connection).as_sql()
        return statements

    def write(self) -> None:
        if self.statements is None:
            self.statements = self._statements()
        # Foreign keys are checked at the end, in any order.
        with transaction.atomic(), connection.cursor() as cursor:
            for statement, params in self.statements:
                cursor.execute(statement, params)
        if self.sequences:  # PostgreSQL: the next id after the ones just written
            with connection.cursor() as cursor:
                cursor.execute(";".join(self.sequences))


class Snapshot:
    """The rows `build()` writes, read back once and written again (with their ids) for each
    test: a few INSERTs instead of the services' validation, hashing and audit chain. The
    test gets a deep copy of what the build returned (the same cached relations, so a test's
    query counts do not change), never one another test has touched."""

    def __init__(self, build: Callable):
        tables = set(connection.introspection.table_names())  # a migration test may go back
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
        ]
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        with transaction.atomic():
            self.built = build()
            found = []
            for model in models:
                new = [
                    row for row in model._base_manager.order_by("pk") if row.pk not in before[model]
                ]
                if new:
                    found.append((model, new))
            transaction.set_rollback(True)
        self.taken = time.monotonic()
        self.rows = Rows(found)

    def restore(self):
        self.rows.write()
        return copy.deepcopy(self.built)


_snapshots: dict[Callable, Snapshot] = {}
# Taken again after a minute, so the rows' creation times stay as recent as a test expects.
SNAPSHOT_SECONDS = 60


def replayed(build: Callable):
    """What `build()` returns, built once (a minute at most) and replayed per test; built for
    real while the clock is moved (time-machine), so the rows carry the travelled time."""
    if escape_hatch.is_travelling():
        return build()
    snapshot = _snapshots.get(build)
    if snapshot is None or time.monotonic() - snapshot.taken > SNAPSHOT_SECONDS:
        snapshot = _snapshots[build] = Snapshot(build)
    try:
        return snapshot.restore()
    except IntegrityError:  # a fixture before this one took an id or address the rows use
        return build()


def _transactional(item) -> bool:
    """pytest-django's own test: such a test commits, and empties every table after it."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(
        {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)
    )


# The interest taxonomy as the data migrations wrote it (read before the first transactional
# test of this worker runs; see _forget_world_after_flush).
_taxonomy: Rows | None = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """The flush after a transactional test also empties the interest taxonomy a data
    migration wrote; put it back, with the same ids, so that whichever test this worker runs
    next finds it, whatever order the tests are shared out in."""
    result = yield
    # (After the last test the database is gone; a test skipped before its set-up flushed
    # nothing.)
    if nextitem is not None and _transactional(item) and _taxonomy is not None:
        with item.config.stash[blocking_manager_key].unblock():
            if not Interest.objects.exists():
                _taxonomy.write()
    return result


@pytest.fixture(autouse=True)
def _forget_world_after_flush(request):
    """After a test that empties the tables (ids of rows made by post_migrate, such as content
    types, may differ afterwards), the next `world` or `demo` is built and read back anew."""
    global _taxonomy
    transactional = _transactional(request.node)
    if transactional and _taxonomy is None:  # nothing has changed it yet: as migrated
        request.getfixturevalue("django_db_setup")
        with request.config.stash[blocking_manager_key].unblock():
            _taxonomy = Rows(
                [
                    (model, list(model._base_manager.order_by("pk")))
                    for model in (Interest, Interest.broader.through)
                ]
            )
    yield
    if transactional:
        _snapshots.clear()


@pytest.fixture
def world(db) -> World:
    """The six personas (see World)."""
    return replayed(build_world)


@pytest.fixture
def demo(db) -> list[tuple[str, str]]:
    """The demo practice (outward.seeding): its logins, as seed_demo_practice returns them."""
    from outward.seeding import seed_demo_practice

    return replayed(seed_demo_practice)


def pytest_collection_modifyitems(config, items):
    """The modules with tests that commit (browser journeys, concurrency, backups: the slow
    ones) first in each worker's share of the run, since pytest-xdist's worksteal hands
    each worker an equal slice in order and steals from the ends: the run ends on short
    tests, not with one worker on a long journey while the others wait. Whole modules
    move, in their collected order; the order is the same in every worker."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    modules: dict = {}
    for item in items:
        modules.setdefault(item.module, []).append(item)
    slow, fast = [], []
    for tests in modules.values():
        if any(_transactional(test) for test in tests):
            slow.append(tests)
        else:
            fast.extend(tests)
    shares, committing = [[] for _ in range(workers)], [0] * workers
    for tests in slow:  # to the share with the fewest committing tests so far
        share = committing.index(min(committing))
        shares[share].extend(tests)
        committing[share] += sum(_transactional(test) for test in tests)
    ordered, left = [], len(items)
    for number, share in enumerate(shares):  # the slices worksteal cuts: left // workers left
        size = left // (workers - number)
        left -= size
        filling = max(size - len(share), 0)
        ordered += share + fast[:filling]
        del fast[:filling]
    items[:] = ordered + fast
