"""Reads for the skills room: fear ladders and their rungs, as the viewer may see them, and
the client's current rung (the lowest not yet done), which matching reads as a level."""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outward.care import happenings
from outward.care.models import Client, Practice
from outward.care.records import Visibility
from outward.lib.readiness import Readiness, readiness

from . import library as examples
from .lessons import LessonText, library
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
    key_row_id,
)
from .traps import TRAPS

RUNG_ORDER = ("expected_suds", "position", "id")


def _one_or_404(queryset: QuerySet, pk: int):
    """The row with this id among those the viewer may see; a 404 for one that is missing
    and for one that is not theirs alike."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


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
    return _one_or_404(FearLadder.objects.for_viewer(client=client, viewer=viewer), ladder_id)


def rung_for_client(*, client: Client, viewer, rung_id: int) -> Rung:
    """One of this client's rungs with its ladder; 404 for missing and not theirs alike."""
    return _one_or_404(
        Rung.objects.for_viewer(client=client, viewer=viewer).select_related("ladder"), rung_id
    )


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
    ids = {pk for pk in map(key_row_id, keys) if pk is not None}
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
    return _one_or_404(
        LessonAssignment.objects.for_viewer(client=client, viewer=viewer), assignment_id
    )


def lessons_due(client: Client, day) -> list[happenings.DueItem]:
    """Today's "A short read" for each unread lesson (two queries at most). An unread lesson
    waits on Today until it is read; it is never "overdue"."""
    unread = list(lessons_unread(client, day).order_by("created", "pk")[:LESSONS_ON_TODAY])
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


def lessons_unread(client: Client, day=None) -> QuerySet[LessonAssignment]:
    """The client's unread lessons (whatever the day): Today's probe and `lessons_due`'s list."""
    return LessonAssignment.objects.filter(client=client, read_at__isnull=True)


def practice_lessons(*, practice: Practice) -> QuerySet[Lesson]:
    return Lesson.objects.filter(practice=practice).select_related("author").order_by("title", "pk")


def practice_lesson(*, practice: Practice, lesson_id: int) -> Lesson:
    """A lesson of this practice; another practice's is "missing"."""
    return _one_or_404(Lesson.objects.filter(practice=practice), lesson_id)


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


# --- Exposures (issue 9) ----------------------------------------------------------------------
#
# A rung's attempts are its logged exposures plus the first-visit plans the client went to at
# the group the rung came from (a rung whose `source_ref` is "community.resource:N" matches the
# plans whose happening is `about` that resource). The plans are read through the happenings
# registry — their prediction and outcome stay in community, never copied here.


EXPOSURE = "skills.exposure"
RUNG_DONE = "skills.rung_done"
RUNG_WIN = "skills.rung.win"  # announced only: goals' listener makes it a win
ATTEMPT_KINDS = {EXPOSURE: gettext_lazy("tried a step on a fear ladder")}
RUNG_DONE_KINDS = {RUNG_DONE: gettext_lazy("finished a step on a fear ladder")}
PLAN_WENT = "community.plan.went"  # the kind community's plans provider answers for
RESOURCE_REF = "community.resource:"
# Plans attended are read this far back from when the rung was made (a group the client went
# to before putting it on the ladder still counts as a first attempt).
PLAN_LOOKBACK = datetime.timedelta(days=365)
ATTEMPTS_SHOWN = 50  # the rung page and its charts show the latest attempts, never all of them
ASK_HOW_IT_WENT_DAYS = 14  # a planned attempt asks "how did it go?" on Today this long


def rung_setting(source_ref: str) -> str:
    """The setting of a rung picked from the examples, by its example's area ("" for a rung
    typed or taken from elsewhere: a plan at a group carries its own setting)."""
    kind, _sep, key = source_ref.partition(":")
    found = examples.situation(key) if kind == "library" else None
    return examples.AREA_SETTINGS.get(found.area, "") if found else ""


def exposure_happening(exposure: Exposure) -> happenings.Happening:
    return happenings.Happening(
        EXPOSURE,
        exposure.client_id,
        exposure.occurred,
        exposure.rung.situation,
        f"skills.exposure:{exposure.pk}",
        numbers=_exposure_numbers(exposure.expected_suds, exposure.suds_peak),
        setting=rung_setting(exposure.rung.source_ref),
    )


def rung_win(rung: Rung) -> happenings.Happening:
    return happenings.Happening(
        RUNG_WIN,
        rung.client_id,
        rung.done_at,
        _("Ladder step done: %(step)s") % {"step": rung.situation},
        f"skills.rung:{rung.pk}",
    )


def _exposure_numbers(expected: int, peak: int | None) -> dict[str, int]:
    return {"expected_suds": expected} | ({} if peak is None else {"peak_suds": peak})


def _attempts(client_ids: Sequence[int], start, end) -> QuerySet[Exposure]:
    return Exposure.objects.filter(client_id__in=client_ids, occurred__gte=start, occurred__lt=end)


def _rungs_done(client_ids: Sequence[int], start, end) -> QuerySet[Rung]:
    return Rung.objects.filter(
        client_id__in=client_ids, status=Rung.Status.DONE, done_at__gte=start, done_at__lt=end
    )


def attempt_counts(client_id: int, start, end, own: bool) -> list:
    """`attempt_happenings` counted (nothing here is private)."""
    return [happenings.count_rows(_attempts([client_id], start, end), EXPOSURE)]


def rung_done_counts(client_id: int, start, end, own: bool) -> list:
    """`rung_done_happenings` counted."""
    return [happenings.count_rows(_rungs_done([client_id], start, end), RUNG_DONE)]


def attempt_happenings(
    client_ids: Sequence[int], start: datetime.datetime, end: datetime.datetime
) -> list[happenings.Happening]:
    """Attempts logged in [start, end): one query."""
    return [
        happenings.Happening(
            EXPOSURE,
            client_id,
            occurred,
            situation,
            f"skills.exposure:{pk}",
            numbers=_exposure_numbers(expected, peak),
            setting=rung_setting(source_ref),
        )
        for pk, client_id, occurred, situation, source_ref, expected, peak in _attempts(
            client_ids, start, end
        ).values_list(
            "pk",
            "client_id",
            "occurred",
            "rung__situation",
            "rung__source_ref",
            "expected_suds",
            "suds_peak",
        )
    ]


def rung_done_happenings(
    client_ids: Sequence[int], start: datetime.datetime, end: datetime.datetime
) -> list[happenings.Happening]:
    """Rungs finished in [start, end): one query."""
    return [
        happenings.Happening(RUNG_DONE, client_id, done_at, situation, f"skills.rung:{pk}")
        for pk, client_id, done_at, situation in _rungs_done(client_ids, start, end).values_list(
            "pk", "client_id", "done_at", "situation"
        )
    ]


def exposure_for_client(*, client: Client, viewer, exposure_id: int) -> Exposure:
    return _one_or_404(
        Exposure.objects.for_viewer(client=client, viewer=viewer).select_related("rung"),
        exposure_id,
    )


def exposures(*, client: Client, viewer) -> QuerySet[Exposure]:
    """The client's attempts, planned and logged, newest first, each with its rung (one query
    a page)."""
    return (
        Exposure.objects.for_viewer(client=client, viewer=viewer)
        .select_related("rung")
        .order_by("-created", "-id")
    )


@dataclass(frozen=True)
class Attempt:
    """One attempt at a rung, from an exposure logged here or a plan attended (community)."""

    occurred: datetime.datetime
    expected_suds: int | None
    suds_peak: int | None
    exposure: Exposure | None = None  # None for a plan attended
    source: str = ""  # e.g. "community.plan:4" for a plan

    @property
    def is_plan(self) -> bool:
        return self.exposure is None

    @property
    def plan_id(self) -> int | None:
        """The plan's id, to link to its page (community's URL, by name only)."""
        kind, _sep, pk = self.source.partition(":")
        return int(pk) if kind == "community.plan" and pk.isdigit() else None


def _plan_attempts(
    rungs: Sequence[Rung], client_ids: Sequence[int], viewer
) -> dict[int, list[Attempt]]:
    """Plans attended at the groups rungs came from, by rung (one query, by the registry)."""
    by_resource: dict[tuple[int, str], list[int]] = defaultdict(list)
    for rung in rungs:
        if rung.source_ref.startswith(RESOURCE_REF):
            by_resource[(rung.client_id, rung.source_ref)].append(rung.pk)
    if not by_resource:
        return {}
    start = min(rung.created for rung in rungs) - PLAN_LOOKBACK
    end = timezone.now() + datetime.timedelta(days=1)
    found: dict[int, list[Attempt]] = defaultdict(list)
    for happening in happenings.happenings(
        client_ids=client_ids, start=start, end=end, kinds=[PLAN_WENT], viewer=viewer
    ):
        numbers = happening.numbers or {}
        for rung_id in by_resource.get((happening.client_id, happening.about), []):
            found[rung_id].append(
                Attempt(
                    occurred=happening.occurred,
                    expected_suds=numbers.get("expected_suds"),
                    suds_peak=numbers.get("peak_suds"),
                    source=happening.source,
                )
            )
    return found


def attempts_by_rung(rungs: Sequence[Rung], *, viewer) -> dict[int, list[Attempt]]:
    """Each rung's attempts, oldest first (at most ATTEMPTS_SHOWN exposures a rung for one
    rung; every logged one for several, as read by the caseload). Two queries, however many
    rungs and attempts."""
    if not rungs:
        return {}
    client_ids = sorted({rung.client_id for rung in rungs})
    found: dict[int, list[Attempt]] = defaultdict(list)
    logged = Exposure.objects.filter(
        rung__in=rungs, client_id__in=client_ids, occurred__isnull=False
    ).order_by("-occurred", "-id")
    if len(rungs) == 1:
        logged = logged.select_related("rung")[:ATTEMPTS_SHOWN]
    for exposure in logged:
        found[exposure.rung_id].append(
            Attempt(exposure.occurred, exposure.expected_suds, exposure.suds_peak, exposure)
        )
    for rung_id, plans in _plan_attempts(rungs, client_ids, viewer).items():
        found[rung_id].extend(plans)
    return {rung_id: sorted(items, key=lambda a: a.occurred) for rung_id, items in found.items()}


def attempt_count(*, rung: Rung) -> int:
    return len(attempts_by_rung([rung], viewer=None).get(rung.pk, []))


@dataclass(frozen=True)
class RungState:
    readiness: Readiness
    decision: RungDecision | None  # the therapist's latest word on this rung
    attempts: int

    @property
    def waiting(self) -> bool:
        """The rule suggests moving up and the therapist has not answered since the latest
        attempt."""
        if not self.readiness.ready:
            return False
        return self.decision is None or self.decision.attempts_seen < self.attempts


def rung_state(*, rung: Rung, attempts: Sequence[Attempt]) -> RungState:
    decision = RungDecision.objects.filter(rung=rung).order_by("-created", "-id").first()
    return RungState(
        readiness=readiness([attempt.suds_peak for attempt in attempts]),
        decision=decision,
        attempts=len(attempts),
    )


def ready_cell(clients: Sequence[Client], now: datetime.datetime) -> dict[int, object]:
    """The caseload's "Ready for next rung" column for one page of clients: how many rungs the
    rule suggests moving up from that the therapist has not answered yet. Four queries (rungs,
    exposures, plans attended, decisions; one when no rung is being practised), however many
    clients, rungs and attempts. Ids go into the queries, not objects."""
    # Rungs being practised, and rungs not tried here that came from a group (a plan attended
    # there is an attempt).
    rungs = list(
        Rung.objects.filter(client_id__in=[client.pk for client in clients])
        .filter(Q(status=Rung.Status.PRACTISING) | Q(source_ref__startswith=RESOURCE_REF))
        .exclude(status=Rung.Status.DONE)
        .only("pk", "client_id", "source_ref", "created")
    )
    if not rungs:
        return {}
    attempts = attempts_by_rung(rungs, viewer=None)
    answered: dict[int, int] = {}
    for rung_id, seen in RungDecision.objects.filter(
        rung_id__in=[rung.pk for rung in rungs]
    ).values_list("rung_id", "attempts_seen"):
        answered[rung_id] = max(seen, answered.get(rung_id, 0))
    waiting: dict[int, int] = defaultdict(int)
    for rung in rungs:
        tried = attempts.get(rung.pk, [])
        if readiness([a.suds_peak for a in tried]).ready and answered.get(rung.pk, -1) < len(tried):
            waiting[rung.client_id] += 1
    return {
        client_id: happenings.Cell(
            _("%(count)s ready") % {"count": count},
            url=reverse("skills:skills", args=[client_id]),
        )
        for client_id, count in waiting.items()
    }


def attempts_due(client: Client, day: datetime.date) -> QuerySet[Exposure]:
    """Attempts planned for `day` or the two weeks before and not yet logged: Today's probe
    (is anything due?) and `due_today`'s list."""
    return Exposure.objects.filter(
        client=client,
        occurred__isnull=True,
        planned_for__lte=day,
        planned_for__gte=day - datetime.timedelta(days=ASK_HOW_IT_WENT_DAYS),
    )


def due_today(client: Client, day: datetime.date) -> list[happenings.DueItem]:
    """Attempts planned for today (and, for two weeks, planned ones not yet logged). The title
    is the rung's situation, on the client's own Today page only."""
    planned = attempts_due(client, day).select_related("rung").order_by("planned_for", "id")[:10]
    return [
        happenings.DueItem(
            key=f"exposure:{exposure.pk}",
            title=_("Practice: %(step)s") % {"step": exposure.rung.situation},
            detail=(
                _("Planned for %(date)s — how did it go?")
                % {"date": date_format(exposure.planned_for, "j M")}
                if exposure.planned_for < day
                else _("When you have tried it, say how it went.")
            ),
            open_url=reverse("skills:my_exposure_log", args=[exposure.pk]),
            order=1,
        )
        for exposure in planned
    ]


def planned_exposures(
    *, client: Client, start: datetime.date, end: datetime.date
) -> QuerySet[Exposure]:
    """Attempts planned for a day from `start` to `end` (both included), logged or not: the
    calendar feed. One query."""
    return (
        Exposure.objects.filter(client=client, planned_for__gte=start, planned_for__lte=end)
        .select_related("rung")
        .order_by("planned_for", "id")
        .only("pk", "planned_for", "occurred", "updated", "rung__situation")
    )


# Thought records (issue 9) -----------------------------------------------------------------

SUMMARY_MONTHS = 6


def thought_records(*, client: Client, viewer) -> QuerySet[ThoughtRecord]:
    """The client's thought records, newest first, each with its emotions and traps (three
    queries for a page, whatever its length). Anyone but the client gets the shared ones only."""
    return (
        ThoughtRecord.objects.for_viewer(client=client, viewer=viewer)
        .prefetch_related(
            Prefetch("emotions", queryset=ThoughtEmotion.objects.order_by("position", "id")),
            Prefetch("traps", queryset=ThoughtTrap.objects.order_by("id")),
        )
        .order_by("-created", "-id")
    )


def thought_record_for_client(*, client: Client, viewer, record_id: int) -> ThoughtRecord:
    """One thought record as the viewer may see it; 404 when missing, someone else's, or
    kept private from this viewer."""
    return _one_or_404(thought_records(client=client, viewer=viewer), record_id)


def thought_record_versions(*, record: ThoughtRecord) -> QuerySet[ThoughtRecordVersion]:
    """The saves of a record already read through thought_record_for_client, oldest first."""
    return record.versions.select_related("author").order_by("number")


def thought_default_visibility(*, practice) -> str:
    row = ThoughtRecordSettings.objects.filter(practice=practice).first()
    return row.default_visibility if row else Visibility.SHARED


@dataclass(frozen=True)
class TrapRow:
    key: str
    name: str
    explanation: str
    by_month: list[tuple[datetime.date, int]]
    total: int


@dataclass(frozen=True)
class ThoughtSummary:
    months: list[datetime.date]
    traps: list[TrapRow]  # the traps seen at all, most frequent first
    records: int  # thought records the viewer may see
    rerated: int  # emotions re-rated, over which the drop is averaged
    average_drop: float | None  # first rating minus re-rating, 0–100 points


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], today.year, today.month
    for _month in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def thought_summary(*, client: Client, viewer, now: datetime.datetime) -> ThoughtSummary:
    """Recurring thinking traps (per month, for the last SUMMARY_MONTHS months, and in all)
    and the average drop from first rating to re-rating, counted in the database over the
    records the viewer may see: the shared ones only for the care team. Four queries."""
    visible = ThoughtRecord.objects.for_viewer(client=client, viewer=viewer)
    tz = zoneinfo.ZoneInfo(client.user.time_zone)
    today = now.astimezone(tz).date()
    months = _month_starts(today, SUMMARY_MONTHS)
    since = datetime.datetime.combine(months[0], datetime.time(), tzinfo=tz)
    traps = ThoughtTrap.objects.filter(record__in=visible.values("pk"))
    totals = dict(traps.values("key").annotate(n=Count("id")).values_list("key", "n"))
    by_month: dict[tuple[str, datetime.date], int] = {}
    monthly = (
        traps.filter(record__created__gte=since)
        .annotate(month=TruncMonth("record__created", tzinfo=tz))
        .values("key", "month")
        .annotate(n=Count("id"))
        .values_list("key", "month", "n")
    )
    for key, month, n in monthly:
        month = month.date() if isinstance(month, datetime.datetime) else month
        by_month[key, month] = n
    rows = [
        TrapRow(
            key=key,
            name=str(TRAPS[key][0]),
            explanation=str(TRAPS[key][1]),
            by_month=[(month, by_month.get((key, month), 0)) for month in months],
            total=total,
        )
        for key, total in totals.items()
        if key in TRAPS
    ]
    rows.sort(key=lambda row: (-row.total, row.name))
    drop = ThoughtEmotion.objects.filter(
        record__in=visible.values("pk"), rerated__isnull=False
    ).aggregate(n=Count("id"), average=Avg(F("intensity") - F("rerated")))
    return ThoughtSummary(
        months=months,
        traps=rows,
        records=visible.count(),
        rerated=drop["n"],
        average_drop=None if drop["average"] is None else round(float(drop["average"]), 1),
    )
