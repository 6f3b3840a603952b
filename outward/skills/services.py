"""Writes for the skills room. Every change is audited like the other rooms' records."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, SecurityEvent
from outward.care.records import Visibility

from .models import (
    FearLadder,
    ThoughtEmotion,
    ThoughtRecord,
    ThoughtRecordSettings,
    ThoughtRecordVersion,
    ThoughtTrap,
)
from .traps import TRAP_KEYS


@transaction.atomic
def ladder_create(*, client: Client, author: User, title: str, ip: str | None) -> FearLadder:
    ladder = FearLadder(client=client, author=author, title=title)
    ladder.full_clean()
    ladder.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=ladder, ip=ip
    )
    return ladder


# Thought records (issue 9) -----------------------------------------------------------------


def _thought_snapshot(record: ThoughtRecord, emotions, traps) -> dict:
    return {
        "situation": record.situation,
        "automatic_thought": record.automatic_thought,
        "emotions": [
            {"name": e.name, "intensity": e.intensity, "rerated": e.rerated} for e in emotions
        ],
        "traps": list(traps),
        "evidence_for": record.evidence_for,
        "evidence_against": record.evidence_against,
        "balanced_thought": record.balanced_thought,
        "visibility": record.visibility,
    }


def _thought_parts(record: ThoughtRecord, *, emotions, traps) -> tuple[list, list[str]]:
    """The emotion and trap rows for `record`, validated before anything is written."""
    unknown = [key for key in traps if key not in TRAP_KEYS]
    if unknown:
        raise ValidationError(_("That is not one of the thinking traps in the list."))
    rows = []
    for position, emotion in enumerate(emotions):
        row = ThoughtEmotion(
            record=record,
            name=emotion["name"],
            intensity=emotion["intensity"],
            rerated=emotion.get("rerated"),
            position=position,
        )
        row.full_clean(exclude=["record"])
        rows.append(row)
    return rows, list(dict.fromkeys(traps))


def _thought_write(record, *, actor: User, emotions, traps, number: int) -> None:
    rows, keys = _thought_parts(record, emotions=emotions, traps=traps)
    record.full_clean()
    record.save()
    record.emotions.all().delete()
    record.traps.all().delete()
    ThoughtEmotion.objects.bulk_create(rows)
    ThoughtTrap.objects.bulk_create([ThoughtTrap(record=record, key=key) for key in keys])
    ThoughtRecordVersion.objects.create(
        record=record, number=number, author=actor, snapshot=_thought_snapshot(record, rows, keys)
    )


@transaction.atomic
def thought_record_create(
    *,
    client: Client,
    author: User,
    ip: str | None,
    automatic_thought: str,
    emotions: Sequence[dict] = (),
    traps: Sequence[str] = (),
    visibility: str = Visibility.SHARED,
    started_from: str = "",
    **fields,
) -> ThoughtRecord:
    """A new thought record (it may be unfinished) and its first version: the original."""
    record = ThoughtRecord(
        client=client,
        author=author,
        automatic_thought=automatic_thought,
        visibility=visibility,
        started_from=started_from,
        **fields,
    )
    _thought_write(record, actor=author, emotions=emotions, traps=traps, number=1)
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=record, ip=ip
    )
    return record


@transaction.atomic
def thought_record_update(
    *,
    record: ThoughtRecord,
    client: Client,
    actor: User,
    ip: str | None,
    emotions: Sequence[dict] = (),
    traps: Sequence[str] = (),
    visibility: str | None = None,
    **fields,
) -> ThoughtRecord:
    """Save the record as it stands now, as a new version; earlier versions are kept. Only
    the client changes who sees it (`visibility` None keeps it as it is)."""
    if record.client_id != client.pk:
        raise ValidationError(_("That thought record is not in this client's record."))
    # Locked, so two saves at once cannot both take the same version number.
    record = ThoughtRecord.objects.select_for_update().get(pk=record.pk)
    for name, value in fields.items():
        if name not in THOUGHT_EDITABLE:
            raise TypeError(name)
        setattr(record, name, value)
    if visibility is not None:
        record.visibility = visibility
    number = (record.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    _thought_write(record, actor=actor, emotions=emotions, traps=traps, number=number)
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=record, ip=ip
    )
    return record


THOUGHT_EDITABLE = {
    "situation",
    "automatic_thought",
    "evidence_for",
    "evidence_against",
    "balanced_thought",
}


@transaction.atomic
def thought_record_settings_set(
    *, practice, actor: User, default_visibility: str, ip: str | None
) -> None:
    """The practice's default for new thought records (its admin's choice, logged)."""
    settings_row, _created = ThoughtRecordSettings.objects.get_or_create(practice=practice)
    before = settings_row.default_visibility
    settings_row.default_visibility = default_visibility
    settings_row.full_clean()
    settings_row.save(update_fields=["default_visibility"])
    if before != default_visibility:
        care_services.security_event_record(
            practice=practice,
            actor=actor,
            action=SecurityEvent.Action.PRACTICE_SETTINGS,
            target="new thought records start as",
            before=before,
            after=default_visibility,
            ip=ip,
        )
