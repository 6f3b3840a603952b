"""Pattern insights: rules that look across the client's own records and say what tends to go
together, with the evidence and how many records it rests on.

Every rule here:
- states a pattern, never a cause ("in weeks with …, your loneliness was …", never "because");
- says nothing when the data are too few (each rule's docstring names its minimum);
- reads a bounded window through indexed queries: aggregates in SQL where it can, otherwise at
  most the rows of a few months, never the client's whole history;
- counts only what the client shares with their care team (private contacts are left out), so
  that an insight the client chooses to share tells the care team nothing they kept private.

The client sees their insights first and chooses which to share (`InsightShare`, one per rule);
anyone else gets only the shared ones, recomputed when read (nothing is copied).
"""

import dataclasses
import datetime
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractWeekDay, TruncWeek
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from outward.care import happenings
from outward.care.models import Client
from outward.care.records import Visibility, is_own_record
from outward.lib.moments import WEEKDAYS_PLURAL
from outward.lib.periods import local_date, local_midnight, next_period_start, period_start

from .models import CheckIn, Contact, InsightShare

LOOKBACK_DAYS = 182  # about six months: the window every rule but the monthly one reads
EVIDENCE_SHOWN = 12  # evidence lines listed under an insight (the sample size counts them all)
IN_PERSON_KINDS = (Contact.Kind.MET_UP, Contact.Kind.EVENT)


@dataclass(frozen=True)
class Insight:
    rule: str
    title: str
    sentence: str
    sample: int  # how many records (or weeks, or months' contacts) the pattern rests on
    sample_label: str  # the sample in words, e.g. "9 visits and practice steps"
    evidence: tuple[str, ...]  # at most EVIDENCE_SHOWN lines, newest first
    shared: bool = False


@dataclass(frozen=True)
class Rule:
    key: str
    title: object
    minimum: object  # the minimum data, in the client's words (shown on the insights page)
    compute: Callable[..., Insight | None]  # (client, now, own=): `own` picks the voice


def _zone(client: Client) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(client.user.time_zone)


def _points(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1)


# --- Expected vs felt anxiety -----------------------------------------------------------------

EXPECTED_MINIMUM = 5


def expected_vs_felt(client: Client, now: datetime.datetime, own: bool = True) -> Insight | None:
    """Of the visits (plans attended) and practice steps (fear-ladder attempts) of the last six
    months that carry both an expected and a felt anxiety, how often the expected one was
    higher, and by how much on average among those. Minimum: 5 such records. Read through the
    happenings registry (two indexed queries, one per room, bounded by the window)."""
    found = [
        happening
        for happening in happenings.happenings(
            client_ids=[client.pk],
            start=now - datetime.timedelta(days=LOOKBACK_DAYS),
            end=now,
            kinds=happenings.FACED_KINDS,
        )
        if happening.numbers
        and "expected_suds" in happening.numbers
        and "peak_suds" in happening.numbers
    ]
    if len(found) < EXPECTED_MINIMUM:
        return None
    gaps = [h.numbers["expected_suds"] - h.numbers["peak_suds"] for h in found]
    higher = [gap for gap in gaps if gap > 0]
    total = len(found)
    if len(higher) * 2 > total:
        sentence = (
            _(
                "In %(higher)s of your %(total)s visits and practice steps, the anxiety you "
                "expected was higher than what you felt (by %(points)s points on average)."
            )
            if own
            else _(
                "In %(higher)s of the client's %(total)s visits and practice steps, the anxiety "
                "they expected was higher than what they felt (by %(points)s points on average)."
            )
        ) % {"higher": len(higher), "total": total, "points": _points(sum(higher) / len(higher))}
    else:
        sentence = (
            _(
                "In %(lower)s of your %(total)s visits and practice steps, the anxiety you felt "
                "was as high as you expected, or higher."
            )
            if own
            else _(
                "In %(lower)s of the client's %(total)s visits and practice steps, the anxiety "
                "they felt was as high as they expected, or higher."
            )
        ) % {"lower": total - len(higher), "total": total}
    zone = _zone(client)
    evidence = tuple(
        _("%(date)s · %(what)s: expected %(expected)s, felt %(felt)s")
        % {
            "date": date_format(h.occurred.astimezone(zone), "j M"),
            "what": h.summary or _("a visit"),
            "expected": h.numbers["expected_suds"],
            "felt": h.numbers["peak_suds"],
        }
        for h in reversed(found[-EVIDENCE_SHOWN:])
    )
    return Insight(
        "expected_vs_felt",
        str(RULES["expected_vs_felt"].title),
        sentence,
        total,
        ngettext("%(count)s visit or practice step", "%(count)s visits and practice steps", total)
        % {"count": total},
        evidence,
    )


# --- Loneliness and in-person contacts, week by week ------------------------------------------

WEEKS_LOOKED_AT = 26
WEEKS_IN_EACH_GROUP = 3


def loneliness_and_meeting(
    client: Client, now: datetime.datetime, own: bool = True
) -> Insight | None:
    """Average loneliness (0–10, from check-ins) in weeks with two or more in-person contacts
    (met up, or went to a group or event) against the other weeks with a check-in, over the
    last 26 weeks (Monday to Sunday in the client's time zone). A week's loneliness is the mean
    of its check-ins; each group's figure is the mean of its weeks. Minimum: 3 weeks in each
    group. Two aggregate queries of at most 26 rows each."""
    zone = _zone(client)
    monday = period_start(local_date(now, client.user.time_zone), "week")
    start = local_midnight(
        monday - datetime.timedelta(weeks=WEEKS_LOOKED_AT - 1), client.user.time_zone
    )
    met = dict(
        Contact.objects.filter(
            client=client,
            visibility=Visibility.SHARED,
            kind__in=IN_PERSON_KINDS,
            occurred__gte=start,
            occurred__lt=now,
        )
        .annotate(week=TruncWeek("occurred", tzinfo=zone))
        .values("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
    )
    lonely = list(
        CheckIn.objects.filter(client=client, occurred__gte=start, occurred__lt=now)
        .annotate(week=TruncWeek("occurred", tzinfo=zone))
        .values("week")
        .annotate(loneliness=Avg("loneliness"))
        .values_list("week", "loneliness")
        .order_by("-week")
    )
    busy = [(week, value) for week, value in lonely if met.get(week, 0) >= 2]
    other = [(week, value) for week, value in lonely if met.get(week, 0) < 2]
    if len(busy) < WEEKS_IN_EACH_GROUP or len(other) < WEEKS_IN_EACH_GROUP:
        return None

    def mean(weeks):
        return sum(value for _week, value in weeks) / len(weeks)

    weeks = len(busy) + len(other)
    sentence = (
        _(
            "In weeks with two or more in-person contacts your loneliness was %(busy)s on "
            "average, and %(other)s in other weeks (%(weeks)s weeks)."
        )
        if own
        else _(
            "In weeks with two or more in-person contacts the client's loneliness was %(busy)s "
            "on average, and %(other)s in other weeks (%(weeks)s weeks)."
        )
    ) % {"busy": _points(mean(busy)), "other": _points(mean(other)), "weeks": weeks}
    evidence = tuple(
        _("Week of %(date)s: %(met)s in person, loneliness %(lonely)s")
        % {
            "date": date_format(week.astimezone(zone), "j M"),
            "met": met.get(week, 0),
            "lonely": _points(value),
        }
        for week, value in lonely[:EVIDENCE_SHOWN]
    )
    return Insight(
        "loneliness_and_meeting",
        str(RULES["loneliness_and_meeting"].title),
        sentence,
        weeks,
        ngettext("%(count)s week with a check-in", "%(count)s weeks with a check-in", weeks)
        % {"count": weeks},
        evidence,
    )


# --- The day the client most often goes to things ----------------------------------------------

OUTINGS_MINIMUM = 5


def outing_day(client: Client, now: datetime.datetime, own: bool = True) -> Insight | None:
    """The weekday (in the client's time zone) of the plans they went to and the groups or
    events they logged as contacts over the last six months. Said only when one day leads
    alone with at least two outings. Minimum: 5 outings. One aggregate query (at most seven
    rows) and the plans attended through the happenings registry."""
    zone = _zone(client)
    start = now - datetime.timedelta(days=LOOKBACK_DAYS)
    by_day: Counter = Counter()
    # ExtractWeekDay counts Sunday as 1 … Saturday as 7; Python's weekday() Monday as 0.
    for sql_day, count in (
        Contact.objects.filter(
            client=client,
            visibility=Visibility.SHARED,
            kind=Contact.Kind.EVENT,
            occurred__gte=start,
            occurred__lt=now,
        )
        .annotate(weekday=ExtractWeekDay("occurred", tzinfo=zone))
        .values("weekday")
        .annotate(count=Count("pk"))
        .values_list("weekday", "count")
    ):
        by_day[(sql_day - 2) % 7] += count
    for happening in happenings.happenings(
        client_ids=[client.pk], start=start, end=now, kinds=[happenings.PLAN_ATTENDED]
    ):
        by_day[happening.occurred.astimezone(zone).weekday()] += 1
    total = sum(by_day.values())
    if total < OUTINGS_MINIMUM:
        return None
    (top, top_count), *rest = by_day.most_common() + [(None, 0)]
    if top_count < 2 or top_count == rest[0][1]:
        return None
    sentence = (
        _(
            "You most often go to things on %(day)s (%(count)s of your %(total)s outings in the "
            "last six months)."
        )
        if own
        else _(
            "The client most often goes to things on %(day)s (%(count)s of their %(total)s "
            "outings in the last six months)."
        )
    ) % {"day": WEEKDAYS_PLURAL[top], "count": top_count, "total": total}
    evidence = tuple(
        _("%(day)s: %(count)s") % {"day": WEEKDAYS_PLURAL[day], "count": by_day[day]}
        for day in range(7)
        if by_day[day]
    )
    return Insight(
        "outing_day",
        str(RULES["outing_day"].title),
        sentence,
        total,
        ngettext("%(count)s outing", "%(count)s outings", total) % {"count": total},
        evidence,
    )


# --- Online share of contacts, this month and last --------------------------------------------

CONTACTS_EACH_MONTH = 4


def online_share(client: Client, now: datetime.datetime, own: bool = True) -> Insight | None:
    """The share of contacts logged as online this calendar month (so far) and last month, in
    the client's time zone. Minimum: 4 contacts in each month. One aggregate query."""
    time_zone = client.user.time_zone
    this_month = period_start(local_date(now, time_zone), "month")
    last_month = period_start(this_month - datetime.timedelta(days=1), "month")
    this_start = local_midnight(this_month, time_zone)
    this_end = local_midnight(next_period_start(this_month, "month"), time_zone)
    last_start = local_midnight(last_month, time_zone)
    now_month, last = Q(occurred__gte=this_start), Q(occurred__lt=this_start)
    online = Q(kind=Contact.Kind.ONLINE)
    counts = Contact.objects.filter(
        client=client,
        visibility=Visibility.SHARED,
        occurred__gte=last_start,
        occurred__lt=min(now, this_end),
    ).aggregate(
        this_all=Count("pk", filter=now_month),
        this_online=Count("pk", filter=now_month & online),
        last_all=Count("pk", filter=last),
        last_online=Count("pk", filter=last & online),
    )
    if counts["this_all"] < CONTACTS_EACH_MONTH or counts["last_all"] < CONTACTS_EACH_MONTH:
        return None
    this_share = round(100 * counts["this_online"] / counts["this_all"])
    last_share = round(100 * counts["last_online"] / counts["last_all"])
    sentence = (
        _("Online contacts were %(this)s %% of your contacts this month (%(last)s %% last month).")
        if own
        else _(
            "Online contacts were %(this)s %% of the client's contacts this month "
            "(%(last)s %% last month)."
        )
    ) % {"this": this_share, "last": last_share}
    evidence = (
        _("%(month)s so far: %(online)s of %(all)s online")
        % {
            "month": date_format(this_month, "F"),
            "online": counts["this_online"],
            "all": counts["this_all"],
        },
        _("%(month)s: %(online)s of %(all)s online")
        % {
            "month": date_format(last_month, "F"),
            "online": counts["last_online"],
            "all": counts["last_all"],
        },
    )
    sample = counts["this_all"] + counts["last_all"]
    return Insight(
        "online_share",
        str(RULES["online_share"].title),
        sentence,
        sample,
        ngettext("%(count)s contact", "%(count)s contacts", sample) % {"count": sample},
        evidence,
    )


RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in [
        Rule(
            "expected_vs_felt",
            gettext_lazy("Expected and felt anxiety"),
            gettext_lazy(
                "Needs 5 visits or practice steps in the last six months with both the anxiety "
                "expected beforehand and the anxiety felt noted."
            ),
            expected_vs_felt,
        ),
        Rule(
            "loneliness_and_meeting",
            gettext_lazy("Loneliness and meeting people"),
            gettext_lazy(
                "Needs check-ins in at least 3 weeks with two or more in-person contacts and in "
                "3 other weeks, within the last six months."
            ),
            loneliness_and_meeting,
        ),
        Rule(
            "outing_day",
            gettext_lazy("The day for outings"),
            gettext_lazy(
                "Needs 5 groups, events or plans attended in the last six months, with one day "
                "ahead of the others."
            ),
            outing_day,
        ),
        Rule(
            "online_share",
            gettext_lazy("Online and in person"),
            gettext_lazy("Needs 4 contacts logged this month and 4 last month."),
            online_share,
        ),
    ]
}


def insights_for_viewer(*, client: Client, viewer, now: datetime.datetime) -> list[Insight]:
    """The insights `viewer` may see: every one the data support for the client themself; the
    shared ones only for anyone else (an unshared rule is not even computed for them), said
    about "the client" rather than "you"."""
    shared = set(
        InsightShare.objects.filter(client=client, shared=True).values_list("rule", flat=True)
    )
    own = is_own_record(client=client, viewer=viewer)
    found = []
    for rule in RULES.values():
        if not own and rule.key not in shared:
            continue
        insight = rule.compute(client, now, own=own)
        if insight is not None:
            found.append(dataclasses.replace(insight, shared=rule.key in shared))
    return found


def rules_without_insight(*, found: list[Insight]) -> list[Rule]:
    """The rules that said nothing (too few data yet), for the page that explains them."""
    said = {insight.rule for insight in found}
    return [rule for rule in RULES.values() if rule.key not in said]
