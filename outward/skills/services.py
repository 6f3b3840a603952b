"""Writes for the skills room. Every change is audited like the other rooms' records; a
rung's removal is audited as a change to its ladder (the audit log has no "deleted")."""

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client

from .models import FearLadder, Rung


def _audit(*, actor: User, client: Client, action: str, target, ip: str | None) -> None:
    care_services.audit_record(actor=actor, client=client, action=action, target=target, ip=ip)


@transaction.atomic
def ladder_create(*, client: Client, author: User, title: str, ip: str | None) -> FearLadder:
    ladder = FearLadder(client=client, author=author, title=title)
    ladder.full_clean()
    ladder.save()
    _audit(actor=author, client=client, action=AuditEvent.Action.CREATE, target=ladder, ip=ip)
    return ladder


@transaction.atomic
def ladder_rename(*, ladder: FearLadder, actor: User, title: str, ip: str | None) -> FearLadder:
    ladder.title = title
    ladder.full_clean()
    ladder.save(update_fields=["title", "updated"])
    _audit(actor=actor, client=ladder.client, action=AuditEvent.Action.UPDATE, target=ladder, ip=ip)
    return ladder


@transaction.atomic
def ladder_archive(
    *, ladder: FearLadder, actor: User, archived: bool, ip: str | None
) -> FearLadder:
    """Archive a ladder (it leaves the overview and no longer sets the client's level), or
    bring it back. Its rungs are kept either way."""
    ladder.archived = timezone.now() if archived else None
    ladder.save(update_fields=["archived", "updated"])
    _audit(actor=actor, client=ladder.client, action=AuditEvent.Action.UPDATE, target=ladder, ip=ip)
    return ladder


@transaction.atomic
def rung_add(
    *,
    client: Client,
    ladder: FearLadder,
    author: User,
    situation: str,
    expected_suds: int,
    source: str = Rung.Source.TYPED,
    source_ref: str = "",
    ip: str | None,
) -> Rung:
    """A new rung, not tried yet. Its place follows its SUDS; among equal SUDS, the newest last.
    A ladder of another client is as missing as a ladder that does not exist."""
    if ladder.client_id != client.pk:
        raise Http404
    # Locks the ladder row: two rungs added at once do not take the same position.
    FearLadder.objects.select_for_update().filter(pk=ladder.pk).first()
    last = Rung.objects.filter(ladder=ladder).aggregate(last=Max("position"))["last"]
    rung = Rung(
        ladder=ladder,
        client=client,
        author=author,
        situation=situation,
        expected_suds=expected_suds,
        position=0 if last is None else last + 1,
        source=source,
        source_ref=source_ref,
    )
    rung.full_clean()
    rung.save()
    _audit(actor=author, client=client, action=AuditEvent.Action.CREATE, target=rung, ip=ip)
    return rung


@transaction.atomic
def rung_update(
    *, rung: Rung, actor: User, situation: str, expected_suds: int, status: str, ip: str | None
) -> Rung:
    """Correct a rung's words or SUDS (its place follows) or say how far the client got."""
    if status != rung.status:
        rung.done_at = timezone.now() if status == Rung.Status.DONE else None
    rung.situation, rung.expected_suds, rung.status = situation, expected_suds, status
    rung.full_clean()
    rung.save(update_fields=["situation", "expected_suds", "status", "done_at", "updated"])
    _audit(actor=actor, client=rung.client, action=AuditEvent.Action.UPDATE, target=rung, ip=ip)
    return rung


@transaction.atomic
def rung_delete(*, rung: Rung, actor: User, ip: str | None) -> None:
    ladder = rung.ladder
    rung.delete()
    ladder.save(update_fields=["updated"])
    _audit(actor=actor, client=ladder.client, action=AuditEvent.Action.UPDATE, target=ladder, ip=ip)
