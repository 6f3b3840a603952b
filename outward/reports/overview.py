"""The client page's Overview for the care team: what happened since the last session, on one
screen. It is session prep's reading of the record (the same selectors: the shared
happenings, the measures due and changed, the goals at risk), arranged as a glance at the
week, plus what is coming up. Registered with care in apps.py, so care's client page shows
it without importing this room. A constant number of queries, whatever was logged."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from outward.care import happenings
from outward.care.models import Client
from outward.community.plans import selectors as plan_selectors
from outward.goals import selectors as goal_selectors
from outward.journal import selectors as journal_selectors
from outward.lib.periods import local_date
from outward.skills import selectors as skills_selectors

from . import selectors

COMING_UP_DAYS = 14  # what is planned for the next two weeks
COMING_UP_SHOWN = 6
WINS_SHOWN = 4


@dataclass(frozen=True)
class Trend:
    """One check-in answer over the period: the last value before it, then each in it."""

    label: str
    values: list[int]
    better_when_higher: bool

    @property
    def change(self) -> int:
        return self.values[-1] - self.values[0]

    @property
    def words(self) -> str:
        if len(self.values) < 2 or self.change == 0:
            return _("steady")
        better = (self.change > 0) == self.better_when_higher
        return (
            _("better by %(n)s") % {"n": abs(self.change)}
            if better
            else _("worse by %(n)s") % {"n": abs(self.change)}
        )


@dataclass(frozen=True)
class ComingUp:
    day: datetime.date
    when: datetime.datetime | None  # the time too, when there is one
    what: str  # "Plan", "Step", "Practice"
    text: str


@dataclass(frozen=True)
class Overview:
    since: datetime.datetime
    did: list[tuple[str, int]]  # (what, how many times), most first
    wins: list[str]
    check_ins: int
    trends: list[Trend]
    due_measures: list[str]
    changed_measures: list[tuple[str, str]]
    goals_at_risk: list
    coming_up: list[ComingUp]
    more_coming: int


def _trends(*, client: Client, viewer, since: datetime.datetime) -> tuple[int, list[Trend]]:
    """The check-ins since `since` and how mood and loneliness moved: from the check-in before
    the period (when there is one among the latest) to the latest. One query."""
    points = journal_selectors.trend(client=client, viewer=viewer)
    inside = [point for point in points if point.occurred >= since]
    if not inside:
        return 0, []
    before = [point for point in points if point.occurred < since][-1:]
    shown = before + inside
    return len(inside), [
        Trend(_("Mood"), [point.mood for point in shown], better_when_higher=True),
        Trend(_("Loneliness"), [point.loneliness for point in shown], better_when_higher=False),
    ]


def _coming_up(*, client: Client, now: datetime.datetime) -> list[ComingUp]:
    """Plans, dated steps and planned practice attempts in the next two weeks, in order.
    Three queries."""
    today = local_date(now, client.user.time_zone)
    last = today + datetime.timedelta(days=COMING_UP_DAYS)
    zone = client.user.time_zone
    found = [
        ComingUp(local_date(plan.when, zone), plan.when, _("Plan"), plan.resource.name)
        for plan in plan_selectors.upcoming_plans(client=client, now=now)
        if local_date(plan.when, zone) <= last
    ]
    found += [
        ComingUp(step.scheduled_for, None, _("Step"), step.title)
        for step in goal_selectors.scheduled_steps(client=client, start=today, end=last)
        if step.done_at is None
    ]
    found += [
        ComingUp(exposure.planned_for, None, _("Practice"), exposure.rung.situation)
        for exposure in skills_selectors.planned_exposures(client=client, start=today, end=last)
        if exposure.occurred is None
    ]
    return sorted(found, key=lambda item: (item.day, item.when is None, item.text))


def client_overview(*, client: Client, viewer, since: datetime.datetime, now: datetime.datetime):
    """The Overview for `viewer` (on the care team): what the client shared since `since`."""
    # As the care team may see it (viewer None: nothing the client kept private), read once
    # for both the counts (each shown once) and the wins.
    every = happenings.happenings(client_ids=[client.pk], start=since, end=now, viewer=None)
    labels = happenings.kinds()
    counts = Counter(h.kind for h in happenings.shown_once(every) if not h.kind.endswith(".win"))
    check_ins, trends = _trends(client=client, viewer=viewer, since=since)
    # The wins themselves, firsts too (the list above shows a first only as its happening).
    wins = [h for h in every if h.kind in goal_selectors.WIN_KINDS]
    coming = _coming_up(client=client, now=now)
    return Overview(
        since=since,
        did=[(str(labels[kind]), count) for kind, count in counts.most_common()],
        wins=[
            goal_selectors.happening_win_words(win, client=client, viewer=viewer)
            for win in reversed(wins[-WINS_SHOWN:])
        ],
        check_ins=check_ins,
        trends=trends,
        due_measures=selectors.due_measures(
            client=client, today=local_date(now, client.user.time_zone)
        ),
        changed_measures=selectors.measures_changed(client=client, since=since),
        goals_at_risk=goal_selectors.goals_at_risk(client=client, now=now),
        coming_up=coming[:COMING_UP_SHOWN],
        more_coming=max(len(coming) - COMING_UP_SHOWN, 0),
    )


def overview_section(*, client: Client, viewer, since, now) -> happenings.OverviewSection:
    return happenings.OverviewSection(
        "reports/overview.html",
        {"overview": client_overview(client=client, viewer=viewer, since=since, now=now)},
    )
