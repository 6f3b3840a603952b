"""Closing a client's account and erasing the record when its retention period ends.

A client asks to close their account; the practice admin confirms or declines, with a reason.
Confirming ends access at once (the account is switched off, every session ends) and sets when
the record is erased: the practice's retention period after the closing, or at once for
someone who never became a client in care (nothing clinical was ever recorded).

Erasure (`outward purge_due`, from cron) removes every row each room registered for the client
(client_data.py), and the account's personal details. What stays is a tombstone: the client
row, nameless, and the audit and security logs, which hold no clinical content and must stay
whole for their hash chains to verify.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts import services as account_services
from outward.accounts.models import User

from . import services
from .client_data import client_data_kinds
from .models import AuditEvent, Client, ClosureRequest, SecurityEvent

ERASED_NAME = "Erased client"  # the tombstone's name: not the person's, and not translated


def pending_request(*, client: Client) -> ClosureRequest | None:
    return ClosureRequest.objects.filter(client=client, state=ClosureRequest.State.PENDING).first()


@transaction.atomic
def closure_request(*, client: Client, actor: User, note: str, ip: str | None) -> ClosureRequest:
    """The client asks the practice to close their account. Asking twice keeps one request."""
    services.client_lock(client=client)
    existing = pending_request(client=client)
    if existing is not None:
        return existing
    request = ClosureRequest(client=client, requested_by=actor, note=note)
    request.full_clean()
    request.save()
    services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.CREATE, target=request, ip=ip
    )
    return request


def _never_in_care(client: Client) -> bool:
    """Nothing clinical was ever recorded: one query per clinical kind."""
    return not any(
        kind.erasable(client=client).exists() for kind in client_data_kinds() if kind.clinical
    )


def erase_after_for(client: Client, *, now: datetime.datetime) -> datetime.datetime:
    if _never_in_care(client):
        return now
    years = client.practice.retention_years
    try:
        return now.replace(year=now.year + years)
    except ValueError:  # 29 February into a year that has none
        return now.replace(year=now.year + years, day=28)


@transaction.atomic
def closure_decide(
    *, client: Client, actor: User, confirm: bool, reason: str, ip: str | None
) -> ClosureRequest:
    """The practice admin's decision. Confirming closes the account at once (with or without a
    request from the client: a person who asked by phone, or never joined); declining needs
    the client's request. The reason is kept with the decision."""
    services.client_lock(client=client)
    client.refresh_from_db()
    if client.status == Client.Status.CLOSED:
        raise ValidationError(_("This account is closed already."))
    request = pending_request(client=client)
    if request is None:
        if not confirm:
            raise ValidationError(_("There is no request to decline."))
        request = ClosureRequest(client=client, requested_by=actor)
    now = timezone.now()
    request.state = ClosureRequest.State.CONFIRMED if confirm else ClosureRequest.State.DECLINED
    request.decided_by, request.decided_at, request.reason = actor, now, reason
    request.full_clean()
    request.save()
    services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=request, ip=ip
    )
    if confirm:
        client.status = Client.Status.CLOSED
        client.erase_after = erase_after_for(client, now=now)
        client.save(update_fields=["status", "erase_after", "updated"])
        account_services.account_close(user=client.user)
        services.security_event_record(
            practice=client.practice,
            actor=actor,
            action=SecurityEvent.Action.DELETION,
            target=f"client:{client.pk}",
            before="account open",
            after=f"account closed; erasure due {client.erase_after.date().isoformat()}",
            ip=ip,
        )
    return request


@dataclass(frozen=True)
class Erasure:
    client_id: int
    practice_id: int
    rows: dict[str, int]  # kind name → rows (with the rows a cascade takes along)


def erasure_due(*, now: datetime.datetime | None = None):
    """Closed clients whose retention period has ended and who are not erased yet (the
    partial index `client_erase_due` serves this)."""
    return Client.objects.filter(
        erase_after__lte=now or timezone.now(), erased_at__isnull=True
    ).order_by("erase_after", "pk")


def erasure_preview(*, client: Client) -> Erasure:
    """What erasing would remove, counted and not removed (the dry run)."""
    rows = {kind.name: kind.erasable(client=client).count() for kind in client_data_kinds()}
    return Erasure(client.pk, client.practice_id, rows)


@transaction.atomic
def client_erase(*, client: Client, now: datetime.datetime | None = None) -> Erasure | None:
    """Erase one closed client whose retention period has ended. Idempotent: an erased or not
    yet due client is left as it is (None)."""
    now = now or timezone.now()
    client = (
        Client.objects.select_for_update()
        .select_related("user", "practice")
        .filter(pk=client.pk, erase_after__lte=now, erased_at__isnull=True)
        .first()
    )
    if client is None:
        return None
    rows = {}
    # Later rooms first: a row that points at another room's row goes before it.
    for kind in reversed(client_data_kinds()):
        _total, by_model = kind.erasable(client=client).delete()
        rows[kind.name] = by_model.get(kind.model._meta.label, 0)
    account_services.account_erase(user=client.user)
    client.display_name = ERASED_NAME
    client.erased_at = now
    client.save(update_fields=["display_name", "erased_at", "updated"])
    services.security_event_record(
        practice=client.practice,
        actor=None,
        action=SecurityEvent.Action.DELETION,
        target=f"client:{client.pk}",
        before="account closed",
        after=f"record erased ({sum(rows.values())} rows)",
    )
    return Erasure(client.pk, client.practice_id, rows)
