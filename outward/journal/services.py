"""Writes for the journal. Each write tells the other rooms what happened (care.happenings)."""

from django.db import transaction

from outward.accounts.models import User
from outward.care import happenings
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client

from .models import CheckIn, CheckInSchedule, Contact


@transaction.atomic
def check_in_create(*, client: Client, author: User, ip: str | None, **fields) -> CheckIn:
    check_in = CheckIn(client=client, author=author, **fields)
    check_in.full_clean()
    check_in.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=check_in, ip=ip
    )
    source = f"journal.checkin:{check_in.pk}"
    happenings.announce(
        client=client,
        happening=happenings.Happening(
            "journal.check_in", client.pk, check_in.occurred, "", source
        ),
    )
    if check_in.win:
        happenings.announce(
            client=client,
            happening=happenings.Happening(
                "journal.week.win", client.pk, check_in.occurred, check_in.win, source
            ),
        )
    return check_in


@transaction.atomic
def contact_log(*, client: Client, author: User, ip: str | None, **fields) -> Contact:
    contact = Contact(client=client, author=author, **fields)
    contact.full_clean()
    contact.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=contact, ip=ip
    )
    happenings.announce(
        client=client,
        happening=happenings.Happening(
            f"journal.contact.{contact.kind}",
            client.pk,
            contact.occurred,
            contact.get_kind_display(),
            f"journal.contact:{contact.pk}",
            private=contact.is_private(),
        ),
    )
    return contact


@transaction.atomic
def check_in_schedule_set(*, client: Client, actor: User, every_days: int, ip: str | None) -> None:
    schedule, _created = CheckInSchedule.objects.get_or_create(client=client)
    schedule.every_days = every_days
    schedule.full_clean()
    schedule.save()
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=schedule, ip=ip
    )
