"""`outward backup`, `outward backup --verify` and `outward restore`, on whichever database the
suite runs on (SQLite, or PostgreSQL when DATABASE_URL says so).

The backup reads the database through its own connection (SQLite's backup API, pg_dump), so
it sees only committed rows: the tests that back up data write it for real
(transaction=True). On PostgreSQL they dump and restore pytest-django's test database, whose
name is in the connection's settings, through the same code path as production."""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from outward import backups
from outward.care.models import Practice
from outward.care.selectors import audit_chain_breaks
from outward.conftest import make_client, make_staff
from outward.journal.models import CheckIn
from outward.journal.services import check_in_create

WRITERS = 20
REPO_ROOT = Path(__file__).resolve().parents[2]


def outward(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def engine():
    return backups.ENGINES[connection.vendor]


@pytest.fixture(scope="module")
def empty_backup(django_db_setup, tmp_path_factory) -> Path:
    """A backup of the freshly migrated test database (no accounts), made once."""
    path = tmp_path_factory.mktemp("backups") / "empty"
    outward("backup", str(path))
    return path


@pytest.fixture
def tampered(empty_backup, tmp_path):
    """A copy of the empty backup to damage; returns (folder, manifest as a dict, save)."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for item in empty_backup.iterdir():
        (copy / item.name).write_bytes(item.read_bytes())
    manifest = json.loads((copy / "manifest.json").read_text())

    def save():
        (copy / "manifest.json").write_text(json.dumps(manifest))

    return copy, manifest, save


def _write_check_ins(client, start, stop, acknowledged, errors):
    """One writer: check-ins on successive days of its client, each acknowledged (committed)
    when the service returns, until told to stop."""
    try:
        start.wait()
        day = 0
        while not stop.is_set():
            check_in = check_in_create(
                client=client,
                author=client.user,
                ip=None,
                # Two days apart: never two on one local day, whatever the clocks do.
                occurred=timezone.now() - datetime.timedelta(days=2 * day),
                mood=5,
                loneliness=4,
                meaningful_interactions=2,
                in_person=1,
                online=1,
            )
            acknowledged.append((check_in.pk, time.monotonic()))
            day += 1
    except Exception as error:  # noqa: BLE001  (reported by the test)
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_backup_under_twenty_writers_restores_every_acknowledged_check_in(tmp_path):
    practice = Practice.objects.create(name="Busy Practice", time_zone="Europe/London")
    therapist = make_staff(practice, "tess@busy.test", "Tess Therapist")
    clients = [make_client(therapist, f"c{n}@busy.test", f"Client {n}") for n in range(WRITERS)]
    start, stop = threading.Barrier(WRITERS + 1), threading.Event()
    acknowledged, errors = [], []
    writers = [
        threading.Thread(target=_write_check_ins, args=[c, start, stop, acknowledged, errors])
        for c in clients
    ]
    for writer in writers:
        writer.start()
    start.wait()
    while len(acknowledged) < 2 * WRITERS and not errors:
        time.sleep(0.02)
    backup_started = time.monotonic()
    before = {pk for pk, at in list(acknowledged) if at < backup_started}
    outward("backup", str(tmp_path / "busy"))
    time.sleep(0.2)  # the writers go on after the backup, as a practice would
    stop.set()
    for writer in writers:
        writer.join()
    assert errors == []
    assert any(at > backup_started for _pk, at in acknowledged)

    assert "is sound" in outward("backup", "--verify", str(tmp_path / "busy"))
    with pytest.raises(CommandError, match="--force"):
        outward("restore", str(tmp_path / "busy"))
    assert "applied 0 newer migrations" in outward("restore", "--force", str(tmp_path / "busy"))

    manifest = json.loads((tmp_path / "busy" / "manifest.json").read_text())
    assert CheckIn.objects.filter(pk__in=before).count() == len(before)
    assert CheckIn.objects.count() == manifest["tables"]["journal_checkin"] >= len(before)
    described = engine().describe(connections[DEFAULT_DB_ALIAS].settings_dict)
    assert described.tables == manifest["tables"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]
    assert audit_chain_breaks() == []


@pytest.mark.django_db(transaction=True)
def test_a_restore_applies_the_migrations_newer_than_the_backup(tmp_path):
    recorder = MigrationRecorder(connection)
    current = len(recorder.applied_migrations())
    call_command("migrate", "journal", "0007", verbosity=0)
    rolled_back = current - len(recorder.applied_migrations())
    outward("backup", str(tmp_path / "older"))
    call_command("migrate", verbosity=0)
    # The database holds no accounts: no --force needed.
    restored = outward("restore", str(tmp_path / "older"))
    assert rolled_back >= 1
    assert f"applied {rolled_back} newer migrations" in restored
    constraints = connection.introspection.get_constraints(connection.cursor(), "journal_checkin")
    assert "checkin_one_per_client_day" in constraints


@pytest.mark.django_db(transaction=True)
def test_a_cut_short_data_file_restores_nothing(tmp_path):
    """Even with its checksum made to match, a damaged data file never replaces the database
    (PostgreSQL: the script arrives without its COMMIT; SQLite: quick_check refuses it)."""
    practice = Practice.objects.create(name="Kept Practice", time_zone="Europe/London")
    make_staff(practice, "kim@kept.test", "Kim Kept")
    outward("backup", str(tmp_path / "cut"))
    manifest = json.loads((tmp_path / "cut" / "manifest.json").read_text())
    data_file = tmp_path / "cut" / manifest["data_file"]
    data_file.write_bytes(data_file.read_bytes()[: manifest["data_bytes"] // 2])
    manifest["sha256"] = hashlib.sha256(data_file.read_bytes()).hexdigest()
    (tmp_path / "cut" / "manifest.json").write_text(json.dumps(manifest))
    Practice.objects.create(name="Written after the backup", time_zone="Europe/London")

    with pytest.raises(CommandError, match="damaged|could not read"):
        outward("restore", "--force", str(tmp_path / "cut"))
    assert set(Practice.objects.values_list("name", flat=True)) == {
        "Kept Practice",
        "Written after the backup",
    }


@pytest.mark.django_db
def test_the_manifest_describes_the_backup(empty_backup):
    manifest = json.loads((empty_backup / "manifest.json").read_text())
    assert manifest["format"] == backups.FORMAT
    assert manifest["engine"] == connection.vendor
    assert manifest["data_file"] == engine().DATA_FILE
    assert (empty_backup / manifest["data_file"]).stat().st_size == manifest["data_bytes"]
    assert "journal.0008_checkin_one_per_client_day" in manifest["migrations"]
    assert manifest["tables"]["accounts_user"] == 0
    assert manifest["tables"]["django_migrations"] == len(manifest["migrations"])
    assert sorted(path.name for path in empty_backup.iterdir()) == sorted(
        ["manifest.json", manifest["data_file"]]
    )
    assert empty_backup.stat().st_mode & 0o077 == 0  # clinical records: the owner's only


@pytest.mark.django_db
def test_a_backup_never_overwrites_and_needs_its_folder(empty_backup, tmp_path):
    with pytest.raises(CommandError, match="already exists"):
        outward("backup", str(empty_backup))
    with pytest.raises(CommandError, match="does not exist"):
        outward("backup", str(tmp_path / "not-mounted" / "backup"))
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


@pytest.mark.django_db
@pytest.mark.parametrize("command", [["restore"], ["backup", "--verify"]])
def test_missing_or_foreign_folders_are_named(command, tmp_path):
    with pytest.raises(CommandError, match="There is no backup at"):
        outward(*command, str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="has no manifest.json"):
        outward(*command, str(tmp_path))


@pytest.mark.django_db
@pytest.mark.parametrize("command", [["restore"], ["backup", "--verify"]])
def test_a_damaged_backup_is_refused(command, tampered):
    folder, manifest, save = tampered
    data_file = folder / manifest["data_file"]
    data_file.write_bytes(data_file.read_bytes()[:-1] + b"x")
    with pytest.raises(CommandError, match="does not match the checksum"):
        outward(*command, str(folder))
    data_file.unlink()
    with pytest.raises(CommandError, match="incomplete"):
        outward(*command, str(folder))
    (folder / "manifest.json").write_text('{"format": "outward-backup/1", "tables": ')
    with pytest.raises(CommandError, match="cannot be read"):
        outward(*command, str(folder))
    manifest["tables"] = "many"
    save()
    with pytest.raises(CommandError, match="damaged: tables"):
        outward(*command, str(folder))
    manifest["tables"], manifest["data_file"] = {}, "../../elsewhere"
    save()
    with pytest.raises(CommandError, match="unknown engine or data file"):
        outward(*command, str(folder))


@pytest.mark.django_db
def test_a_backup_from_a_newer_outward_is_refused(tampered):
    folder, manifest, save = tampered
    manifest["migrations"].append("journal.9999_from_the_future")
    save()
    with pytest.raises(CommandError, match="newer Outward.*journal.9999_from_the_future"):
        outward("restore", str(folder))


@pytest.mark.django_db
def test_a_backup_of_the_other_engine_is_refused(tampered):
    folder, manifest, save = tampered
    other = {"sqlite": backups.postgresql, "postgresql": backups.sqlite}[connection.vendor]
    (folder / manifest["data_file"]).rename(folder / other.DATA_FILE)
    manifest["engine"], manifest["data_file"] = other.NAME, other.DATA_FILE
    save()
    with pytest.raises(CommandError, match=f"This is a {other.NAME} backup"):
        outward("restore", str(folder))


@pytest.mark.django_db
def test_verify_names_counts_that_differ_from_the_manifest(tampered):
    folder, manifest, save = tampered
    manifest["tables"]["accounts_user"] = 3
    save()
    with pytest.raises(CommandError, match="accounts_user: the manifest lists 3 rows, found 0"):
        outward("backup", "--verify", str(folder))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db
def test_a_missing_pg_dump_is_named(settings, tmp_path):
    settings.POSTGRES_BIN_DIR = str(tmp_path)
    with pytest.raises(CommandError, match="pg_dump was not found in OUTWARD_PG_BIN"):
        outward("backup", str(tmp_path / "backup"))


def test_bad_input_exits_non_zero_without_a_traceback(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-c", "from outward.cli import main; main()", "restore", str(tmp_path)],
        cwd=REPO_ROOT,
        # Production settings with no secret key: the system checks do not stop a recovery.
        env={**os.environ, "OUTWARD_DEBUG": "0", "OUTWARD_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 1
    assert "has no manifest.json" in finished.stderr
    assert "Traceback" not in finished.stderr
