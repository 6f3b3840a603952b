"""Reads for the journal. A client's private notes and private contacts never leave here for
anyone but the client: each selector takes the viewer and `for_viewer` (care.records) drops
what they may not see, so no caller has to remember to ask."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import CharField, JSONField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from outward.care import happenings
from outward.care import selectors as care_selectors
from outward.care.models import Client
from outward.care.records import Visibility, is_own_record
from outward.lib.convoy import MapChanges, Place, convoy_layout, map_changes
from outward.lib.periods import local_date, local_midnight

from .models import (
    CheckIn,
    CheckInSchedule,
    Contact,
    MapSnapshot,
    Person,
    Reflection,
    ReflectionCadence,
)

CHECK_IN_KINDS = {
    "journal.check_in": gettext_lazy("did a check-in"),
    "journal.week.win": gettext_lazy("noted a win of the week"),
}
CONTACT_KINDS = {
    f"journal.contact.{kind}": label
    for kind, label in [
        ("reached_out", gettext_lazy("reached out to someone")),
        ("met_up", gettext_lazy("met up with someone")),
        ("event", gettext_lazy("went to a group or event")),
        ("online", gettext_lazy("talked with someone online")),
    ]
}
REFLECTION = "journal.reflection"
MAP_SNAPSHOT = "journal.map.snapshot"
REFLECTION_KINDS = {REFLECTION: gettext_lazy("wrote a reflection")}
MAP_KINDS = {MAP_SNAPSHOT: gettext_lazy("updated the relationship map")}
TREND_POINTS = 12


def _check_ins(client_ids: Sequence[int], start, end) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(client_id__in=client_ids, occurred__gte=start, occurred__lt=end)


def _contacts(client_ids: Sequence[int], start, end) -> QuerySet[Contact]:
    return Contact.objects.filter(client_id__in=client_ids, occurred__gte=start, occurred__lt=end)


def _shared_unless(rows: QuerySet, own: bool) -> QuerySet:
    """What the care team may count: the private rows only for the client's own count."""
    return rows if own else rows.exclude(visibility=Visibility.PRIVATE)


def check_in_counts(client_id: int, start, end, own: bool) -> list:
    """`check_in_happenings` counted: check-ins and their wins of the week."""
    check_ins = _check_ins([client_id], start, end)
    return [
        happenings.count_rows(check_ins, "journal.check_in"),
        happenings.count_rows(check_ins.exclude(win=""), "journal.week.win"),
    ]


def contact_counts(client_id: int, start, end, own: bool) -> list:
    """`contact_happenings` counted, by kind."""
    return [
        happenings.count_rows(
            _shared_unless(_contacts([client_id], start, end), own),
            Concat(Value("journal.contact."), "kind", output_field=CharField()),
        )
    ]


def reflection_counts(client_id: int, start, end, own: bool) -> list:
    """`reflection_happenings` counted."""
    return [
        happenings.count_rows(
            _shared_unless(_reflections_in([client_id], start, end), own), REFLECTION
        )
    ]


def check_in_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    """Check-ins and their wins of the week. Summaries carry no private text."""
    found = []
    for pk, client_id, occurred, win in _check_ins(client_ids, start, end).values_list(
        "pk", "client_id", "occurred", "win"
    ):
        found.append(
            happenings.Happening(
                "journal.check_in", client_id, occurred, "", f"journal.checkin:{pk}"
            )
        )
        if win:
            found.append(
                happenings.Happening(
                    "journal.week.win", client_id, occurred, win, f"journal.checkin:{pk}"
                )
            )
    return found


def contact_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    """Contacts logged, by kind: only the kind, never who or what was said. Each kind's label
    is translated once, not once per contact (a page of clients has a week of contacts)."""
    labels: dict[str, str] = {}
    found = []
    for pk, client_id, occurred, kind, visibility in _contacts(client_ids, start, end).values_list(
        "pk", "client_id", "occurred", "kind", "visibility"
    ):
        kind = f"journal.contact.{kind}"
        if kind not in labels:
            labels[kind] = str(CONTACT_KINDS[kind])
        found.append(
            happenings.Happening(
                kind,
                client_id,
                occurred,
                labels[kind],
                f"journal.contact:{pk}",
                private=visibility == Visibility.PRIVATE,
            )
        )
    return found


CHECK_IN_EVERY_DAYS = 7  # until the therapist sets another schedule


def check_in_every_days(*, client: Client) -> int:
    schedule = CheckInSchedule.objects.filter(client=client).first()
    return schedule.every_days if schedule else CHECK_IN_EVERY_DAYS


def _due_row(client: Client) -> dict:
    """What the journal's items on Today are worked out from, in one query: the last check-in
    and the schedule's pace, the look back's cadence and the last look back."""
    last = CheckIn.objects.filter(client=OuterRef("pk")).order_by("-occurred")
    every = CheckInSchedule.objects.filter(client=OuterRef("pk")).order_by("pk")
    cadence = ReflectionCadence.objects.filter(client=OuterRef("pk")).order_by("pk")
    look_back = Reflection.objects.filter(
        client=OuterRef("pk"), prompt=Reflection.Prompt.LOOK_BACK
    ).order_by("-occurred")
    return (
        Client.objects.filter(pk=client.pk)
        .values(
            last=Subquery(last.values("occurred")[:1]),
            every=Subquery(every.values("every_days")[:1]),
            cadence_days=Subquery(cadence.values("every_days")[:1]),
            cadence_since=Subquery(cadence.values("since")[:1]),
            last_look_back=Subquery(look_back.values("occurred")[:1]),
        )
        .get()
    )


def _check_in_due(row: dict, zone: str, today: datetime.date) -> datetime.date:
    """The day the next check-in is due: `every_days` after the last one (today if none)."""
    if row["last"] is None:
        return today
    return local_date(row["last"], zone) + datetime.timedelta(
        days=row["every"] or CHECK_IN_EVERY_DAYS
    )


def _look_back_due(row: dict, zone: str) -> datetime.date | None:
    """The day the next look back is due (None when the therapist has not asked for any):
    one cadence after it was set, and one cadence after the last look back since."""
    if row["cadence_days"] is None:
        return None
    every = datetime.timedelta(days=row["cadence_days"])
    due = row["cadence_since"] + every
    if row["last_look_back"] is not None:
        due = max(due, local_date(row["last_look_back"], zone) + every)
    return due


def next_check_in_due(*, client: Client, today: datetime.date) -> datetime.date:
    """The day the next check-in is due. One query."""
    return _check_in_due(_due_row(client), client.user.time_zone, today)


def due_today(client: Client, day: datetime.date) -> list[happenings.DueItem]:
    """The check-in when it is due; a few lines asked after a plan attended or a practice
    attempt; the look back the therapist set. Three queries (a fourth after something faced)."""
    zone = client.user.time_zone
    start, end = _reflect_after_window(day, zone)
    items = _reflect_after(client, start, end) if start < end else []
    row = _due_row(client)
    due = _check_in_due(row, zone, day)
    if due <= day:
        items.append(
            happenings.DueItem(
                key=f"check_in:{due.isoformat()}",
                title=_("Your check-in"),
                detail=_("A few quick questions about your week."),
                open_url=reverse("journal:my_check_in"),
            )
        )
    due = _look_back_due(row, zone)
    if due is not None and due <= day:
        items.append(
            happenings.DueItem(
                key=f"look_back:{due.isoformat()}",
                title=_("A look back"),
                detail=_("A few lines on how things have been going lately."),
                open_url=reflect_url(prompt=Reflection.Prompt.LOOK_BACK),
                order=31,
            )
        )
    return items


def last_check_in_cell(clients: Sequence[Client], now) -> dict[int, str]:
    """The caseload's "last check-in" column for one page of clients (their ids, not the
    objects, go into the query: each object would be taken apart again for its id)."""
    rows = (
        CheckIn.objects.filter(client_id__in=[client.pk for client in clients])
        .values("client_id")
        .annotate(last=Max("occurred"))
        .values_list("client_id", "last")
    )
    days: dict[datetime.date, str] = {}  # a page's check-ins fall on a few days
    cells = {}
    for client_id, last in rows:
        day = timezone.localdate(last)
        if day not in days:
            days[day] = date_format(day, "j M")
        cells[client_id] = days[day]
    return cells


def check_ins(*, client: Client, viewer) -> QuerySet[CheckIn]:
    """The client's check-ins, newest first; a note the client kept private reads blank to
    anyone else (and is never read from the database for them)."""
    return CheckIn.objects.for_viewer(client=client, viewer=viewer).order_by("-occurred", "-id")


def trend(*, client: Client, viewer) -> list[CheckIn]:
    """The latest check-ins for the trend chart, oldest first (never the whole history)."""
    latest = list(
        CheckIn.objects.for_viewer(client=client, viewer=viewer)
        .order_by("-occurred", "-id")
        .only("occurred", "mood", "loneliness", "meaningful_interactions", "in_person", "online")[
            :TREND_POINTS
        ]
    )
    latest.reverse()
    return latest


def contacts(*, client: Client, viewer) -> QuerySet[Contact]:
    """The contact log, newest first; only the client sees the contacts they kept private."""
    return Contact.objects.for_viewer(client=client, viewer=viewer).order_by("-occurred", "-id")


# Reflections (issue 11) ------------------------------------------------------------------

# What the client is asked to reflect on, on Today, for a few days after it: a plan they went
# to and an attempt at a practice step, named by the happenings registry (journal imports
# neither community nor skills); a missed plan links here from its page.
REFLECT_AFTER_KINDS = happenings.FACED_KINDS
REFLECT_AFTER_DAYS = 3
REFLECTIONS_PER_PAGE = 10


def reflection_happening(reflection: Reflection) -> happenings.Happening:
    """A reflection as other rooms count it: never its words, only that it was written."""
    return happenings.Happening(
        REFLECTION,
        reflection.client_id,
        reflection.occurred,
        str(REFLECTION_KINDS[REFLECTION]),
        f"journal.reflection:{reflection.pk}",
        private=reflection.is_private(),
        about=reflection.about,
    )


def _reflections_in(client_ids: Sequence[int], start, end) -> QuerySet[Reflection]:
    return Reflection.objects.filter(
        client_id__in=client_ids, occurred__gte=start, occurred__lt=end
    )


def reflection_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    """Reflections written in [start, end): one query; private ones flagged so the registry
    keeps them for the client alone."""
    rows = _reflections_in(client_ids, start, end).only(
        "pk", "client_id", "occurred", "visibility", "about"
    )
    return [reflection_happening(reflection) for reflection in rows]


def reflections(*, client: Client, viewer) -> QuerySet[Reflection]:
    """The journal's entries, newest first; a private entry only for the client."""
    return Reflection.objects.for_viewer(client=client, viewer=viewer).order_by("-occurred", "-id")


def reflection_for_client(*, client: Client, viewer, reflection_id: int) -> Reflection:
    reflection = reflections(client=client, viewer=viewer).filter(pk=reflection_id).first()
    if reflection is None:
        raise Http404
    return reflection


def reflection_cadence(*, client: Client) -> ReflectionCadence | None:
    return ReflectionCadence.objects.filter(client=client).first()


def _reflect_after_window(day: datetime.date, zone: str):
    """[start, end): the last few days up to now, in which Today asks for a reflection."""
    start = local_midnight(day - datetime.timedelta(days=REFLECT_AFTER_DAYS - 1), zone)
    return start, min(local_midnight(day + datetime.timedelta(days=1), zone), timezone.now())


def _reflect_after(client: Client, start, end) -> list[happenings.DueItem]:
    """The latest plan attended or practice attempt in [start, end) not yet reflected on."""
    recent = happenings.happenings(
        client_ids=[client.pk], start=start, end=end, kinds=REFLECT_AFTER_KINDS, viewer=client.user
    )
    if not recent:
        return []
    done = set(
        Reflection.objects.filter(
            client=client, about__in=[happening.source for happening in recent]
        ).values_list("about", flat=True)
    )
    waiting = [happening for happening in recent if happening.source not in done]
    if not waiting:
        return []
    latest = waiting[-1]
    return [
        happenings.DueItem(
            key=f"reflect:{latest.source}",
            title=_("A few lines for your journal"),
            detail=_("How was it: %(what)s?") % {"what": latest.summary},
            open_url=reflect_url(about=latest.source),
            order=30,
        )
    ]


def reflect_url(**query) -> str:
    """The client's "write a reflection" page, asked about something or for a look back."""
    return f"{reverse('journal:my_reflection_create')}?{urlencode(query)}"


def reflecting_on(*, client: Client, viewer, about: str) -> str:
    """What a reflection `about` a happening's source is about, in words ("" when it is not
    one of the client's happenings of the last weeks the viewer may see)."""
    if not about or ":" not in about:
        return ""
    now = timezone.now()
    for happening in happenings.happenings(
        client_ids=[client.pk],
        start=now - datetime.timedelta(days=30),
        end=now,
        kinds=REFLECT_AFTER_KINDS,
        viewer=viewer,
    ):
        if happening.source == about:
            return happening.summary
    return ""


# The relationship map (issue 11) ---------------------------------------------------------

CONTACT_NAMES_OFFERED = 30
SNAPSHOTS_PER_PAGE = 10
SESSIONS_OFFERED = 6


def people(*, client: Client, viewer) -> list[Person]:
    """Who is on the map now, closest first; a private person only for the client."""
    return list(
        Person.objects.for_viewer(client=client, viewer=viewer)
        .filter(removed__isnull=True)
        .order_by("circle", "name", "pk")
    )


def person_for_client(*, client: Client, viewer, person_id: int) -> Person:
    person = (
        Person.objects.for_viewer(client=client, viewer=viewer)
        .filter(pk=person_id, removed__isnull=True)
        .first()
    )
    if person is None:
        raise Http404
    return person


def contact_names(*, client: Client, viewer, on_map: Sequence[Person]) -> list[str]:
    """Names from the contact log not yet on the map, most recently met first, for picking
    instead of retyping (a private contact's name only for the client)."""
    taken = {person.name.casefold() for person in on_map}
    recent = (
        Contact.objects.for_viewer(client=client, viewer=viewer)
        .exclude(with_whom="")
        .values("with_whom")
        .annotate(last=Max("occurred"))
        .order_by("-last")
        .values_list("with_whom", flat=True)[: CONTACT_NAMES_OFFERED + len(taken)]
    )
    names: list[str] = []
    for name in recent:
        if name.casefold() not in taken and name not in names:
            names.append(name)
    return names[:CONTACT_NAMES_OFFERED]


@dataclass(frozen=True)
class MapPerson:
    """One person as a snapshot had them, with the name they have now."""

    name: str
    circle: int
    circle_label: str
    role_label: str
    touch_label: str


@dataclass(frozen=True)
class MapState:
    """The map on a day as the viewer may see it (private people dropped for the care team)."""

    day: datetime.date | None
    people: list[MapPerson]
    places: dict[int, Place]

    def counts(self) -> list[tuple[str, int]]:
        return [
            (str(label), sum(1 for person in self.people if person.circle == circle))
            for circle, label in Person.Circle.choices
        ]

    def layout(self):
        return convoy_layout([(person.name, person.circle) for person in self.people])


def _visible_people(*, client: Client, viewer, ids) -> dict[int, Person]:
    return {
        person.pk: person
        for person in Person.objects.for_viewer(client=client, viewer=viewer)
        .filter(pk__in=set(ids))
        .only("pk", "name", "visibility", "client_id")
    }


def _state(snapshot: MapSnapshot | None, visible: dict[int, Person]) -> MapState:
    if snapshot is None:
        return MapState(None, [], {})
    entries = [entry for entry in snapshot.people if entry["person"] in visible]
    return MapState(
        snapshot.day,
        [
            MapPerson(
                visible[entry["person"]].name,
                entry["circle"],
                str(Person.Circle(entry["circle"]).label),
                str(Person.Role(entry["role"]).label),
                str(Person.Touch(entry["touch"]).label),
            )
            for entry in entries
        ],
        {entry["person"]: Place(entry["circle"], entry["touch"]) for entry in entries},
    )


def _snapshot_ids(snapshots) -> set[int]:
    return {entry["person"] for snapshot in snapshots if snapshot for entry in snapshot.people}


def map_on(*, client: Client, viewer, day: datetime.date | None) -> MapState:
    """The map as it stood at the end of `day` (now, when None): two queries."""
    snapshots = MapSnapshot.objects.filter(client=client).order_by("-day")
    if day is not None:
        snapshots = snapshots.filter(day__lte=day)
    snapshot = snapshots.first()
    visible = _visible_people(client=client, viewer=viewer, ids=_snapshot_ids([snapshot]))
    return _state(snapshot, visible)


@dataclass(frozen=True)
class Comparison:
    before: MapState
    after: MapState
    changes: list[str]


def map_compare(*, client: Client, viewer, since: datetime.date, until: datetime.date):
    """The map on two days side by side, and what changed between them, in words."""
    before = map_on(client=client, viewer=viewer, day=since)
    after = map_on(client=client, viewer=viewer, day=until)
    return Comparison(before, after, change_sentences(map_changes(before.places, after.places)))


@dataclass(frozen=True)
class HistoryEntry:
    state: MapState
    changes: list[str]  # since the snapshot before it, in words
    first: bool  # the first map there is: nothing before it to compare with


def map_history(*, client: Client, viewer, page):
    """One page of snapshots, newest first, each with what changed since the one before it
    (the one before the page's oldest read too): four queries whatever the history's length."""
    snapshots = list(page.object_list)
    before_page = None
    if snapshots:
        before_page = (
            MapSnapshot.objects.filter(client=client, day__lt=snapshots[-1].day)
            .order_by("-day")
            .first()
        )
    visible = _visible_people(
        client=client, viewer=viewer, ids=_snapshot_ids([*snapshots, before_page])
    )
    states = [_state(snapshot, visible) for snapshot in [*snapshots, before_page]]
    own = is_own_record(client=client, viewer=viewer)
    return [
        HistoryEntry(
            state,
            change_sentences(map_changes(earlier.places, state.places)),
            first=earlier.day is None,
        )
        for state, earlier in zip(states, states[1:], strict=False)
        # A day when only people the client keeps private changed is not the care team's.
        if own or state.people != earlier.people
    ]


def snapshots(*, client: Client) -> QuerySet[MapSnapshot]:
    """For paging the history (map_history makes the page into what the viewer may see)."""
    return MapSnapshot.objects.filter(client=client).order_by("-day").only("pk", "day", "people")


def session_days(*, client: Client) -> list[datetime.date]:
    """The latest session dates (only the dates), to compare the map from one to another."""
    return list(
        care_selectors.session_notes(client=client)
        .order_by("-session_date")
        .values_list("session_date", flat=True)
        .distinct()[:SESSIONS_OFFERED]
    )


def change_sentences(changes: MapChanges) -> list[str]:
    """What changed, in plain words: "2 people moved closer", "1 new person in the wider
    circle", "1 lost touch"."""
    words = []
    if changes.closer:
        words.append(
            ngettext("%(n)d person moved closer", "%(n)d people moved closer", changes.closer)
            % {"n": changes.closer}
        )
    if changes.further:
        words.append(
            ngettext(
                "%(n)d person moved further out", "%(n)d people moved further out", changes.further
            )
            % {"n": changes.further}
        )
    circles = {
        1: lambda n: ngettext(
            "%(n)d new person in the closest circle", "%(n)d new people in the closest circle", n
        ),
        2: lambda n: ngettext(
            "%(n)d new person in the close circle", "%(n)d new people in the close circle", n
        ),
        3: lambda n: ngettext(
            "%(n)d new person in the wider circle", "%(n)d new people in the wider circle", n
        ),
    }
    for circle in sorted(changes.new):
        count = changes.new[circle]
        words.append(circles[circle](count) % {"n": count})
    if changes.lost_touch:
        words.append(
            ngettext("%(n)d lost touch", "%(n)d lost touch", changes.lost_touch)
            % {"n": changes.lost_touch}
        )
    if changes.back_in_touch:
        words.append(
            ngettext("%(n)d back in touch", "%(n)d back in touch", changes.back_in_touch)
            % {"n": changes.back_in_touch}
        )
    if changes.off_the_map:
        words.append(
            ngettext(
                "%(n)d no longer on the map", "%(n)d no longer on the map", changes.off_the_map
            )
            % {"n": changes.off_the_map}
        )
    return words


def map_counts(client_id: int, start, end, own: bool) -> list | None:
    """`map_happenings` counted for the client (every change is theirs to count); for anyone
    else whether a change touched only private people needs the snapshots: None, so the
    registry asks `map_happenings`."""
    if not own:
        return None
    return [happenings.count_rows(_map_changes([client_id], start, end), MAP_SNAPSHOT)]


def _map_changes(client_ids: Sequence[int], start, end) -> QuerySet[MapSnapshot]:
    return MapSnapshot.objects.filter(client_id__in=client_ids, updated__gte=start, updated__lt=end)


def map_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    """A day the map changed, at the end of that day's last change, with the snapshot before
    it (one query), and which of the people in them are private (a second). Only that it
    changed: who is on it stays on the map's own pages. A day when only people the client
    keeps private changed is the client's alone (for their journey)."""
    before = MapSnapshot.objects.filter(
        client_id=OuterRef("client_id"), day__lt=OuterRef("day")
    ).order_by("-day")
    rows = list(
        _map_changes(client_ids, start, end)
        .annotate(before=Subquery(before.values("people")[:1], output_field=JSONField()))
        .values_list("pk", "client_id", "updated", "people", "before")
    )
    ids = {entry["person"] for row in rows for people in row[3:] for entry in people or []}
    private = set(
        Person.objects.filter(pk__in=ids, visibility=Visibility.PRIVATE).values_list(
            "pk", flat=True
        )
        if ids
        else []
    )

    def shared(people) -> list[dict]:
        return sorted(
            (entry for entry in people or [] if entry["person"] not in private),
            key=lambda entry: entry["person"],
        )

    return [
        happenings.Happening(
            MAP_SNAPSHOT,
            client_id,
            updated,
            str(MAP_KINDS[MAP_SNAPSHOT]),
            f"journal.mapsnapshot:{pk}",
            private=shared(people) == shared(earlier),
        )
        for pk, client_id, updated, people, earlier in rows
    ]


# My journey (issue 11) --------------------------------------------------------------------

# What the journey shows, by kind as the registry knows them: wins (goals), the firsts among
# them, rungs climbed (skills) and the days the map changed. Read from the rooms' own records
# through their providers, a month at a time (one query per provider), never copied.
JOURNEY_KINDS = {
    "goals.own.win": ("win", gettext_lazy("A win")),
    "goals.step.win": ("win", gettext_lazy("A step done")),
    "goals.target.win": ("win", gettext_lazy("A target met")),
    "goals.first.win": ("first", gettext_lazy("First time")),
    "skills.rung_done": ("rung", gettext_lazy("A rung climbed")),
    MAP_SNAPSHOT: ("map", gettext_lazy("Your people")),
}


@dataclass(frozen=True)
class JourneyItem:
    occurred: datetime.datetime
    group: str  # win, first, rung, map: how it is drawn
    label: str
    summary: str


@dataclass(frozen=True)
class JourneyMonth:
    month: datetime.date  # its first day
    items: list[JourneyItem]
    newer: datetime.date | None
    older: datetime.date | None


def parse_month(value: str | None, *, today: datetime.date) -> datetime.date:
    """A "2026-11" from the address as that month's first day; this month when it is missing,
    not a month, or in the future."""
    try:
        month = datetime.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        month = None
    this_month = today.replace(day=1)
    if month is None or month > this_month or month.year < 1990:
        return this_month
    return month


def _month_after(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def journey(*, client: Client, viewer, month: datetime.date, today: datetime.date) -> JourneyMonth:
    """One month of the client's journey, newest first."""
    zone = client.user.time_zone
    found = happenings.happenings(
        client_ids=[client.pk],
        start=local_midnight(month, zone),
        end=local_midnight(_month_after(month), zone),
        kinds=JOURNEY_KINDS,
        viewer=viewer,
    )
    items = [
        JourneyItem(
            happening.occurred,
            JOURNEY_KINDS[happening.kind][0],
            str(JOURNEY_KINDS[happening.kind][1]),
            happening.summary,
        )
        # A win that celebrates a rung listed here already is shown once, as the rung.
        for happening in reversed(happenings.shown_once(found))
    ]
    joined = local_date(client.created, zone).replace(day=1)
    newer = _month_after(month)
    older = (month - datetime.timedelta(days=1)).replace(day=1)
    return JourneyMonth(
        month,
        items,
        newer if newer <= today.replace(day=1) else None,
        older if older >= joined else None,
    )
