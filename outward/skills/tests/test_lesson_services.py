"""Lesson services: assigning, reading and answering, and the practice's own lessons."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from outward.care.models import AuditEvent
from outward.care.records import Visibility
from outward.skills import selectors, services
from outward.skills.models import Lesson, LessonAssignment


def _assign(world, key="thinking-traps"):
    return services.lesson_assign(
        client=world.client, actor=world.therapist.user, lesson_key=key, ip="127.0.0.1"
    )


def _read(world, assignment, reflection="", visibility=Visibility.PRIVATE, actor=None):
    return services.lesson_mark_read(
        assignment=assignment,
        actor=actor or world.client.user,
        reflection=reflection,
        reflection_visibility=visibility,
        ip=None,
    )


def _practice_lesson(world, practice=None, published=True, slug="sleep"):
    return services.practice_lesson_create(
        practice=practice or world.practice,
        author=world.admin.user,
        title="Sleep and mood",
        slug=slug,
        body="Sleep matters.",
        sources="- A source (2020).",
        reflection_question="How did you sleep?",
        published=published,
    )


def test_assign_records_key_version_and_who(world):
    assignment = _assign(world)

    assert (assignment.lesson_key, assignment.lesson_version) == ("thinking-traps", 1)
    assert assignment.assigned_by == world.therapist.user
    assert assignment.read_at is None
    assert AuditEvent.objects.filter(
        client=world.client,
        action=AuditEvent.Action.CREATE,
        target=f"lessonassignment:{assignment.pk}",
    ).exists()


def test_an_unread_lesson_is_not_assigned_twice(world):
    _assign(world)

    with pytest.raises(ValidationError, match="already waiting"):
        _assign(world)
    assert LessonAssignment.objects.count() == 1


def test_the_database_refuses_a_second_unread_copy_too(world):
    first = _assign(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        LessonAssignment.objects.create(
            client=world.client, author=world.therapist.user, lesson_key=first.lesson_key
        )


def test_a_read_lesson_may_be_given_again(world):
    first = _assign(world)
    _read(world, first)

    again = _assign(world)

    assert again.pk != first.pk


@pytest.mark.parametrize("key", ["no-such-lesson", "practice:999999", "practice:x"])
def test_only_offered_lessons_are_assigned(world, key):
    with pytest.raises(ValidationError, match="not in your practice"):
        _assign(world, key)


def test_a_practice_lesson_is_assignable_only_when_published_and_only_in_its_practice(world):
    draft = _practice_lesson(world, published=False, slug="draft")
    theirs = _practice_lesson(world, practice=world.other_practice, slug="theirs")
    ours = _practice_lesson(world)

    for lesson in (draft, theirs):
        with pytest.raises(ValidationError):
            _assign(world, lesson.key)
    assert _assign(world, ours.key).lesson_key == f"practice:{ours.pk}"


def test_marking_read_keeps_the_first_read_time_and_updates_the_answer(world):
    assignment = _assign(world)
    _read(world, assignment, "  My friend Sam  ", Visibility.SHARED)
    first_read = LessonAssignment.objects.get().read_at

    _read(world, LessonAssignment.objects.get(), "Changed my mind")

    saved = LessonAssignment.objects.get()
    assert saved.read_at == first_read is not None
    assert (saved.reflection, saved.reflection_visibility) == ("Changed my mind", "private")
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, actor=world.client.user).count()
        == 2
    )


def test_only_the_client_answers(world):
    assignment = _assign(world)

    with pytest.raises(ValidationError, match="Only the client"):
        _read(world, assignment, "Written for them", Visibility.SHARED, actor=world.therapist.user)
    assert LessonAssignment.objects.get().read_at is None


def test_a_withheld_assignment_cannot_be_saved_over_the_private_answer(world):
    assignment = _assign(world)
    _read(world, assignment, "mine")
    seen = selectors.lesson_assignment_for_client(
        client=world.client, viewer=world.therapist.user, assignment_id=assignment.pk
    )

    with pytest.raises(ValueError, match="without its private fields"):
        seen.save()
    assert LessonAssignment.objects.get().reflection == "mine"


def test_rewording_a_practice_lesson_makes_a_new_version(world):
    lesson = _practice_lesson(world)

    services.practice_lesson_update(lesson=lesson, actor=world.admin.user, published=False)
    assert Lesson.objects.get().version == 1
    services.practice_lesson_update(
        lesson=lesson, actor=world.admin.user, body="Sleep matters a lot."
    )
    saved = Lesson.objects.get()
    assert (saved.version, saved.body, saved.published) == (2, "Sleep matters a lot.", False)
    assert saved.author == world.admin.user


def test_a_slug_is_unique_in_its_practice(world):
    _practice_lesson(world)
    _practice_lesson(world, practice=world.other_practice)  # another practice may reuse it

    with pytest.raises(ValidationError):
        _practice_lesson(world)


def test_an_assigned_practice_lesson_stays_readable_after_unpublishing(world):
    lesson = _practice_lesson(world)
    assignment = _assign(world, lesson.key)
    services.practice_lesson_update(lesson=lesson, actor=world.admin.user, published=False)

    text = selectors.lesson_text(practice=world.client.practice, key=assignment.lesson_key)

    assert text.title == "Sleep and mood"
    assert lesson.key not in {t.key for t in selectors.lessons_offered(practice=world.practice)}
    assert selectors.lesson_text(practice=world.other_practice, key=lesson.key) is None


def test_a_race_past_full_clean_is_a_validation_error_not_a_500(world, monkeypatch):
    _assign(world)
    monkeypatch.setattr(LessonAssignment, "full_clean", lambda self: None)

    with pytest.raises(ValidationError, match="already waiting"):
        _assign(world)
    assert LessonAssignment.objects.count() == 1
