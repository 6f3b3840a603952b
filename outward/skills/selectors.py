"""Reads for the skills room: fear ladders and their rungs, as the viewer may see them, and
the client's current rung (the lowest not yet done), which matching reads as a level."""

from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from outward.care import happenings
from outward.care.models import Client, Practice
from outward.lib.forms import row_id

from .lessons import LessonText, library
from .models import PRACTICE_LESSON_PREFIX, FearLadder, Lesson, LessonAssignment, Rung

RUNG_ORDER = ("expected_suds", "position", "id")


def ladders(*, client: Client, viewer, archived: bool = False) -> QuerySet[FearLadder]:
    """The client's ladders (active ones by default, oldest first), each with its rungs in
    SUDS order, in two queries whatever the number of ladders and rungs."""
    rungs = Rung.objects.for_viewer(client=client, viewer=viewer).order_by(*RUNG_ORDER)
    return (
        FearLadder.objects.for_viewer(client=client, viewer=viewer)
        .filter(archived__isnull=not archived)
        .prefetch_related(Prefetch("rungs", queryset=rungs))
        .order_by("-archived" if archived else "created", "id")
    )


def ladder_for_client(*, client: Client, viewer, ladder_id: int) -> FearLadder:
    """One of the client's ladders, or a 404 exactly as for a ladder that does not exist."""
    ladder = (
        FearLadder.objects.for_viewer(client=client, viewer=viewer).filter(pk=ladder_id).first()
    )
    if ladder is None:
        raise Http404
    return ladder


def rung_for_client(*, client: Client, viewer, rung_id: int) -> Rung:
    rung = (
        Rung.objects.for_viewer(client=client, viewer=viewer)
        .select_related("ladder")
        .filter(pk=rung_id)
        .first()
    )
    if rung is None:
        raise Http404
    return rung


@dataclass(frozen=True)
class LadderView:
    """A ladder with its rungs in order and where the client is on it."""

    ladder: FearLadder
    rungs: list[Rung]
    current: Rung | None  # the lowest rung not yet done
    done: int

    @property
    def total(self) -> int:
        return len(self.rungs)


def ladder_view(ladder: FearLadder, rungs: list[Rung] | None = None) -> LadderView:
    """`rungs` in order, or the ladder's prefetched ones (no query either way)."""
    rungs = list(ladder.rungs.all()) if rungs is None else rungs
    current = next((rung for rung in rungs if rung.status != Rung.Status.DONE), None)
    done = sum(rung.status == Rung.Status.DONE for rung in rungs)
    return LadderView(ladder, rungs, current, done)


def ladder_rungs(*, ladder: FearLadder, viewer) -> list[Rung]:
    """A ladder's rungs in order, in one query."""
    return list(
        Rung.objects.for_viewer(client=ladder.client, viewer=viewer)
        .filter(ladder=ladder)
        .order_by(*RUNG_ORDER)
    )


def exposure_level(client: Client) -> int | None:
    """The social intensity (1–5) of the client's current rung: the lowest rung not yet done
    on any ladder they are working on (not archived). With every rung done, the highest rung
    reached. None with no rung at all. One query."""
    suds = list(
        Rung.objects.filter(client=client, ladder__archived__isnull=True)
        .order_by(*RUNG_ORDER)
        .values_list("expected_suds", "status")
    )
    if not suds:
        return None
    open_ = [value for value, status in suds if status != Rung.Status.DONE]
    return happenings.intensity_for_suds(open_[0] if open_ else suds[-1][0])


# Lessons ---------------------------------------------------------------------------------
# A lesson is found by key: a file of the built-in library, or "practice:<id>" for a lesson
# the client's practice wrote. Assignments hold the key; titles are looked up when read.


def _practice_lesson_id(key: str) -> int | None:
    if not key.startswith(PRACTICE_LESSON_PREFIX):
        return None
    return row_id(key.removeprefix(PRACTICE_LESSON_PREFIX))


def _as_text(lesson: Lesson) -> LessonText:
    return LessonText(
        key=lesson.key,
        title=lesson.title,
        version=lesson.version,
        body=lesson.body,
        sources=lesson.sources,
        reflection_question=lesson.reflection_question,
        built_in=False,
    )


def lessons_offered(*, practice: Practice) -> list[LessonText]:
    """What the care team may assign: the built-in library, then the practice's published
    lessons by title (one query)."""
    own = Lesson.objects.filter(practice=practice, published=True).order_by("title", "pk")
    return [*library().values(), *(_as_text(lesson) for lesson in own)]


def lesson_texts(*, practice: Practice, keys) -> dict[str, LessonText]:
    """The lessons behind these keys, by key, in at most one query; a key whose lesson is
    gone (or belongs to another practice) is left out. A practice lesson assigned before it
    was unpublished stays readable for the client who has it."""
    built_in = library()
    found = {key: built_in[key] for key in keys if key in built_in}
    ids = {pk for pk in map(_practice_lesson_id, keys) if pk is not None}
    if ids:
        for lesson in Lesson.objects.filter(practice=practice, pk__in=ids):
            found[lesson.key] = _as_text(lesson)
    return found


def lesson_text(*, practice: Practice, key: str) -> LessonText | None:
    return lesson_texts(practice=practice, keys=[key]).get(key)


def lesson_assignments(*, client: Client, viewer) -> QuerySet[LessonAssignment]:
    """The client's lessons, unread first, then newest; a reflection the client kept private
    is blank for anyone but the client (care.records)."""
    return (
        LessonAssignment.objects.for_viewer(client=client, viewer=viewer)
        .select_related("author")
        .order_by(F("read_at").desc(nulls_first=True), "-created", "-pk")
    )


def with_lesson_texts(*, client: Client, assignments) -> list[tuple[LessonAssignment, object]]:
    """(assignment, its LessonText or None) for one page of assignments, in one query."""
    assignments = list(assignments)
    texts = lesson_texts(practice=client.practice, keys={a.lesson_key for a in assignments})
    return [(assignment, texts.get(assignment.lesson_key)) for assignment in assignments]


def lesson_assignment_for_client(*, client: Client, viewer, assignment_id: int) -> LessonAssignment:
    assignment = (
        LessonAssignment.objects.for_viewer(client=client, viewer=viewer)
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def lessons_due(client: Client, day) -> list[happenings.DueItem]:
    """Today's "A short read" for each unread lesson (two queries at most). An unread lesson
    waits on Today until it is read; it is never "overdue"."""
    unread = list(
        LessonAssignment.objects.filter(client=client, read_at__isnull=True).order_by(
            "created", "pk"
        )[:LESSONS_ON_TODAY]
    )
    texts = lesson_texts(practice=client.practice, keys={a.lesson_key for a in unread})
    return [
        happenings.DueItem(
            key=f"lesson:{assignment.pk}",
            title=_("A short read: %(title)s") % {"title": texts[assignment.lesson_key].title},
            detail=_("About three minutes"),
            open_url=reverse("skills:my_lesson", args=[assignment.pk]),
            order=5,
        )
        for assignment in unread
        if assignment.lesson_key in texts
    ]


LESSONS_ON_TODAY = 3  # Today stays short: a few reads at a time, the rest wait their turn


def practice_lessons(*, practice: Practice) -> QuerySet[Lesson]:
    return Lesson.objects.filter(practice=practice).select_related("author").order_by("title", "pk")


def practice_lesson(*, practice: Practice, lesson_id: int) -> Lesson:
    """A lesson of this practice; another practice's is "missing"."""
    lesson = Lesson.objects.filter(practice=practice, pk=lesson_id).first()
    if lesson is None:
        raise Http404
    return lesson


def lesson_setup_notices(practice: Practice) -> list[happenings.Notice]:
    """Until the practice writes a lesson of its own, its admins are told they can (the
    practice page is where a practice admin who is not a therapist finds lessons)."""
    if Lesson.objects.filter(practice=practice).exists():
        return []
    return [
        happenings.Notice(
            _(
                "Therapists can give clients Outward's six short lessons. Your practice can "
                "also write its own."
            ),
            url=reverse("skills:practice_lessons"),
            link_text=_("Practice lessons"),
        )
    ]
