"""Writes for the skills room. Every change is audited like the other rooms' records; a
rung's removal is audited as a change to its ladder (the audit log has no "deleted")."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import happenings
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, Practice, SecurityEvent
from outward.care.records import Visibility
from outward.lib.periods import CARE_DATES

from . import selectors
from .models import (
    Exposure,
    FearLadder,
    Lesson,
    LessonAssignment,
    Rung,
    RungDecision,
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
    care_services.record_saved(ladder, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    return ladder


@transaction.atomic
def ladder_rename(*, ladder: FearLadder, actor: User, title: str, ip: str | None) -> FearLadder:
    ladder.title = title
    care_services.record_saved(
        ladder,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        ip=ip,
        update_fields=["title", "updated"],
    )
    return ladder


@transaction.atomic
def ladder_archive(
    *, ladder: FearLadder, actor: User, archived: bool, ip: str | None
) -> FearLadder:
    """Archive a ladder (it leaves the overview and no longer sets the client's level), or
    bring it back. Its rungs are kept either way."""
    ladder.archived = timezone.now() if archived else None
    ladder.save(update_fields=["archived", "updated"])
    care_services.audit_record(
        actor=actor, client=ladder.client, action=AuditEvent.Action.UPDATE, target=ladder, ip=ip
    )
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
    care_services.record_saved(rung, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    return rung


@transaction.atomic
def rung_update(
    *, rung: Rung, actor: User, situation: str, expected_suds: int, status: str, ip: str | None
) -> Rung:
    """Correct a rung's words or SUDS (its place follows) or say how far the client got.
    "Done" goes through `rung_done`, like the therapist's decision, so the win is announced."""
    finishing = status == Rung.Status.DONE and rung.status != Rung.Status.DONE
    reworded = (situation, expected_suds) != (rung.situation, rung.expected_suds)
    if status != rung.status and not finishing:
        rung.status, rung.done_at = status, None
    rung.situation, rung.expected_suds = situation, expected_suds
    rung.full_clean()
    rung.save(update_fields=["situation", "expected_suds", "status", "done_at", "updated"])
    if reworded or not finishing:  # a change of status to done alone is rung_done's to audit
        care_services.audit_record(
            actor=actor, client=rung.client, action=AuditEvent.Action.UPDATE, target=rung, ip=ip
        )
    if finishing:
        rung_done(rung=rung, actor=actor, ip=ip)
    return rung


@transaction.atomic
def rung_done(*, rung: Rung, actor: User, ip: str | None) -> Rung:
    """Mark a rung done, a win for the client. The one way a rung becomes done, whoever marks
    it (the ladder's one tap, the rung's edit form, the therapist's decision on the rung page),
    so the win is never lost. Already done: nothing changes, and no second win."""
    # Locks the row: two taps at once finish the rung once.
    current = (
        Rung.objects.select_for_update().filter(pk=rung.pk).values_list("status", flat=True).first()
    )
    if current == Rung.Status.DONE:
        return rung
    rung.status, rung.done_at = Rung.Status.DONE, timezone.now()
    care_services.record_saved(
        rung,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        ip=ip,
        update_fields=["status", "done_at", "updated"],
    )
    # Goals' listener turns a ".win" happening into a win (once per rung: its source).
    happenings.announce(client=rung.client, happening=selectors.rung_win(rung))
    return rung


@transaction.atomic
def rung_delete(*, rung: Rung, actor: User, ip: str | None) -> None:
    ladder = rung.ladder
    rung.delete()
    ladder.save(update_fields=["updated"])
    care_services.audit_record(
        actor=actor, client=ladder.client, action=AuditEvent.Action.UPDATE, target=ladder, ip=ip
    )


# Lessons ---------------------------------------------------------------------------------


@transaction.atomic
def lesson_assign(
    *, client: Client, actor: User, lesson_key: str, ip: str | None
) -> LessonAssignment:
    """Give the client a lesson to read. The same lesson is not given twice while unread
    (the `lessonassignment_one_unread` constraint, checked by full_clean)."""
    offered = {lesson.key: lesson for lesson in selectors.lessons_offered(practice=client.practice)}
    lesson = offered.get(lesson_key)
    if lesson is None:
        raise ValidationError(_("This lesson is not in your practice's library."))
    assignment = LessonAssignment(
        client=client, author=actor, lesson_key=lesson.key, lesson_version=lesson.version
    )
    try:
        assignment.full_clean()
    except ValidationError as error:
        if NON_FIELD_ERRORS in error.message_dict:
            raise ValidationError(_("This lesson is already waiting to be read.")) from error
        raise
    try:
        with transaction.atomic():  # two assigns at once: the constraint decides, not a 500
            assignment.save()
    except IntegrityError as error:
        raise ValidationError(_("This lesson is already waiting to be read.")) from error
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.CREATE, target=assignment, ip=ip
    )
    return assignment


@transaction.atomic
def lesson_mark_read(
    *,
    assignment: LessonAssignment,
    actor: User,
    reflection: str,
    reflection_visibility: str,
    ip: str | None,
) -> LessonAssignment:
    """The client read the lesson, with their answer to its question (which may be empty)
    and who may see it. Answering again later changes the answer; `read_at` stays the first
    time. Only the client answers: the words are theirs, and so is keeping them private."""
    if actor.pk != assignment.client.user_id:
        raise ValidationError(_("Only the client answers their lesson's question."))
    if reflection_visibility not in Visibility.values:
        raise ValidationError(_("Choose who sees your answer."))
    if assignment.read_at is None:
        assignment.read_at = timezone.now()
    assignment.reflection = reflection.strip()
    assignment.reflection_visibility = reflection_visibility
    care_services.record_saved(
        assignment,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        ip=ip,
        update_fields=["read_at", "reflection", "reflection_visibility", "updated"],
    )
    return assignment


_LESSON_TEXT_FIELDS = ("title", "body", "sources", "reflection_question")


@transaction.atomic
def practice_lesson_create(
    *,
    practice: Practice,
    author: User,
    title: str,
    slug: str,
    body: str,
    sources: str,
    reflection_question: str,
    published: bool,
) -> Lesson:
    lesson = Lesson(
        practice=practice,
        author=author,
        title=title,
        slug=slug,
        body=body,
        sources=sources,
        reflection_question=reflection_question,
        published=published,
    )
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def practice_lesson_update(*, lesson: Lesson, actor: User, **changes) -> Lesson:
    """Change a practice lesson; a change to its words makes a new version (assignments keep
    the version their client was given). `author` stays who first wrote it."""
    allowed = {*_LESSON_TEXT_FIELDS, "slug", "published"}
    if set(changes) - allowed:
        raise TypeError(f"not a lesson field: {sorted(set(changes) - allowed)}")
    reworded = any(
        getattr(lesson, name) != changes[name] for name in _LESSON_TEXT_FIELDS if name in changes
    )
    for name, value in changes.items():
        setattr(lesson, name, value)
    if reworded:
        lesson.version += 1
    lesson.full_clean()
    lesson.save(update_fields=[*changes, "version", "updated"])
    return lesson


# --- Exposures (issue 9) ----------------------------------------------------------------------

BEFORE_FIELDS = ("prediction", "likelihood", "expected_suds", "safety_behaviours")
AFTER_FIELDS = ("suds_start", "suds_peak", "suds_end", "what_happened", "came_true", "learned")
RATINGS = ("likelihood", "expected_suds", "suds_start", "suds_peak", "suds_end")


def _check(exposure: Exposure, *, logging: bool) -> None:
    """The rules again, whoever calls: ratings 0–100 (the database agrees), a prediction in
    words, a peak when the attempt is logged, an attempt at one of the client's own rungs."""
    errors = {}
    for name in RATINGS:
        value = getattr(exposure, name)
        if value is not None and not 0 <= value <= 100:
            errors[name] = _("Choose a number from 0 to 100.")
    if not (exposure.prediction or "").strip():
        errors["prediction"] = _("Write down what you fear will happen, in your own words.")
    if logging and exposure.suds_peak is None:
        errors["suds_peak"] = _("How anxious were you at the highest point (0–100)?")
    if exposure.rung.client_id != exposure.client_id:
        errors["rung"] = _("This step is not on your ladder.")
    if exposure.planned_for is not None:
        CARE_DATES.check(exposure.planned_for, "planned_for")
    if errors:
        raise ValidationError(errors)


def _announce_attempt(exposure: Exposure) -> None:
    """An attempt counts toward goal cadences (and is a first, once)."""
    happenings.announce(client=exposure.client, happening=selectors.exposure_happening(exposure))


def _practising(rung: Rung) -> None:
    if rung.status == Rung.Status.NOT_TRIED:
        rung.status = Rung.Status.PRACTISING
        rung.save(update_fields=["status", "updated"])


@transaction.atomic
def exposure_plan(
    *,
    rung: Rung,
    author: User,
    planned_for: datetime.date,
    ip: str | None,
    prediction: str,
    likelihood: int,
    expected_suds: int,
    safety_behaviours: str = "",
) -> Exposure:
    """Plan an attempt at a rung for a day: the "before" half. It shows on Today that day."""
    if planned_for is None:
        raise ValidationError({"planned_for": _("Choose the day you plan to try it.")})
    exposure = Exposure(
        client=rung.client,
        rung=rung,
        author=author,
        planned_for=planned_for,
        prediction=prediction,
        likelihood=likelihood,
        expected_suds=expected_suds,
        safety_behaviours=safety_behaviours,
    )
    _check(exposure, logging=False)
    care_services.record_saved(exposure, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    return exposure


@transaction.atomic
def exposure_log(
    *,
    rung: Rung,
    author: User,
    ip: str | None,
    occurred: datetime.datetime | None = None,
    **fields,
) -> Exposure:
    """Log an attempt afterwards, before and after halves at once."""
    unknown = set(fields) - {*BEFORE_FIELDS, *AFTER_FIELDS}
    if unknown:
        raise TypeError(f"not an exposure field: {sorted(unknown)}")
    exposure = Exposure(
        client=rung.client, rung=rung, author=author, occurred=occurred or timezone.now(), **fields
    )
    _check(exposure, logging=True)
    exposure.full_clean()
    exposure.save()
    _practising(rung)
    care_services.audit_record(
        actor=author, client=rung.client, action=AuditEvent.Action.CREATE, target=exposure, ip=ip
    )
    _announce_attempt(exposure)
    return exposure


@transaction.atomic
def exposure_complete(*, exposure: Exposure, actor: User, ip: str | None, **after) -> Exposure:
    """Say how a planned attempt went: the "after" half. Logged once; a second post is refused
    (the attempt already counted)."""
    unknown = set(after) - set(AFTER_FIELDS)
    if unknown:
        raise TypeError(f"not an after field: {sorted(unknown)}")
    exposure = (
        Exposure.objects.select_for_update().select_related("rung", "client").get(pk=exposure.pk)
    )
    if exposure.is_logged:
        raise ValidationError(_("This attempt is already logged."))
    for name, value in after.items():
        setattr(exposure, name, value)
    exposure.occurred = timezone.now()
    _check(exposure, logging=True)
    exposure.full_clean()
    exposure.save(update_fields=[*after, "occurred", "updated"])
    _practising(exposure.rung)
    care_services.audit_record(
        actor=actor, client=exposure.client, action=AuditEvent.Action.UPDATE, target=exposure, ip=ip
    )
    _announce_attempt(exposure)
    return exposure


@transaction.atomic
def rung_decide(
    *, rung: Rung, therapist: User, decision: str, note: str = "", ip: str | None
) -> RungDecision:
    """The therapist's word on moving up. Done: the rung is finished, a win for the client.
    Keep practising: the suggestion rests until the next attempt."""
    rung = Rung.objects.select_for_update().select_related("client").get(pk=rung.pk)
    if rung.status == Rung.Status.DONE:
        raise ValidationError(_("This step is already done."))
    attempts = selectors.attempt_count(rung=rung)
    record = RungDecision(
        client=rung.client,
        author=therapist,
        rung=rung,
        decision=decision,
        attempts_seen=attempts,
        note=note,
    )
    care_services.record_saved(record, actor=therapist, action=AuditEvent.Action.CREATE, ip=ip)
    if decision == RungDecision.Decision.DONE:
        rung_done(rung=rung, actor=therapist, ip=ip)
    return record


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
