"""The audit and security logs are hash chains: `outward verify_audit_chain` finds any row
changed, removed or inserted behind the application's back."""

import importlib
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from outward.care import services
from outward.care.models import AuditEvent, ChainHead, SecurityEvent

chain_migration = importlib.import_module(
    "outward.care.migrations.0005_chain_existing_audit_events"
)


def _verify() -> str:
    try:
        call_command("verify_audit_chain")
    except CommandError as error:
        return str(error)
    return "intact"


def _log(world, count=3):
    return [
        services.security_event_record(
            practice=world.practice,
            actor=world.admin.user,
            action=SecurityEvent.Action.PRACTICE_SETTINGS,
            target="require two-step sign-in",
            before="off",
            after=f"on {number}",
            ip="2001:db8::1",
        )
        for number in range(count)
    ]


def test_each_row_links_to_the_one_before_in_its_practice(world):
    first, second, _third = _log(world)
    assert first.prev_hash == "0" * 64
    assert ChainHead.objects.get(name=f"security:{world.practice.pk}").last_id == _third.pk
    assert second.prev_hash == first.hash
    other = services.security_event_record(
        practice=world.other_practice, actor=None, action=SecurityEvent.Action.SIGN_IN_FAILED
    )
    assert other.prev_hash == "0" * 64  # each practice has its own chain
    assert _verify() == "intact"


def test_a_changed_row_is_named(world):
    _first, second, _third = _log(world)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE care_securityevent SET after = 'off' WHERE id = %s", [second.pk])
    assert f"SecurityEvent {second.pk}: its contents were changed" in _verify()


def test_a_removed_row_breaks_the_next_link(world):
    _first, second, third = _log(world)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_securityevent WHERE id = %s", [second.pk])
    assert f"SecurityEvent {third.pk}: does not follow the row before it" in _verify()


def test_rows_cut_from_the_end_show_against_the_head(world):
    *_rows, last = _log(world)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_securityevent WHERE id = %s", [last.pk])
    assert "missing from the end of chain security:" in _verify()


def test_a_changed_audit_event_is_named(world):
    event = AuditEvent.objects.filter(client=world.client).order_by("pk").last()
    assert _verify() == "intact"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE care_auditevent SET action = 'view' WHERE id = %s", [event.pk])
    assert f"AuditEvent {event.pk}: its contents were changed" in _verify()


def test_the_migration_links_rows_written_before_the_chain_and_can_be_reversed(world):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE care_auditevent SET hash = NULL, prev_hash = NULL")
        cursor.execute("DELETE FROM care_chainhead WHERE name LIKE 'audit:%%'")
    assert "carries no hash" in _verify()
    state = MigrationLoader(connection).project_state(("care", "0005_chain_existing_audit_events"))
    apps = state.apps  # the historical models, as the migration sees them
    chain_migration.chain(apps, None)
    assert _verify() == "intact"
    chain_migration.unchain(apps, None)
    assert not AuditEvent.objects.exclude(hash=None).exists()
    chain_migration.chain(apps, None)
    assert _verify() == "intact"


def test_the_log_cannot_be_edited_through_the_orm(world):
    (event,) = _log(world, count=1)
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        SecurityEvent.objects.filter(pk=event.pk).update(after="x")


@pytest.mark.django_db(transaction=True)
def test_appends_at_once_do_not_fork_the_chain():
    practice = services.practice_create(name="Busy Practice", time_zone="UTC")
    barrier = threading.Barrier(8)
    errors = []

    def append(number):
        try:
            barrier.wait()
            for _round in range(3):
                services.security_event_record(
                    practice=practice,
                    actor=None,
                    action=SecurityEvent.Action.SIGN_IN_FAILED,
                    after=str(number),
                )
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=[n]) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SecurityEvent.objects.filter(practice=practice).count() == 24
    assert _verify() == "intact"
