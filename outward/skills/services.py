"""Writes for the skills room. Every change is audited like the other rooms' records."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, Practice
from outward.care.records import Visibility

from . import selectors
from .models import FearLadder, Lesson, LessonAssignment


@transaction.atomic
def ladder_create(*, client: Client, author: User, title: str, ip: str | None) -> FearLadder:
    ladder = FearLadder(client=client, author=author, title=title)
    ladder.full_clean()
    ladder.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=ladder, ip=ip
    )
    return ladder


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
    assignment.full_clean()
    assignment.save(update_fields=["read_at", "reflection", "reflection_visibility", "updated"])
    care_services.audit_record(
        actor=actor,
        client=assignment.client,
        action=AuditEvent.Action.UPDATE,
        target=assignment,
        ip=ip,
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
