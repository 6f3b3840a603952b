"""What goes into a progress report: one builder per section, each reading through the feature
rooms' selectors with the viewer, in a constant number of queries whatever the amount of data.

A report is made for a viewer: a care-team therapist gets the shared records only (the rooms'
selectors and the happenings registry drop what the client kept private), and the client gets
their own. What a *client version* leaves out is decided here: clinical scores (questionnaire
scores, bands, reliable change and goal-attainment T-scores) appear in it only when the
therapist chose the measures section for it.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Avg, Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outward.care import happenings
from outward.care.models import Client
from outward.goals import selectors as goal_selectors
from outward.journal import selectors as journal_selectors
from outward.journal.models import Contact
from outward.lib.charts import line_chart
from outward.lib.periods import local_date, local_midnight, period_start
from outward.lib.suds_charts import bar_chart
from outward.measures import selectors as measure_selectors

from .models import ProgressReport

SECTIONS = {
    "measures": gettext_lazy("Measures: scores, bands and reliable change"),
    "goals": gettext_lazy("Goals and goal attainment"),
    "activities": gettext_lazy("Plans and exposures attended"),
    "journal": gettext_lazy("Contacts and check-in trends"),
    "wins": gettext_lazy("Wins"),
    "summary": gettext_lazy("Summary in your words"),
}
MAX_PERIOD_DAYS = 3 * 366  # a report covers at most about three years
ROWS_LIMIT = 200  # rows one table of a report lists; the rest are counted
ATTEMPTS_CHARTED = 12  # the latest attempts drawn in the anxiety chart (the table has all)
WEEKLY_UP_TO_DAYS = 26 * 7  # longer periods show check-ins by month
ACTIVITY_KINDS = ("community.plan.went", "skills.exposure", "skills.rung_done")


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included, in the client's time zone."""

    start: datetime.date
    end: datetime.date
    time_zone: str

    @property
    def start_at(self) -> datetime.datetime:
        return local_midnight(self.start, self.time_zone)

    @property
    def end_at(self) -> datetime.datetime:
        return local_midnight(self.end + datetime.timedelta(days=1), self.time_zone)

    def day(self, moment: datetime.datetime) -> datetime.date:
        return local_date(moment, self.time_zone)


@dataclass
class Section:
    key: str
    data: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"reports/pdf/{self.key}.html"


@dataclass(frozen=True)
class Capped:
    rows: list
    more: int  # rows left out of the table


def _capped(rows: list) -> Capped:
    """The latest ROWS_LIMIT of rows in time order, and how many earlier ones are left out."""
    return Capped(rows[-ROWS_LIMIT:], max(len(rows) - ROWS_LIMIT, 0))


def _label(day: datetime.date) -> str:
    return date_format(day, "j M")


def measures_section(*, client: Client, viewer, period: Period, scores: bool) -> dict:
    instruments = []
    for definition, history in measure_selectors.histories_between(
        client=client, start=period.start_at, end=period.end_at
    ):
        scale = definition.primary
        rows = [
            (
                period.day(response.completed),
                measure_selectors.scale_score(response, scale.key),
                measure_selectors.scale_band(response, scale.key),
            )
            for response in history.responses
        ]
        title = _("%(name)s in the period") % {"name": definition.short_name}
        chart = line_chart(
            [(_label(day), score) for day, score, _band in rows],
            y_min=scale.min,
            y_max=scale.max,
            title=title,
            description=_("%(label)s at each completion; %(direction)s.")
            % {
                "label": scale.label,
                "direction": _("higher is better")
                if scale.higher_is_better
                else _("higher is worse"),
            },
        )
        instruments.append(
            {
                "definition": definition,
                "scale": scale,
                "history": history,
                "baseline_day": period.day(history.baseline.completed)
                if history.baseline
                else None,
                "rows": _capped(rows),
                "chart": {"title": title, "svg": chart},
            }
        )
    return {"instruments": instruments}


def goals_section(*, client: Client, viewer, period: Period, scores: bool) -> dict:
    goals = goal_selectors.goals_with_steps(client=client)
    levels = goal_selectors.latest_levels(client=client, on=period.end)
    rows = []
    for goal in goals:
        steps = list(goal.steps.all())
        done = [
            step
            for step in steps
            if step.done_at and period.start <= period.day(step.done_at) <= period.end
        ]
        rows.append({"goal": goal, "steps": len(steps), "done": done, "level": levels.get(goal.pk)})
    data: dict = {"goals": rows, "scores": scores}
    if scores:
        points = [
            point
            for point in goal_selectors.gas_history(client=client)
            if period.start <= point.reviewed_on <= period.end
        ]
        data["gas_history"] = _capped(points)
        title = _("Goal attainment T-score in the period")
        data["gas_chart"] = {
            "title": title,
            "svg": line_chart(
                [(_label(point.reviewed_on), point.t_score) for point in points],
                y_min=20,
                y_max=80,
                title=title,
                description=_("50 means goals landed as expected; above 50, better than expected."),
            ),
        }
    return data


def activities_section(*, client: Client, viewer, period: Period, scores: bool) -> dict:
    found = happenings.happenings(
        client_ids=[client.pk],
        start=period.start_at,
        end=period.end_at,
        kinds=ACTIVITY_KINDS,
        viewer=viewer,
    )
    labels = happenings.kinds()
    rows = [
        {
            "day": period.day(happening.occurred),
            "kind": labels.get(happening.kind, happening.kind),
            "what": happening.summary,
            "expected": (happening.numbers or {}).get("expected_suds"),
            "peak": (happening.numbers or {}).get("peak_suds"),
        }
        for happening in found
    ]
    rated = [row for row in rows if row["expected"] is not None or row["peak"] is not None]
    charted = rated[-ATTEMPTS_CHARTED:]
    charts = []
    if charted:
        charts.append(
            bar_chart(
                labels=[_label(row["day"]) for row in charted],
                series=[
                    (_("Expected anxiety"), [row["expected"] for row in charted]),
                    (_("Highest anxiety"), [row["peak"] for row in charted]),
                ],
                title=_("Expected and highest anxiety (0–100), latest attempts"),
                description=_(
                    "For each attempt, the anxiety expected beforehand and the highest felt."
                ),
            )
        )
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[str(row["kind"])] += 1
    return {"rows": _capped(rows), "charts": charts, "counts": sorted(counts.items())}


def _bucket_label(start: datetime.date, weekly: bool) -> str:
    if weekly:
        return _("week of %(day)s") % {"day": date_format(start, "j M")}
    return date_format(start, "M Y")


def _chart_label(start: datetime.date, weekly: bool) -> str:
    return date_format(start, "j M" if weekly else "M Y")


def journal_section(*, client: Client, viewer, period: Period, scores: bool) -> dict:
    check_ins = journal_selectors.check_ins(client=client, viewer=viewer).filter(
        occurred__gte=period.start_at, occurred__lt=period.end_at
    )
    weekly = (period.end - period.start).days < WEEKLY_UP_TO_DAYS
    unit = "week" if weekly else "month"
    buckets: dict[datetime.date, list] = defaultdict(list)
    # At most one check-in a day, and the period is bounded: a few hundred small rows.
    for occurred, mood, loneliness, interactions, in_person, online in check_ins.values_list(
        "occurred", "mood", "loneliness", "meaningful_interactions", "in_person", "online"
    ):
        buckets[period_start(period.day(occurred), unit)].append(
            (mood, loneliness, interactions, in_person, online)
        )
    trend = [
        {
            "label": _bucket_label(start, weekly),
            "short": _chart_label(start, weekly),
            "count": len(values),
            "mood": round(mean(v[0] for v in values), 1),
            "loneliness": round(mean(v[1] for v in values), 1),
            "interactions": sum(v[2] for v in values),
            "in_person": sum(v[3] for v in values),
            "online": sum(v[4] for v in values),
        }
        for start, values in sorted(buckets.items())
    ]
    charts = []
    if trend:
        for key, title, description in (
            ("mood", _("Mood, average by %(unit)s"), _("0 = very low, 10 = very good.")),
            (
                "loneliness",
                _("Loneliness, average by %(unit)s"),
                _("0 = not at all lonely, 10 = very lonely."),
            ),
        ):
            title = title % {"unit": _("week") if weekly else _("month")}
            svg = line_chart(
                [(row["short"], row[key]) for row in trend],
                y_min=0,
                y_max=10,
                title=title,
                description=description,
            )
            charts.append({"title": title, "svg": svg})
    contacts = list(
        journal_selectors.contacts(client=client, viewer=viewer)
        .filter(occurred__gte=period.start_at, occurred__lt=period.end_at)
        .order_by()
        .values("kind")
        .annotate(count=Count("pk"), quality=Avg("quality"))
        .order_by("kind")
    )
    kinds = dict(Contact.Kind.choices)
    return {
        "trend": trend,
        "weekly": weekly,
        "charts": charts,
        "contacts": [
            {
                "kind": kinds.get(row["kind"], row["kind"]),
                "count": row["count"],
                "quality": None if row["quality"] is None else round(row["quality"], 1),
            }
            for row in contacts
        ],
    }


def wins_section(*, client: Client, viewer, period: Period, scores: bool) -> dict:
    in_period = goal_selectors.wins(client=client).filter(
        occurred__gte=period.start_at, occurred__lt=period.end_at
    )
    latest = list(
        in_period.select_related(None).only("kind", "text", "source", "occurred")[: ROWS_LIMIT + 1]
    )
    more = in_period.count() - ROWS_LIMIT if len(latest) > ROWS_LIMIT else 0
    rows = [
        {
            "day": period.day(win.occurred),
            "win": win,
            # In the care team's version, as the care team reads it (a first names the client).
            "words": goal_selectors.win_words(
                kind=win.kind, text=win.text, source=win.source, client=client, viewer=viewer
            ),
        }
        for win in reversed(latest[:ROWS_LIMIT])
    ]
    return {"rows": Capped(rows, more)}


BUILDERS = {
    "measures": measures_section,
    "goals": goals_section,
    "activities": activities_section,
    "journal": journal_section,
    "wins": wins_section,
}


def build_sections(
    *, client: Client, viewer, period: Period, sections: Sequence[str], version: str
) -> list[Section]:
    """The chosen sections in the house order, each with its data. "summary" carries no data
    (its text is the therapist's); an unknown key is refused."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown report sections: {sorted(unknown)}")
    # Clinical scores go into a client's version only when the therapist chose them.
    scores = version != ProgressReport.Version.CLIENT or "measures" in sections
    built = []
    for key in SECTIONS:
        if key not in sections:
            continue
        section = Section(key)
        builder = BUILDERS.get(key)
        if builder is not None:
            section.data = builder(client=client, viewer=viewer, period=period, scores=scores)
        built.append(section)
    return built
