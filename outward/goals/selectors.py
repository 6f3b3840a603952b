"""Reads for goals. Progress, streaks and GAS scores are derived here from the records, on read."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from outward.care import happenings
from outward.care.models import Client
from outward.care.records import is_own_record
from outward.lib.forms import row_id
from outward.lib.gas import gas_t_score
from outward.lib.periods import (
    local_date,
    local_midnight,
    next_period_start,
    period_start,
    recent_periods,
)

from .models import Goal, GoalCheckIn, GoalReview, Step, Win

HAPPENING_KINDS = {
    "goals.step_done": gettext_lazy("finished a step"),
    "goals.did_it": gettext_lazy("did something toward a goal"),
}
# Wins as happenings, for readers such as the client's journey. Their kinds end in ".win", so
# week summaries and counts leave them out (a win is a celebration of a happening, not another).
WIN_KINDS = {
    "goals.own.win": gettext_lazy("noted a win"),
    "goals.step.win": gettext_lazy("finished a step"),
    "goals.target.win": gettext_lazy("met a target"),
    "goals.first.win": gettext_lazy("did something for the first time"),
}
FIRST_SOURCE = "first:"  # a first's Win.source: "first:<happening kind>", one per kind
STREAK_WINDOW = 12  # periods looked back for a streak; longer streaks show as "12+"


def _steps_done(client_ids: Sequence[int], start, end) -> QuerySet[Step]:
    return Step.objects.filter(client_id__in=client_ids, done_at__gte=start, done_at__lt=end)


def _taps(client_ids: Sequence[int], start, end) -> QuerySet[GoalCheckIn]:
    return GoalCheckIn.objects.filter(
        client_id__in=client_ids, occurred__gte=start, occurred__lt=end
    )


def goal_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    steps = _steps_done(client_ids, start, end).values_list("pk", "client_id", "done_at", "title")
    taps = _taps(client_ids, start, end).values_list("pk", "client_id", "occurred", "goal__title")
    return [
        *(
            happenings.Happening("goals.step_done", c, t, title, f"goals.step:{pk}")
            for pk, c, t, title in steps
        ),
        *(
            happenings.Happening("goals.did_it", c, t, title, f"goals.checkin:{pk}")
            for pk, c, t, title in taps
        ),
    ]


def goal_counts(client_id: int, start, end, own: bool) -> list:
    """`goal_happenings` counted (nothing here is private)."""
    return [
        happenings.count_rows(_steps_done([client_id], start, end), "goals.step_done"),
        happenings.count_rows(_taps([client_id], start, end), "goals.did_it"),
    ]


def win_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    """Wins in [start, end), in their own words: one query (wins come only from what the
    client shared, so none is private). `about` is what the win celebrates, e.g.
    "skills.rung:7", so a reader that also lists that happening can show it once."""
    rows = Win.objects.filter(
        client_id__in=client_ids, occurred__gte=start, occurred__lt=end
    ).values_list("pk", "client_id", "occurred", "kind", "text", "source")
    return [
        happenings.Happening(
            f"goals.{kind}.win", client_id, occurred, text, f"goals.win:{pk}", about=_about(source)
        )
        for pk, client_id, occurred, kind, text, source in rows
    ]


def win_words(*, kind: str, text: str, source: str, client: Client, viewer) -> str:
    """A win's words for whoever reads them. The wins Outward notices are stored as the client
    reads them ("A first: you went to …"); the care team reads a first about the client by
    name. Other wins read the same to both (a step's, a target's), or are someone's own words.
    `kind` is a Win.Kind, `source` the Win's source (or, for a happening, its `about`)."""
    first_of = source.removeprefix(FIRST_SOURCE).removeprefix(happenings.about_kind(""))
    if kind != Win.Kind.FIRST or is_own_record(client=client, viewer=viewer):
        return text
    label = happenings.kinds().get(first_of)
    if label is None:
        return text
    return _("A first: %(name)s %(what)s") % {"name": client.short_name, "what": label}


def happening_win_words(happening: happenings.Happening, *, client: Client, viewer) -> str:
    """win_words for a win read as a happening ("goals.<kind>.win")."""
    return win_words(
        kind=happening.kind.split(".")[1],
        text=happening.summary,
        source=happening.about,
        client=client,
        viewer=viewer,
    )


def _about(source: str) -> str:
    """What a win celebrates, as happenings name it: a first names its kind ("first:<kind>",
    see services.on_happening), any other win the record it came from."""
    first = source.removeprefix(FIRST_SOURCE)
    return happenings.about_kind(first) if first != source else source


def goal_for_client(*, client: Client, goal_id: int) -> Goal:
    """A goal of a client already reached through an access-checked selector."""
    goal = Goal.objects.select_related("author").filter(client=client, pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal


def step_for_client(*, client: Client, step_id: int) -> Step:
    step = Step.objects.select_related("goal").filter(client=client, pk=step_id).first()
    if step is None:
        raise Http404
    return step


def win_for_client(*, client: Client, win_id: int) -> Win:
    win = Win.objects.filter(client=client, pk=win_id).first()
    if win is None:
        raise Http404
    return win


def goals_with_steps(*, client: Client) -> list[Goal]:
    goals = Goal.objects.filter(client=client).prefetch_related(
        Prefetch("steps", Step.objects.order_by("position", "id"))
    )
    return list(goals.order_by("status", "-created", "-id"))


@dataclass(frozen=True)
class Progress:
    count: int
    target: int
    period: str
    met_periods: tuple[bool, ...]  # oldest first, the current period last

    @property
    def met(self) -> bool:
        return self.count >= self.target

    @property
    def streak(self) -> int:
        """Periods met in a row, counting the current one only once it is met."""
        history = list(self.met_periods if self.met else self.met_periods[:-1])
        streak = 0
        for met in reversed(history):
            if not met:
                break
            streak += 1
        return streak

    @property
    def period_label(self) -> str:
        return _("this week") if self.period == Goal.Period.WEEK else _("this month")

    @property
    def summary(self) -> str:
        values = {"count": self.count, "target": self.target, "per": self.period_label}
        if self.met:
            return (
                ngettext(
                    "Done %(count)s time %(per)s — target met",
                    "Done %(count)s times %(per)s — target met",
                    self.count,
                )
                % values
            )
        return _("%(count)s of %(target)s %(per)s") % values


def cadence_progress(
    *,
    goals: Sequence[Goal],
    time_zones: dict[int, str],
    now: datetime.datetime,
    periods: int = STREAK_WINDOW,
) -> dict[int, Progress]:
    """Progress of each cadence goal, counted from what was logged: "I did it" taps, finished
    steps of the goal, and happenings of the goal's `counts_kind`, over the last `periods`
    periods (1: the current one only, when no streak is shown). One query plus one per
    other room involved, however many goals and clients."""
    goals = [goal for goal in goals if goal.cadence_count]
    if not goals:
        return {}
    # The periods of each time zone and kind of period, worked out once (a caseload's clients
    # mostly share a zone), not once per goal.
    windows: dict[tuple[str, str], list[datetime.date]] = {}
    starts: dict[int, list[datetime.date]] = {}
    for goal in goals:
        key = (time_zones[goal.client_id], goal.cadence_period)
        if key not in windows:
            windows[key] = recent_periods(local_date(now, key[0]), key[1], periods)
        starts[goal.pk] = windows[key]
    # One window wide enough for every goal: from the earliest period start (local midnight
    # in each client's own zone)...
    since = min(local_midnight(found[0], zone) for (zone, _), found in windows.items())
    # ...to the end of the latest current period, so that what happened at `now` itself (the
    # contact a listener is being told about) counts, as taps and steps do.
    until = max(
        local_midnight(next_period_start(found[-1], period), zone)
        for (zone, period), found in windows.items()
    )
    goal_ids = [goal.pk for goal in goals]
    client_ids = sorted({goal.client_id for goal in goals})
    moments: dict[int, list[datetime.datetime]] = defaultdict(list)
    taps = GoalCheckIn.objects.filter(goal_id__in=goal_ids, occurred__gte=since)
    steps = Step.objects.filter(goal_id__in=goal_ids, done_at__gte=since)
    for goal_id, moment in (
        taps.order_by()
        .values_list("goal_id", "occurred")
        .union(steps.order_by().values_list("goal_id", "done_at"), all=True)
    ):
        moments[goal_id].append(moment)
    other_kinds = {goal.counts_kind for goal in goals if goal.counts_kind}
    if other_kinds:
        by_client_kind: dict[tuple[int, str], list] = defaultdict(list)
        for happening in happenings.happenings(
            client_ids=client_ids, start=since, end=until, kinds=other_kinds
        ):
            by_client_kind[(happening.client_id, happening.kind)].append(happening.occurred)
        for goal in goals:
            if goal.counts_kind:
                moments[goal.pk].extend(by_client_kind[(goal.client_id, goal.counts_kind)])
    progress = {}
    for goal in goals:
        zone = time_zones[goal.client_id]
        counts = Counter(
            period_start(local_date(moment, zone), goal.cadence_period)
            for moment in moments[goal.pk]
        )
        met = tuple(counts[start] >= goal.cadence_count for start in starts[goal.pk])
        progress[goal.pk] = Progress(
            count=counts[starts[goal.pk][-1]],
            target=goal.cadence_count,
            period=goal.cadence_period,
            met_periods=met,
        )
    return progress


def goals_at_risk(*, client: Client, now: datetime.datetime) -> list[tuple[Goal, Progress]]:
    """Active cadence goals whose target was missed in both of the last two whole periods (the
    current one not counted), each period lived through by the goal from its start, so a goal
    set last week is not "at risk" for weeks before it existed. The session-prep page reads
    it. Three queries at most, however much was logged."""
    goals = list(
        Goal.objects.filter(
            client=client, status=Goal.Status.ACTIVE, cadence_count__isnull=False
        ).order_by("created", "pk")
    )
    zone = client.user.time_zone
    progress = cadence_progress(goals=goals, time_zones={client.pk: zone}, now=now)
    today = local_date(now, zone)
    return [
        (goal, progress[goal.pk])
        for goal in goals
        if local_date(goal.created, zone) <= recent_periods(today, goal.cadence_period, 3)[0]
        and not any(progress[goal.pk].met_periods[-3:-1])
    ]


def period_key(goal: Goal, now: datetime.datetime) -> str:
    """The current period of a cadence goal, e.g. "2026-11-23", in the client's time zone."""
    return period_start(
        local_date(now, goal.client.user.time_zone), goal.cadence_period
    ).isoformat()


def due_today(client: Client, day: datetime.date) -> list[happenings.DueItem]:
    """Steps planned up to today and not done, each goal's next step, and cadence goals not yet
    met this period."""
    dated, following = steps_for_today(client=client, day=day)
    items = [
        happenings.DueItem(
            key=f"step:{step.pk}",
            title=step.title,
            detail=(
                _("Planned for %(date)s") % {"date": date_format(step.scheduled_for, "j M")}
                if step.scheduled_for < day
                else ""
            ),
            done_url=reverse("goals:step_done", args=[step.pk]),
            order=1,
        )
        for step in dated
    ]
    items += [
        happenings.DueItem(
            key=f"step:{step.pk}",
            title=step.title,
            detail=_("Next step toward “%(goal)s”") % {"goal": step.goal_title},
            done_url=reverse("goals:step_done", args=[step.pk]),
            order=1,
        )
        for step in following
    ]
    goals = list(
        Goal.objects.filter(client=client, status=Goal.Status.ACTIVE, cadence_count__isnull=False)
    )
    progress = cadence_progress(
        goals=goals, time_zones={client.pk: client.user.time_zone}, now=timezone.now()
    )
    items += [
        happenings.DueItem(
            key=f"goal:{goal.pk}",
            title=goal.title,
            detail=progress[goal.pk].summary,
            done_url=reverse("goals:did_it", args=[goal.pk]),
            order=2,
        )
        for goal in goals
        if not progress[goal.pk].met
    ]
    return items


DATED_STEPS_LIMIT = 20  # steps planned up to today that Today lists
NEXT_STEPS_LIMIT = 20  # goals whose next step Today shows; more would not help anyone


def steps_for_today(*, client: Client, day: datetime.date) -> tuple[list[Step], list[Step]]:
    """(dated, next) from one read of the open steps of the goals the client is working on:
    the steps planned up to `day`, oldest first, and the next step of each goal (the first
    not done, in the goal's order; goals in the order they were set) where that step has no
    date, since a dated one reaches Today on its day instead. A client's open steps are a
    handful, so they are sorted here rather than by a subquery per goal."""
    dated, following, seen = [], [], set()
    for step in (
        Step.objects.filter(client=client, done_at=None, goal__status=Goal.Status.ACTIVE)
        .annotate(goal_title=F("goal__title"))
        .order_by("goal__created", "goal_id", "position", "id")
    ):
        if step.goal_id not in seen:
            seen.add(step.goal_id)
            if step.scheduled_for is None:
                following.append(step)
        if step.scheduled_for is not None and step.scheduled_for <= day:
            dated.append(step)
    dated.sort(key=lambda step: (step.scheduled_for, step.position, step.pk))
    return dated[:DATED_STEPS_LIMIT], following[:NEXT_STEPS_LIMIT]


def targets_cell(clients: Sequence[Client], now: datetime.datetime) -> dict[int, str]:
    """The caseload's "targets this period" column for one page of clients: only this period
    is counted (no streak is shown), so only this period's taps, steps and happenings are
    read."""
    zones = {client.pk: client.user.time_zone for client in clients}
    goals = list(
        Goal.objects.filter(
            client_id__in=zones, status=Goal.Status.ACTIVE, cadence_count__isnull=False
        ).only("pk", "client_id", "cadence_count", "cadence_period", "counts_kind")
    )
    progress = cadence_progress(goals=goals, time_zones=zones, now=now, periods=1)
    met: Counter = Counter()
    total: Counter = Counter()
    for goal in goals:
        total[goal.client_id] += 1
        met[goal.client_id] += progress[goal.pk].met
    text = _("%(met)s of %(total)s met")
    return {
        client_id: text % {"met": met[client_id], "total": count}
        for client_id, count in total.items()
    }


def wins(*, client: Client) -> QuerySet[Win]:
    return (
        Win.objects.filter(client=client)
        .select_related("acknowledged_by", "author")
        .order_by("-occurred", "-id")
    )


ENCOURAGEMENT_DAYS = 7  # how long a care team's message on a win stays on the client's Today
ENCOURAGEMENTS_SHOWN = 3


def encouragement_notices(client: Client) -> list[happenings.Notice]:
    """The care team's recent messages on the client's wins, for the client's Today. One query
    (found by the client prefix of `win_client_recent`: a client has few wins)."""
    since = timezone.now() - datetime.timedelta(days=ENCOURAGEMENT_DAYS)
    recent = (
        Win.objects.filter(client=client, acknowledged_at__gte=since)
        .select_related("acknowledged_by")
        .order_by("-acknowledged_at", "-id")[:ENCOURAGEMENTS_SHOWN]
    )
    return [
        happenings.Notice(
            text=_("%(name)s wrote about your win “%(win)s”: %(message)s")
            % {
                "name": win.acknowledged_by.full_name,
                "win": win.text,
                "message": win.acknowledgement,
            },
            url=reverse("goals:my_goals") + "#wins",
            link_text=_("Your wins"),
        )
        for win in recent
    ]


@dataclass(frozen=True)
class GasPoint:
    reviewed_on: datetime.date
    t_score: float
    goals: int


GAS_HISTORY_LIMIT = 500  # reviews read for the history; far more than years of sessions


def gas_history(*, client: Client) -> list[GasPoint]:
    """The Kiresuk–Sherman T-score at each review date, over each goal's latest rating as of
    that date (weights from the goals)."""
    reviews = list(
        GoalReview.objects.filter(client=client)
        .order_by("-reviewed_on", "-id")
        .values_list("reviewed_on", "goal_id", "level", "goal__weight")[:GAS_HISTORY_LIMIT]
    )
    reviews.reverse()
    latest: dict[int, tuple[int, int]] = {}
    points = []
    for index, (reviewed_on, goal_id, level, weight) in enumerate(reviews):
        latest[goal_id] = (level, weight)
        last_of_day = index + 1 == len(reviews) or reviews[index + 1][0] != reviewed_on
        if last_of_day:
            levels = [level for level, _weight in latest.values()]
            weights = [weight for _level, weight in latest.values()]
            points.append(GasPoint(reviewed_on, gas_t_score(levels, weights), len(levels)))
    return points


def scheduled_steps(*, client: Client, start: datetime.date, end: datetime.date) -> QuerySet[Step]:
    """Steps of the client's active goals planned for a day from `start` to `end` (both
    included), done or not, in date order: the calendar feed. One query."""
    return (
        Step.objects.filter(
            client=client,
            scheduled_for__gte=start,
            scheduled_for__lte=end,
            goal__status=Goal.Status.ACTIVE,
        )
        .order_by("scheduled_for", "position", "id")
        .only("pk", "title", "scheduled_for", "done_at", "updated")
    )


# A goal's step as a rung on the client's fear ladder (the skills room asks through
# care.happenings, without importing this room). No SUDS guess: the client gives one.
RUNG_REF = "goals.step:"
RUNG_IDEAS = 50


def rung_ideas(*, client: Client, viewer, query: str = "") -> list[happenings.RungIdea]:
    """The steps not done yet of the client's goals they are working on, in one query."""
    steps = (
        Step.objects.for_viewer(client=client, viewer=viewer)
        .filter(done_at__isnull=True, goal__status=Goal.Status.ACTIVE)
        .order_by("goal__created", "goal_id", "position", "id")
        .values_list("pk", "title", "goal__title")[:RUNG_IDEAS]
    )
    return [
        happenings.RungIdea(ref=f"{RUNG_REF}{pk}", text=title, detail=goal_title)
        for pk, title, goal_title in steps
    ]


def rung_idea(*, client: Client, viewer, ref: str) -> happenings.RungIdea | None:
    """The picked step again, if it is one of this client's; None otherwise (a 404)."""
    step_id = row_id(ref.removeprefix(RUNG_REF)) if ref.startswith(RUNG_REF) else None
    if step_id is None:
        return None
    found = (
        Step.objects.for_viewer(client=client, viewer=viewer)
        .filter(pk=step_id)
        .values_list("pk", "title", "goal__title")
        .first()
    )
    if found is None:
        return None
    pk, title, goal_title = found
    return happenings.RungIdea(ref=f"{RUNG_REF}{pk}", text=title, detail=goal_title)


def latest_levels(*, client: Client, on: datetime.date) -> dict[int, int]:
    """Each goal's latest Goal Attainment Scaling level as of `on` (a progress report's last
    day), by goal id. One query over the reviews (GAS_HISTORY_LIMIT, newest first)."""
    levels: dict[int, int] = {}
    for goal_id, level in (
        GoalReview.objects.filter(client=client, reviewed_on__lte=on)
        .order_by("-reviewed_on", "-id")
        .values_list("goal_id", "level")[:GAS_HISTORY_LIMIT]
    ):
        levels.setdefault(goal_id, level)
    return levels
