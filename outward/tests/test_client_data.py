"""Everything Outward holds about a client is declared once (care/client_data.py) and goes
with the client: every model that reaches a client by foreign keys is registered or is erased
by a cascade from one that is, and an erasure leaves no row of the client in any table."""

import datetime
from collections import deque

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from outward.accounts.models import User
from outward.care import closures
from outward.care.client_data import client_data_kinds, registered_models
from outward.care.models import AuditEvent, Client, ClosureRequest, SecurityEvent
from outward.reports import services as report_services

# The tombstone: the client row (nameless) and the audit log that points at it, which holds
# who did what and when, never clinical content, and must stay whole for its hash chain.
TOMBSTONE = {Client, AuditEvent}


def client_paths() -> dict[type[models.Model], str]:
    """Every model with a foreign-key path to Client, and the shortest such path as a lookup
    (e.g. "record__client"), found by walking the apps registry."""
    paths: dict[type[models.Model], str] = {Client: "pk"}
    queue = deque([Client])
    while queue:
        target = queue.popleft()
        for model in apps.get_models():
            if model in paths:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is target:
                    paths[model] = (
                        field.name if target is Client else f"{field.name}__{paths[target]}"
                    )
                    queue.append(model)
                    break
    return paths


def _erased_with(model: type[models.Model], registered: set) -> bool:
    """Registered, or deleted by a cascade from a model that is."""
    if model in registered:
        return True
    return any(
        field.is_relation
        and field.remote_field.on_delete is models.CASCADE
        and field.related_model is not model
        and _erased_with(field.related_model, registered)
        for field in model._meta.concrete_fields
    )


def test_every_model_that_reaches_a_client_is_registered_or_cascades():
    registered = registered_models()
    missing = [
        model._meta.label
        for model in client_paths()
        if model not in TOMBSTONE and not _erased_with(model, registered)
    ]
    assert missing == [], "register these in their room's ready() (care/client_data.py)"


def test_every_registered_kind_reaches_the_client_and_names_real_fields():
    for kind in client_data_kinds():
        assert kind.model in client_paths(), kind.name
        str(kind.erasable(client=Client(pk=0)).query)  # its client_path is a real lookup


@pytest.fixture
def demo_client(demo):
    """A demo client with records in every room, closed and due for erasure."""
    client = Client.objects.select_related("practice", "user").order_by("pk").first()
    neighbour = Client.objects.exclude(pk=client.pk).order_by("pk").first()
    report_services.calendar_feed_enable(
        client=client, actor=client.user, own_wording=False, ip=None
    )
    report_services.export_request(client=client, actor=client.user, ip=None)
    closures.closure_request(client=client, actor=client.user, note="Moving away", ip=None)
    return client, neighbour


def _rows_of(client_id: int) -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.filter(**{path: client_id}).count()
        for model, path in client_paths().items()
        if model not in TOMBSTONE
    }


def test_erasure_leaves_no_row_of_the_client_in_any_table(demo_client):
    client, neighbour = demo_client
    admin = User.objects.get(email="admin@demo.outward.test")
    before = _rows_of(client.pk)
    assert sum(1 for count in before.values() if count) >= 20  # the demo fills most tables
    neighbour_before = _rows_of(neighbour.pk)

    closures.closure_decide(client=client, actor=admin, confirm=True, reason="Asked", ip=None)
    client.refresh_from_db()
    assert client.status == Client.Status.CLOSED
    assert client.erase_after > timezone.now() + datetime.timedelta(days=365 * 6)
    later = client.erase_after + datetime.timedelta(minutes=1)
    Client.objects.filter(pk=client.pk).update(erase_after=timezone.now())

    assert closures.client_erase(client=client, now=later) is not None
    assert {label: n for label, n in _rows_of(client.pk).items() if n} == {}
    assert _rows_of(neighbour.pk) == neighbour_before
    client.refresh_from_db()
    assert client.display_name == closures.ERASED_NAME and client.erased_at is not None
    user = client.user
    user.refresh_from_db()
    assert (user.full_name, user.is_active, user.has_usable_password()) == ("", False, False)
    assert user.email.endswith("@erased.invalid")
    # The audit log stays and still verifies; the erasure is in the security log.
    assert AuditEvent.objects.filter(client=client).exists()
    call_command("verify_audit_chain")
    assert (
        SecurityEvent.objects.filter(
            action=SecurityEvent.Action.DELETION, target=f"client:{client.pk}"
        ).count()
        == 2
    )  # closed, erased
    # Running again changes nothing.
    assert closures.client_erase(client=client, now=later) is None


def test_purge_due_dry_run_lists_and_keeps_then_purges(demo_client, capsys):
    client, _neighbour = demo_client
    admin = User.objects.get(email="admin@demo.outward.test")
    closures.closure_decide(client=client, actor=admin, confirm=True, reason="Asked", ip=None)
    call_command("purge_due", "--dry-run")
    assert "Dry run: 0 client record(s) due" in capsys.readouterr().out  # not due for years
    Client.objects.filter(pk=client.pk).update(erase_after=timezone.now())
    call_command("purge_due", "--dry-run")
    out = capsys.readouterr().out
    assert f"would erase client {client.pk}" in out and "goals.goal" in out
    assert Client.objects.get(pk=client.pk).erased_at is None
    call_command("purge_due")
    assert f"erased client {client.pk}" in capsys.readouterr().out
    assert Client.objects.get(pk=client.pk).erased_at is not None
    call_command("purge_due")
    assert "Erased 0 client record(s)" in capsys.readouterr().out
    assert not ClosureRequest.objects.filter(client=client).exists()


def test_the_export_schema_document_lists_every_exported_kind_and_field():
    from pathlib import Path

    schema = (Path(__file__).resolve().parents[2] / "docs" / "export-schema.md").read_text()
    rows = {line.split("|")[1].strip(" `"): line for line in schema.splitlines() if "| `" in line}
    for kind in client_data_kinds(exported=True):
        assert kind.name in rows, f"document {kind.name} in docs/export-schema.md"
        assert all(f"`{name}`" in rows[kind.name] for name in kind.columns()), kind.name
