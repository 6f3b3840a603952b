"""iCalendar imports: each event series becomes one resource with its meetings in the coming
8 weeks, time zones and all-day events right, moved (RECURRENCE-ID), excluded (EXDATE) and
cancelled (STATUS:CANCELLED) meetings honoured; a re-import replaces the calendar, removing
events no longer in it; a file that is not a whole calendar changes nothing."""

import datetime

import pytest
import time_machine

from outward.community.imports import ical
from outward.community.imports.services import ImportRefused, import_apply, import_preview
from outward.community.models import CalendarSource, Plan, Resource, ResourceOccurrence
from outward.community.taxonomy import interest_lookup

from .import_helpers import calendar, upload

UTC = datetime.UTC
NOW = datetime.datetime(2026, 10, 10, 12, tzinfo=UTC)  # UK clocks go back on 25 October
INTERESTS = interest_lookup([("games", "Games"), ("music", "Music")])

WEEKLY = """
    UID:board-games@library.example
    SUMMARY:Board games night
    DESCRIPTION:<p>Bring a friend &amp; a game.</p>
    LOCATION:Central Library\\, Room 2
    CATEGORIES:Games,Knitting
    GEO:53.48;-2.24
    URL:https://library.example/board-games
    DTSTART;TZID=Europe/London:20261001T190000
    DTEND;TZID=Europe/London:20261001T210000
    RRULE:FREQ=WEEKLY
    EXDATE;TZID=Europe/London:20261022T190000
"""
MOVED = """
    UID:board-games@library.example
    RECURRENCE-ID;TZID=Europe/London:20261029T190000
    SUMMARY:Board games night (in the hall)
    DTSTART;TZID=Europe/London:20261030T180000
    DTEND;TZID=Europe/London:20261030T200000
"""
CANCELLED_ONCE = """
    UID:board-games@library.example
    RECURRENCE-ID;TZID=Europe/London:20261105T190000
    STATUS:CANCELLED
    SUMMARY:Board games night
    DTSTART;TZID=Europe/London:20261105T190000
"""


def parse(data, *, time_zone="Europe/London", now=NOW):
    return ical.parse_ical(data, time_zone=time_zone, interests=INTERESTS, now=now)


def starts(row):
    return [datetime.datetime.fromisoformat(start) for start, _end, _all_day in row["occurrences"]]


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def whys(parsed):
    return [f"{problem['where']}: {problem['why']}" for problem in parsed.problems]


def test_a_weekly_event_with_an_exdate_across_the_clock_change():
    parsed = parse(calendar(WEEKLY))
    (row,) = parsed.rows
    assert parsed.problems == []
    assert row["key"] == "board-games@library.example"
    # 19:00 in London: 18:00 UTC in summer time, 19:00 UTC after 25 October; 22 Oct excluded.
    assert starts(row) == [
        at(2026, 10, 15, 18),
        at(2026, 10, 29, 19),
        at(2026, 11, 5, 19),
        at(2026, 11, 12, 19),
        at(2026, 11, 19, 19),
        at(2026, 11, 26, 19),
        at(2026, 12, 3, 19),
    ]
    assert row["occurrences"][0] == [
        "2026-10-15T18:00:00+00:00",
        "2026-10-15T20:00:00+00:00",
        False,
    ]
    fields = row["fields"]
    assert (fields["weekday"], fields["start_time"], fields["end_time"], fields["time_zone"]) == (
        3,
        "19:00:00",
        "21:00:00",
        "Europe/London",
    )
    assert fields["name"] == "Board games night"
    assert fields["description"] == "Bring a friend & a game."
    assert fields["address"] == "Central Library, Room 2"
    assert (fields["latitude"], fields["longitude"]) == (53.48, -2.24)
    assert fields["contact_url"] == "https://library.example/board-games"
    assert row["add_interests"] == ["games"]  # "Knitting" names no interest here


def test_a_moved_and_a_cancelled_occurrence():
    (row,) = parse(calendar(WEEKLY, MOVED, CANCELLED_ONCE)).rows
    assert starts(row)[:4] == [
        at(2026, 10, 15, 18),
        at(2026, 10, 30, 18),  # moved from Thursday 19:00 to Friday 18:00 (GMT by then)
        at(2026, 11, 12, 19),  # 5 November cancelled
        at(2026, 11, 19, 19),
    ]
    assert row["fields"]["name"] == "Board games night"  # the series' own title


def test_a_cancelled_event_is_dropped_and_reported():
    parsed = parse(
        calendar(
            """
            UID:talk@example
            SUMMARY:Author talk
            STATUS:CANCELLED
            DTSTART:20261020T180000Z
            """
        )
    )
    assert parsed.rows == []
    assert whys(parsed) == ["event talk@example (Author talk): cancelled; not listed"]


def test_an_all_day_event_is_its_dates_not_a_local_midnight():
    parsed = parse(
        calendar(
            """
            UID:fair@example
            SUMMARY:Craft fair
            DTSTART;VALUE=DATE:20261024
            DTEND;VALUE=DATE:20261026
            """,
            """
            UID:picnic@example
            SUMMARY:Picnic
            DTSTART;VALUE=DATE:20261031
            """,
        )
    )
    fair, picnic = parsed.rows
    # Dates, kept as midnight UTC of each date whatever the calendar's zone: the fair is the
    # 24th and 25th wherever it is looked at, across the clock change too.
    assert fair["occurrences"] == [["2026-10-24T00:00:00+00:00", "2026-10-26T00:00:00+00:00", True]]
    assert picnic["occurrences"] == [
        ["2026-10-31T00:00:00+00:00", "2026-11-01T00:00:00+00:00", True]
    ]
    assert fair["fields"]["weekday"] is None


def test_floating_times_are_the_practice_s_and_tzid_times_their_own():
    floating = """
        UID:walk@example
        SUMMARY:Canal walk
        DTSTART:20261020T100000
        DTEND:20261020T120000
        RRULE:FREQ=WEEKLY;COUNT=2
    """
    zoned = """
        UID:choir@example
        SUMMARY:Choir
        DTSTART;TZID=America/New_York:20261020T100000
        RRULE:FREQ=WEEKLY;COUNT=2
    """
    walk, choir = parse(calendar(floating, zoned)).rows
    assert starts(walk) == [at(2026, 10, 20, 9), at(2026, 10, 27, 10)]  # 10:00 in London
    assert walk["fields"]["time_zone"] == "Europe/London"
    assert starts(choir) == [at(2026, 10, 20, 14), at(2026, 10, 27, 14)]  # 10:00 in New York
    assert choir["fields"]["time_zone"] == "America/New_York"
    walk_in_berlin, _choir = parse(calendar(floating, zoned), time_zone="Europe/Berlin").rows
    assert starts(walk_in_berlin) == [at(2026, 10, 20, 8), at(2026, 10, 27, 9)]


def test_x_wr_timezone_governs_floating_and_utc_times():
    """Google Calendar writes UTC times and says the calendar's zone in X-WR-TIMEZONE."""
    data = calendar(
        """
        UID:quiz@example
        SUMMARY:Pub quiz
        DTSTART:20261015T180000Z
        DTEND:20261015T200000Z
        RRULE:FREQ=WEEKLY;COUNT=3
        """,
        header="X-WR-TIMEZONE:Europe/London",
    )
    (row,) = parse(data, time_zone="America/New_York").rows
    # 19:00 London every week: the UTC hour moves with the clocks.
    assert starts(row) == [at(2026, 10, 15, 18), at(2026, 10, 22, 18), at(2026, 10, 29, 19)]
    assert (row["fields"]["weekday"], row["fields"]["start_time"]) == (3, "19:00:00")
    assert row["fields"]["time_zone"] == "Europe/London"


def test_events_that_cannot_be_taken_are_left_out_and_the_rest_kept():
    data = calendar(
        WEEKLY,
        """
        SUMMARY:No UID here
        DTSTART:20261020T100000Z
        """,
        """
        UID:no-start@example
        SUMMARY:No start
        """,
        """
        UID:bad-start@example
        SUMMARY:Bad start
        DTSTART:2026102
        """,
        """
        UID:untitled@example
        DTSTART:20261020T100000Z
        """,
        """
        UID:past@example
        SUMMARY:Last year's fair
        DTSTART:20251020T100000Z
        """,
        """
        UID:bad-rule@example
        SUMMARY:Bad rule
        DTSTART:20261020T100000Z
        RRULE:FREQ=SOMETIMES
        """,
    )
    parsed = parse(data)
    # The event without a UID is kept, under one made from its content.
    assert [row["key"] for row in parsed.rows] == [
        "board-games@library.example",
        ical.CalendarReader(data, time_zone="UTC", interests={}, now=NOW)._content_uid(
            *_span_of(data, "SUMMARY:No UID here")
        ),
    ]
    assert parsed.rows[1]["key"].startswith("content-")
    assert not parsed.blocking
    problems = whys(parsed)
    assert problems[0] == "event no-start@example (No start): it has no start (DTSTART); left out"
    assert problems[1] == "event bad-start@example (Bad start): DTSTART cannot be read; left out"
    assert problems[2].startswith("event bad-rule@example (Bad rule): ")
    assert problems[2].endswith("; left out")
    assert problems[3] == "event untitled@example: the event has no title (SUMMARY); left out"
    assert problems[4] == (
        "line 17: the event has no UID: it was given one made from its title, start and place, "
        "so a later import updates it"
    )
    assert problems[5] == (
        "calendar: 1 event has no meeting in the coming 8 weeks, so it is not listed."
    )


def _span_of(data: bytes, marker: str) -> tuple[int, int]:
    text = data.decode()
    at_marker = text.index(marker)
    return text.rindex("BEGIN:VEVENT", 0, at_marker), text.index("END:VEVENT", at_marker) + 10


def test_a_rule_that_repeats_every_minute_is_cut_short():
    parsed = parse(
        calendar(
            """
            UID:spam@example
            SUMMARY:Every minute
            DTSTART:20261020T100000Z
            RRULE:FREQ=MINUTELY
            """
        )
    )
    assert len(parsed.rows[0]["occurrences"]) == ical.MAX_OCCURRENCES
    assert "only the first 200 are listed" in whys(parsed)[0]


def test_a_folded_uid_and_an_online_location():
    data = calendar(
        """
        UID:a-very-long-identifier-that-a-calendar-server-folded-over-
         two-lines@example
        SUMMARY:Online book club
        LOCATION:https://meet.example/book-club
        DTSTART:20261020T180000Z
        """
    )
    (row,) = parse(data).rows
    assert row["key"] == (
        "a-very-long-identifier-that-a-calendar-server-folded-over-two-lines@example"
    )
    assert row["fields"]["online"] is True
    assert row["fields"]["address"] == ""
    assert row["fields"]["contact_url"] == "https://meet.example/book-club"


def test_a_custom_vtimezone():
    data = calendar(
        """
        UID:custom@example
        SUMMARY:Custom zone
        DTSTART;TZID=Outward Test Standard Time:20261020T100000
        """,
        header="\n".join(
            [
                "BEGIN:VTIMEZONE",
                "TZID:Outward Test Standard Time",
                "BEGIN:STANDARD",
                "DTSTART:19700101T000000",
                "TZOFFSETFROM:+0300",
                "TZOFFSETTO:+0300",
                "TZNAME:OTST",
                "END:STANDARD",
                "END:VTIMEZONE",
            ]
        ),
    )
    (row,) = parse(data).rows
    assert starts(row) == [at(2026, 10, 20, 7)]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"hello, world", "The file is not an iCalendar file (it has no BEGIN:VCALENDAR)."),
        (b"", "The file is not an iCalendar file (it has no BEGIN:VCALENDAR)."),
        (
            calendar(WEEKLY).replace(b"END:VCALENDAR\r\n", b""),
            "The file ends before END:VCALENDAR: it may have been cut short, so nothing was "
            "imported.",
        ),
        (
            calendar(WEEKLY)[:200],
            "The file ends before END:VEVENT: it may have been cut short, so nothing was imported.",
        ),
        (
            calendar(WEEKLY).replace(b"END:VEVENT", b"END:VTODO"),
            "END:VTODO does not close the BEGIN:VEVENT before it",
        ),
        ("BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_malformed_file_is_refused_whole(data, why):
    reader = ical.CalendarReader(data, time_zone="Europe/London", interests={}, now=NOW)
    assert reader.blocking
    assert why in reader.problems[0]["why"]
    assert list(reader.rows()) == []


def test_the_reader_goes_one_series_at_a_time():
    """A feed is read lazily: rows come out while the file is still being worked through."""
    data = calendar(*[WEEKLY.replace("board-games", f"event-{n}") for n in range(3)])
    reader = ical.CalendarReader(data, time_zone="Europe/London", interests={}, now=NOW)
    assert reader.event_count == 3
    rows = reader.rows()
    assert next(rows)["key"] == "event-0@library.example"
    assert next(rows)["key"] == "event-1@library.example"


# -- preview and apply -------------------------------------------------------------------------


@pytest.fixture
def london(world):
    world.practice.time_zone = "Europe/London"
    world.practice.save()
    with time_machine.travel(NOW, tick=False):
        yield world


def apply(world, data, name="library.ics"):
    pending = import_preview(
        practice=world.practice,
        kind="ical",
        uploaded_file=upload(data, name),
        actor=world.therapist.user,
    )
    return import_apply(pending=pending, actor=world.therapist.user)


CRAFT = """
    UID:craft@example
    SUMMARY:Craft afternoon
    DTSTART;TZID=Europe/London:20261017T140000
    DTEND;TZID=Europe/London:20261017T160000
"""


def test_apply_a_calendar_and_apply_it_again(london):
    summary = apply(london, calendar(WEEKLY, MOVED, CANCELLED_ONCE, CRAFT))
    assert (summary.created, summary.updated, summary.removed) == (2, 0, 0)
    assert summary.occurrences == 7
    games = Resource.objects.get(source_key="board-games@library.example")
    assert games.source == Resource.Source.ICAL
    # The calendar's default kind is "event", but a weekly series is a group; a one-off stays.
    assert games.kind == Resource.Kind.GROUP
    assert Resource.objects.get(source_key="craft@example").kind == Resource.Kind.EVENT
    assert games.feed.name == "library.ics" and games.feed.url == ""
    assert games.time_zone == "Europe/London"
    assert games.start_time == datetime.time(19)
    # "Knitting" is a synonym of Knitting and crochet (taxonomy.NARROWER).
    assert sorted(games.interests.values_list("key", flat=True)) == [
        "games",
        "knitting-and-crochet",
    ]
    assert list(games.occurrences.order_by("start").values_list("start", flat=True)[:2]) == [
        at(2026, 10, 15, 18),
        at(2026, 10, 30, 18),
    ]
    counts = (Resource.objects.count(), ResourceOccurrence.objects.count())
    summary = apply(london, calendar(WEEKLY, MOVED, CANCELLED_ONCE, CRAFT))
    assert (summary.created, summary.updated, summary.unchanged, summary.removed) == (0, 0, 2, 0)
    assert (Resource.objects.count(), ResourceOccurrence.objects.count()) == counts
    assert CalendarSource.objects.count() == 1


def test_an_event_gone_from_the_calendar_leaves_the_directory(london):
    apply(london, calendar(WEEKLY, CRAFT))
    Resource.objects.filter(source_key="board-games@library.example").update(social_intensity=4)
    later = WEEKLY.replace("T190000", "T200000").replace("T210000", "T220000")
    summary = apply(london, calendar(later))
    assert (summary.created, summary.updated, summary.removed) == (0, 1, 1)
    games = Resource.objects.get()
    assert games.source_key == "board-games@library.example"
    assert games.social_intensity == 4  # the therapist's grading survives a refresh
    assert games.start_time == datetime.time(20)
    assert min(games.occurrences.values_list("start", flat=True)) == at(2026, 10, 15, 19)


def test_another_calendar_s_events_are_left_alone(london):
    apply(london, calendar(CRAFT), name="centre.ics")
    apply(london, calendar(WEEKLY), name="library.ics")
    apply(london, calendar(MOVED.replace("RECURRENCE-ID", "X-NOTHING")), name="library.ics")
    assert set(Resource.objects.values_list("source_key", "feed__name")) == {
        ("craft@example", "centre.ics"),
        ("board-games@library.example", "library.ics"),
    }


def test_an_event_someone_plans_to_go_to_is_kept_without_its_dates(london):
    apply(london, calendar(WEEKLY, CRAFT))
    craft = Resource.objects.get(source_key="craft@example")
    Plan.objects.create(
        client=london.client, resource=craft, author=london.client.user, when=at(2026, 10, 17, 13)
    )
    summary = apply(london, calendar(WEEKLY))
    assert (summary.removed, summary.kept) == (0, ["Craft afternoon"])
    craft.refresh_from_db()
    assert craft.feed is None
    assert not craft.occurrences.exists()


def test_a_malformed_calendar_changes_nothing(london):
    apply(london, calendar(WEEKLY, CRAFT))
    before = list(ResourceOccurrence.objects.values())
    truncated = calendar(WEEKLY)[: -len("END:VCALENDAR\r\n")]
    pending = import_preview(
        practice=london.practice,
        kind="ical",
        uploaded_file=upload(truncated, "library.ics"),
        actor=london.therapist.user,
    )
    with pytest.raises(ImportRefused):
        import_apply(pending=pending, actor=london.therapist.user)
    assert Resource.objects.count() == 2
    assert list(ResourceOccurrence.objects.values()) == before


def test_the_preview_counts_what_would_be_removed(london):
    from outward.community.imports import selectors as import_selectors

    apply(london, calendar(WEEKLY, CRAFT))
    pending = import_preview(
        practice=london.practice,
        kind="ical",
        uploaded_file=upload(calendar(WEEKLY, CRAFT.replace("craft@", "pottery@")), "library.ics"),
        actor=london.therapist.user,
    )
    assert import_selectors.import_counts(pending=pending) == {"new": 1, "updated": 1, "removed": 1}
    other_file = import_preview(
        practice=london.practice,
        kind="ical",
        uploaded_file=upload(calendar(WEEKLY), "centre.ics"),
        actor=london.therapist.user,
    )
    # Another file is another calendar: it removes nothing of library.ics.
    assert import_selectors.import_counts(pending=other_file) == {
        "new": 0,
        "updated": 1,
        "removed": 0,
    }
