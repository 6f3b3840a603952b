"""Writes for reports: the client's calendar feed and data export."""

import datetime
import tempfile
from collections.abc import Iterator

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, SecurityEvent
from outward.care.records import is_own_record
from outward.lib.tokens import new_token, token_digest

from . import exports
from .models import CalendarFeed, ClientExport, ExportPart


@transaction.atomic
def calendar_feed_enable(*, client: Client, actor: User, own_wording: bool, ip: str | None) -> str:
    """Turn the feed on, or give it a new link: returns the token, which is shown once and
    stored only as its digest. A link made before stops working."""
    token = new_token()
    feed = CalendarFeed.objects.select_for_update().filter(client=client).first()
    action = AuditEvent.Action.UPDATE
    if feed is None:
        feed, action = CalendarFeed(client=client), AuditEvent.Action.CREATE
    feed.token_digest = token_digest(token)
    feed.created = timezone.now()  # when this link was made, shown as "Made on"
    feed.own_wording = own_wording
    feed.full_clean()
    feed.save()
    care_services.audit_record(actor=actor, client=client, action=action, target=feed, ip=ip)
    return token


@transaction.atomic
def calendar_feed_set_wording(
    *, feed: CalendarFeed, own_wording: bool, actor: User, ip: str | None
) -> CalendarFeed:
    feed.own_wording = own_wording
    feed.full_clean()
    feed.save(update_fields=["own_wording"])
    care_services.audit_record(
        actor=actor, client=feed.client, action=AuditEvent.Action.UPDATE, target=feed, ip=ip
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, client: Client, actor: User, ip: str | None) -> bool:
    """Turn the feed off: its link stops working at once. False if it was already off."""
    feed = CalendarFeed.objects.select_for_update().filter(client=client).first()
    if feed is None:
        return False
    # Recorded before the delete, while the row still has its id.
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=feed, ip=ip
    )
    feed.delete()
    return True


# --- The client's data export ---------------------------------------------------------------

EXPORT_KEPT_FOR = datetime.timedelta(days=7)  # an export not downloaded by then is let go
PART_BYTES = 1024 * 1024  # the ZIP is kept in parts of this size
# One export at a time per person and client: a second click, or a script, cannot fill the
# worker's queue with the same long job. One still pending after this long is taken as lost.
PENDING_FOR_AT_MOST = datetime.timedelta(hours=1)


class ExportRefused(Exception):
    pass


def export_request(*, client: Client, actor: User, ip: str | None) -> tuple[ClientExport, str]:
    """Ask the task worker for an export of everything Outward holds about `client`, as
    `actor` may see it (their private entries only when the client asks). Returns the export
    and the token of its download link, which is kept only as a digest. Audited in the client's
    record and in the practice's security log."""
    token = new_token()
    with transaction.atomic():
        care_services.client_lock(client=client)
        busy = ClientExport.objects.filter(
            client=client,
            requested_by=actor,
            state=ClientExport.State.PENDING,
            created__gt=timezone.now() - PENDING_FOR_AT_MOST,
        )
        if busy.exists():
            raise ExportRefused(
                _("An export you asked for is still being prepared. Please wait for it.")
            )
        export = ClientExport(
            client=client,
            requested_by=actor,
            includes_private=is_own_record(client=client, viewer=actor),
            token_digest=token_digest(token),
            expires=timezone.now() + EXPORT_KEPT_FOR,
        )
        export.full_clean()
        export.save()
        care_services.audit_record(
            actor=actor, client=client, action=AuditEvent.Action.CREATE, target=export, ip=ip
        )
        care_services.security_event_record(
            practice=client.practice,
            actor=actor,
            action=SecurityEvent.Action.EXPORT,
            target=f"client:{client.pk}",
            after="asked for",
            ip=ip,
        )
    # The task row is written to the same database: a worker sees it once this commits.
    build_export.enqueue(export_id=export.pk)
    export.refresh_from_db()
    return export, token


@task()
def build_export(*, export_id: int) -> str:
    """Make the ZIP of a pending export (the worker's half of `export_request`). A retry of a
    finished export does nothing."""
    export = (
        ClientExport.objects.select_related("client__practice", "client__user", "requested_by")
        .filter(pk=export_id, state=ClientExport.State.PENDING)
        .first()
    )
    if export is None:
        return "nothing to do"
    try:
        with tempfile.TemporaryFile() as spool:
            exports.write_zip(
                client=export.client,
                viewer=export.requested_by,
                includes_private=export.includes_private,
                target=spool,
            )
            size = spool.tell()
            spool.seek(0)
            with transaction.atomic():
                ExportPart.objects.filter(export=export).delete()
                for number, data in enumerate(iter(lambda: spool.read(PART_BYTES), b"")):
                    ExportPart.objects.create(export=export, number=number, data=data)
                ClientExport.objects.filter(pk=export.pk).update(
                    state=ClientExport.State.READY, size=size, finished=timezone.now()
                )
    except Exception:
        ClientExport.objects.filter(pk=export.pk).update(
            state=ClientExport.State.FAILED, finished=timezone.now()
        )
        raise
    return ClientExport.State.READY


def export_take(*, export: ClientExport, actor: User, ip: str | None) -> bool:
    """Use up a ready export's link: True once, for the person who asked, before it expires;
    the download then reads its parts (`export_stream`), which go as they are sent."""
    with transaction.atomic():
        taken = ClientExport.objects.filter(
            pk=export.pk,
            requested_by=actor,
            state=ClientExport.State.READY,
            expires__gt=timezone.now(),
        ).update(state=ClientExport.State.DOWNLOADED)
        if taken:
            care_services.audit_record(
                actor=actor,
                client=export.client,
                action=AuditEvent.Action.VIEW,
                target=export,
                ip=ip,
            )
            care_services.security_event_record(
                practice=export.client.practice,
                actor=actor,
                action=SecurityEvent.Action.EXPORT,
                target=f"client:{export.client_id}",
                after="downloaded",
                ip=ip,
            )
    return bool(taken)


def export_stream(*, export: ClientExport) -> Iterator[bytes]:
    """The ZIP of a taken export, part by part (one query each, one part in memory at a
    time); each part is let go once it is sent, so the link cannot be used twice."""
    numbers = list(
        ExportPart.objects.filter(export=export).order_by("number").values_list("number", flat=True)
    )
    for number in numbers:
        data = ExportPart.objects.filter(export=export, number=number).values_list(
            "data", flat=True
        )
        yield bytes(data.first() or b"")
        ExportPart.objects.filter(export=export, number=number).delete()


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Let exports (and their files) past their expiry go. Idempotent; run by `purge_due`."""
    return (
        ClientExport.objects.filter(expires__lte=now or timezone.now())
        .delete()[1]
        .get(ClientExport._meta.label, 0)
    )
