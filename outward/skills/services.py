"""Writes for the skills room. Every change is audited like the other rooms' records."""

from django.db import transaction

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client

from .models import FearLadder


@transaction.atomic
def ladder_create(*, client: Client, author: User, title: str, ip: str | None) -> FearLadder:
    ladder = FearLadder(client=client, author=author, title=title)
    ladder.full_clean()
    ladder.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=ladder, ip=ip
    )
    return ladder
