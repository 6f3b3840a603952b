"""Reads for plans to go and the first-visit bridge: the client's plans, their in-person vs
online balance, the times a resource meets, what Today should show, and the plans attended
that other rooms hear about (the `community.plan.went` happening)."""

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outward.care import happenings
from outward.care.models import Client
from outward.lib.periods import local_midnight

from ..models import Plan, Resource, ResourceOccurrence, resource_setting

WENT = "community.plan.went"
HAPPENING_KINDS = {WENT: gettext_lazy("went to a planned group or event")}
# How many times the create page offers: a feed's dated meetings, and weekly meetings ahead.
OCCURRENCE_CHOICES = 8
WEEKLY_CHOICES = 4
# An unreported plan asks "How did it go?" on Today for two weeks, then rests quietly on the
# plans page (where it can still be reported): a stale plan should not nag for ever.
ASK_HOW_IT_WENT_DAYS = 14
UPCOMING_SHOWN = 10


def _is_online() -> Q:
    return Q(resource__online=True) | Q(resource__kind=Resource.Kind.ONLINE)


def plan_happenings(
    client_ids: Sequence[int], start: datetime.datetime, end: datetime.datetime
) -> list[happenings.Happening]:
    """Plans reported as attended, at the time they were planned for. The summary is only the
    kind of group (never what the client wrote)."""
    rows = _went(client_ids, start, end).values_list(
        "pk",
        "client_id",
        "when",
        "resource__kind",
        "resource__online",
        "resource_id",
        "predicted_anxiety",
        "actual_anxiety",
    )
    return [
        happenings.Happening(
            WENT,
            client_id,
            when,
            _kind_label(kind),
            f"community.plan:{pk}",
            about=f"community.resource:{resource_id}",
            numbers=_numbers(predicted, actual),
            setting=resource_setting(kind, online),
        )
        for pk, client_id, when, kind, online, resource_id, predicted, actual in rows
    ]


def _went(client_ids: Sequence[int], start, end) -> QuerySet[Plan]:
    return Plan.objects.filter(
        client_id__in=client_ids, status=Plan.Status.WENT, when__gte=start, when__lt=end
    )


def plan_counts(client_id: int, start, end, own: bool) -> list:
    """`plan_happenings` counted."""
    return [happenings.count_rows(_went([client_id], start, end), WENT)]


def _numbers(predicted: int | None, actual: int | None) -> dict[str, int]:
    """A plan attended is an exposure too: the anxiety the client expected and felt (0–100),
    read by a fear ladder's charts through the happening (never copied)."""
    numbers = {"expected_suds": predicted, "peak_suds": actual}
    return {name: value for name, value in numbers.items() if value is not None}


def _kind_label(kind: str) -> str:
    return str(Resource.Kind(kind).label) if kind in Resource.Kind.values else kind


def went_happening(plan: Plan) -> happenings.Happening:
    """The happening a plan reported as attended is, as `plan_happenings` would find it."""
    return happenings.Happening(
        WENT,
        plan.client_id,
        plan.when,
        _kind_label(plan.resource.kind),
        f"community.plan:{plan.pk}",
        about=f"community.resource:{plan.resource_id}",
        numbers=_numbers(plan.predicted_anxiety, plan.actual_anxiety),
        setting=resource_setting(plan.resource.kind, plan.resource.online),
    )


def plan_for_client(*, client: Client, plan_id: int) -> Plan:
    """One of this client's plans with its resource; 404 for missing and not theirs alike."""
    plan = Plan.objects.filter(client=client, pk=plan_id).select_related("resource").first()
    if plan is None:
        raise Http404
    return plan


def upcoming_plans(*, client: Client, now: datetime.datetime) -> list[Plan]:
    return list(
        Plan.objects.filter(client=client, status=Plan.Status.PLANNED, when__gte=now)
        .select_related("resource")
        .order_by("when", "pk")[:UPCOMING_SHOWN]
    )


def past_plans(*, client: Client, now: datetime.datetime) -> QuerySet[Plan]:
    """Plans whose time has come (reported or not) and plans reported early, newest first."""
    return (
        Plan.objects.filter(client=client)
        .filter(Q(when__lt=now) | ~Q(status=Plan.Status.PLANNED))
        .select_related("resource")
        .order_by("-when", "-pk")
    )


@dataclass(frozen=True)
class Balance:
    in_person: int
    online: int

    @property
    def total(self) -> int:
        return self.in_person + self.online

    @property
    def sentence(self) -> str:
        """E.g. "3 in person, 1 online"."""
        return _("%(in_person)s in person, %(online)s online") % {
            "in_person": self.in_person,
            "online": self.online,
        }


def balance(*, client: Client) -> Balance:
    """How many of the plans attended were in person and how many online (one query)."""
    counts = Plan.objects.filter(client=client, status=Plan.Status.WENT).aggregate(
        online=Count("pk", filter=_is_online()),
        in_person=Count("pk", filter=~_is_online()),
    )
    return Balance(in_person=counts["in_person"], online=counts["online"])


def upcoming_times(*, resource: Resource, now: datetime.datetime) -> list[datetime.datetime]:
    """When the client could go: the resource's next dated meetings (a feed's, which already
    leave out cancelled ones) or else, for a weekly group, its next weekly meetings (in the
    resource's own time zone, right across DST changes)."""
    times = set(
        ResourceOccurrence.objects.filter(resource=resource, start__gt=now)
        .order_by("start")
        .values_list("start", flat=True)[:OCCURRENCE_CHOICES]
    )
    if not times and resource.weekday is not None and resource.start_time is not None:
        times.update(
            weekly_meetings(
                weekday=resource.weekday,
                start_time=resource.start_time,
                time_zone=resource.time_zone,
                now=now,
                count=WEEKLY_CHOICES,
            )
        )
    return sorted(times)[:OCCURRENCE_CHOICES]


def weekly_meetings(
    *,
    weekday: int,
    start_time: datetime.time,
    time_zone: str,
    now: datetime.datetime,
    count: int,
) -> list[datetime.datetime]:
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    today = now.astimezone(zone).date()
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
    meetings = []
    while len(meetings) < count:
        meeting = datetime.datetime.combine(day, start_time, tzinfo=zone)
        if meeting > now:
            meetings.append(meeting)
        day += datetime.timedelta(days=7)
    return meetings


def smaller_step_suggestion(resource: Resource) -> str:
    """A smaller next step to offer when the client did not go, in plain words."""
    if resource.online or resource.kind == Resource.Kind.ONLINE:
        return _("Look at their page again with your therapist")
    if resource.address:
        return _("Walk past the venue at the same time next week")
    return _("Send them one question about what a first visit is like")


def plans_due(client: Client, day: datetime.date) -> QuerySet[Plan]:
    """Plans still planned from two weeks before `day` to its end: Today's probe (is anything
    due?) and what `due_today` sorts through."""
    zone = client.user.time_zone
    return Plan.objects.filter(
        client=client,
        status=Plan.Status.PLANNED,
        when__gte=local_midnight(day - datetime.timedelta(days=ASK_HOW_IT_WENT_DAYS), zone),
        when__lt=local_midnight(day + datetime.timedelta(days=1), zone),
    )


def due_today(client: Client, day: datetime.date) -> list[happenings.DueItem]:
    """A plan on the client's day ("Your plan: …"), and plans whose time has passed without a
    report ("How did it go?") for up to two weeks. Titles carry no clinical text."""
    zone = client.user.time_zone
    now = timezone.now()
    plans = plans_due(client, day).select_related("resource").order_by("when", "pk")[:10]
    items = []
    for plan in plans:
        url = reverse("community:my_plan", args=[plan.pk])
        local = timezone.localtime(plan.when, zoneinfo.ZoneInfo(zone))
        if plan.when > now:
            if local.date() != day:
                continue
            items.append(
                happenings.DueItem(
                    key=f"plan:{plan.pk}",
                    title=_("Your plan: %(name)s") % {"name": plan.resource.name},
                    detail=_("Today at %(time)s. Your first-visit plan is ready.")
                    % {"time": time_format(local, "TIME_FORMAT")},
                    open_url=url,
                    order=0,
                )
            )
        else:
            items.append(
                happenings.DueItem(
                    key=f"plan_report:{plan.pk}",
                    title=_("How did it go?"),
                    detail=_("%(name)s, %(date)s")
                    % {"name": plan.resource.name, "date": date_format(local, "D j M")},
                    open_url=url,
                    order=3,
                )
            )
    return items


# Opening lines --------------------------------------------------------------------------------
# A first-visit plan's opening line is picked from the client's conversation starters (the
# skills room offers them through care.happenings); afterwards the client says whether they
# used it and whether it worked, and skills reads those counts back through the registry.


def opening_line_choices(*, client: Client, viewer, resource: Resource):
    """The starters a plan at this resource offers as its opening line."""
    return happenings.opening_lines(
        client=client, viewer=viewer, setting=resource_setting(resource.kind, resource.online)
    )


def opening_line_uses(*, client: Client, keys) -> dict[str, happenings.LineUse]:
    """By starter key: the plans attended where the client used the line picked from it, and
    how many of those times it worked (one query)."""
    rows = (
        Plan.objects.filter(
            client=client,
            status=Plan.Status.WENT,
            opening_line_used=True,
            opening_line_key__in=list(keys),
        )
        .values("opening_line_key")
        .annotate(used=Count("pk"), worked=Count("pk", filter=Q(opening_line_worked=True)))
        .values_list("opening_line_key", "used", "worked")
    )
    return {key: happenings.LineUse(used, worked) for key, used, worked in rows}
