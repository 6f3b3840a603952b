"""Forgiving calendars: events without a UID kept under a stable one, an unreadable optional
property dropped but the event kept, repeated notes given once, an import that adds nothing
said as a warning, all-day events as dates in every time zone, series as groups, and
coordinates outside the practice's region flagged."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from outward.community.imports import ical
from outward.community.imports.services import (
    import_apply,
    import_preview,
    practice_region,
)
from outward.community.matching import ranking
from outward.community.models import Area, CalendarSource, PendingImport, Resource

from .import_helpers import calendar, upload
from .test_matching import interest, inventory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 10, 10, 12, tzinfo=UTC)
MANCHESTER = (53.48, -2.24)
# The practice's region around one area in Manchester: 100 km each way.
REGION = ical.Region(south=52.57, north=54.39, west=-3.78, east=-0.70)


def parse(data, *, region=None):
    return ical.parse_ical(data, time_zone="Europe/London", interests={}, now=NOW, region=region)


def whys(parsed):
    return [f"{problem['where']}: {problem['why']}" for problem in parsed.problems]


def quiz(n, **extra):
    lines = [f"SUMMARY:Quiz night {n}", f"DTSTART:202610{12 + n:02d}T190000Z", "LOCATION:The Crown"]
    return "\n".join(lines + [f"{name}:{value}" for name, value in extra.items()])


@pytest.fixture
def london(world):
    world.practice.time_zone = "Europe/London"
    world.practice.save()
    with time_machine.travel(NOW, tick=False):
        yield world


def preview(world, data, name="pub.ics"):
    return import_preview(
        practice=world.practice,
        kind="ical",
        uploaded_file=upload(data, name),
        actor=world.therapist.user,
    )


def apply(world, data, name="pub.ics"):
    return import_apply(pending=preview(world, data, name), actor=world.therapist.user)


# --- events without a UID ------------------------------------------------------------------


def test_a_uid_made_from_content_is_stable_and_ignores_what_may_change():
    first = parse(calendar(quiz(1, DESCRIPTION="Teams of four")))
    again = parse(calendar(quiz(1, DESCRIPTION="Teams of six, prizes"), quiz(2)))
    assert first.rows[0]["key"] == again.rows[0]["key"]
    assert first.rows[0]["key"].startswith("content-")
    assert again.rows[1]["key"] != again.rows[0]["key"]  # another start, another event
    moved = parse(calendar(quiz(1).replace("The Crown", "The Anchor")))
    assert moved.rows[0]["key"] != first.rows[0]["key"]  # another place is another event


def test_re_importing_events_without_uids_updates_them_not_duplicates(london):
    summary = apply(london, calendar(quiz(1), quiz(2)))
    assert (summary.created, summary.updated) == (2, 0)
    summary = apply(london, calendar(quiz(1, DESCRIPTION="Now with prizes"), quiz(2)))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert Resource.objects.filter(source=Resource.Source.ICAL).count() == 2
    assert Resource.objects.get(name="Quiz night 1").description == "Now with prizes"


def test_the_same_event_twice_without_a_uid_is_listed_once():
    parsed = parse(calendar(quiz(1), quiz(1)))
    assert len(parsed.rows) == 1
    assert any("repeats an event without a UID" in why for why in whys(parsed))


def test_forty_events_without_a_uid_get_one_note():
    parsed = parse(calendar(*[quiz(n % 20, LOCATION=f"Room {n}") for n in range(40)]))
    assert len(parsed.rows) == 40
    (note,) = parsed.problems
    assert note["where"] == "calendar" and not note["blocking"]
    assert note["why"].startswith("40 events had no UID: each was given one")


# --- one unreadable optional property ------------------------------------------------------


def test_an_empty_geo_and_a_bad_url_keep_the_rest_of_the_event():
    parsed = parse(
        calendar(
            """
            UID:choir@example
            SUMMARY:Community choir
            DESCRIPTION:All voices welcome
            LOCATION:St Mary's Hall
            GEO:
            URL:not a web address
            DTSTART:20261014T180000Z
            """
        )
    )
    (row,) = parsed.rows
    assert row["fields"]["name"] == "Community choir"
    assert row["fields"]["description"] == "All voices welcome"
    assert row["fields"]["address"] == "St Mary's Hall"
    assert row["fields"]["latitude"] is None and row["fields"]["contact_url"] == ""
    assert whys(parsed) == [
        "event choir@example (Community choir): GEO cannot be read; imported without it",
        "event choir@example (Community choir): URL cannot be read; imported without it",
    ]


def test_an_unreadable_start_still_leaves_the_event_out():
    parsed = parse(calendar("UID:x@example\nSUMMARY:X\nDTSTART:2026102\nGEO:"))
    assert parsed.rows == []
    assert whys(parsed) == ["event x@example (X): DTSTART cannot be read; left out"]


def test_repeated_unreadable_properties_are_counted_once():
    events = [f"UID:e{n}@example\nSUMMARY:E{n}\nDTSTART:20261014T180000Z\nGEO:" for n in range(12)]
    parsed = parse(calendar(*events))
    assert len(parsed.rows) == 12
    (note,) = whys(parsed)
    assert note.startswith("calendar: 12 events' GEO cannot be read; imported without it (")
    assert note.endswith("…)")


# --- all-day events are dates ----------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def test_an_all_day_event_is_the_same_date_in_every_calendar_zone(zone):
    parsed = ical.parse_ical(
        calendar("UID:fair@example\nSUMMARY:Craft fair\nDTSTART;VALUE=DATE:20261024"),
        time_zone=zone,
        interests={},
        now=NOW,
    )
    assert parsed.rows[0]["occurrences"] == [
        ["2026-10-24T00:00:00+00:00", "2026-10-25T00:00:00+00:00", True]
    ]


@pytest.mark.parametrize("client_zone", ["America/Los_Angeles", "Pacific/Auckland", "UTC"])
def test_an_all_day_meeting_shows_its_own_day_on_every_client_s_clock(world, client_zone):
    world.client.user.time_zone = client_zone
    world.client.user.save()
    with time_machine.travel(datetime.datetime(2026, 11, 25, 17, tzinfo=UTC), tick=False):
        inventory(world)
        fair = Resource.objects.create(
            practice=world.practice,
            name="Games fair",
            kind=Resource.Kind.EVENT,
            latitude=40.70,
            longitude=-74.00,
            social_intensity=1,
        )
        fair.interests.set([interest("games")])
        fair.occurrences.create(
            start=datetime.datetime(2026, 12, 3, tzinfo=UTC),
            end=datetime.datetime(2026, 12, 4, tzinfo=UTC),
            all_day=True,
        )
        (found,) = [s for s in ranking.suggestions(client=world.client) if s.name == "Games fair"]
    # Thursday 3 December for everyone (a midnight would be Wednesday in Los Angeles), and a
    # Thursday is inside the client's free Thursday evening.
    assert "Thu 3 Dec, when you are free" in found.reason


def test_the_preview_shows_an_all_day_event_s_date(london):
    pending = preview(
        london, calendar("UID:fair@example\nSUMMARY:Craft fair\nDTSTART;VALUE=DATE:20261024")
    )
    page = london.as_("therapist").get(reverse("community:import_preview", args=[pending.pk]))
    assert "Sat 24 Oct 2026" in page.text


# --- kinds ---------------------------------------------------------------------------------


def test_series_are_groups_and_one_off_events_stay_events(london):
    apply(
        london,
        calendar(
            "UID:walk@example\nSUMMARY:Weekly walk\nDTSTART:20261012T100000Z\nRRULE:FREQ=WEEKLY",
            "UID:talk@example\nSUMMARY:Author talk\nDTSTART:20261020T180000Z",
        ),
    )
    kinds = dict(Resource.objects.values_list("name", "kind"))
    assert kinds == {"Weekly walk": Resource.Kind.GROUP, "Author talk": Resource.Kind.EVENT}


def test_a_calendar_whose_kind_is_not_event_keeps_it_for_series(london):
    CalendarSource.objects.create(
        practice=london.practice,
        name="classes.ics",
        url="",
        default_kind=Resource.Kind.CLASS,
        created_by=london.therapist.user,
    )
    apply(
        london,
        calendar("UID:yoga@example\nSUMMARY:Yoga\nDTSTART:20261012T100000Z\nRRULE:FREQ=WEEKLY"),
        name="classes.ics",
    )
    assert Resource.objects.get(name="Yoga").kind == Resource.Kind.CLASS


# --- the practice's region -----------------------------------------------------------------


def test_the_region_is_the_practice_s_areas_and_100_km_around(world):
    assert practice_region(world.practice) is None  # no areas: nothing is checked
    Area.objects.create(practice=world.practice, name="Central", latitude=53.48, longitude=-2.24)
    Area.objects.create(practice=world.practice, name="North", latitude=53.60, longitude=-2.10)
    region = practice_region(world.practice)
    assert region.contains(*MANCHESTER) and region.contains(54.4, -2.2)
    assert not region.contains(55.0, -2.2) and not region.contains(-2.24, 53.48)
    Area.objects.create(practice=world.other_practice, name="Far", latitude=10.0, longitude=10.0)
    assert not practice_region(world.practice).contains(10.0, 10.0)


def test_coordinates_outside_the_region_are_flagged():
    parsed = parse(
        calendar(
            "UID:in@example\nSUMMARY:In town\nDTSTART:20261014T180000Z\nGEO:53.48;-2.24",
            "UID:swapped@example\nSUMMARY:Swapped\nDTSTART:20261014T180000Z\nGEO:-2.24;53.48",
            "UID:away@example\nSUMMARY:Far away\nDTSTART:20261014T180000Z\nGEO:40.7;-74.0",
        ),
        region=REGION,
    )
    places = {
        row["fields"]["name"]: (row["fields"]["latitude"], row["fields"]["longitude"])
        for row in parsed.rows
    }
    assert places == {"In town": MANCHESTER, "Swapped": MANCHESTER, "Far away": (None, None)}
    assert whys(parsed) == [
        "event swapped@example (Swapped): GEO has latitude and longitude swapped (swapped back, "
        "it is in the practice's region); imported swapped back",
        "event away@example (Far away): GEO is outside the practice's region (its areas and "
        "100 km around); imported without coordinates",
    ]


def test_the_preview_flags_coordinates_outside_the_practice_s_region(london):
    Area.objects.create(practice=london.practice, name="Central", latitude=53.48, longitude=-2.24)
    pending = preview(
        london,
        calendar("UID:away@example\nSUMMARY:Far away\nDTSTART:20261014T180000Z\nGEO:40.7;-74.0"),
    )
    page = london.as_("therapist").get(reverse("community:import_preview", args=[pending.pk]))
    assert "outside the practice&#x27;s region" in page.text


# --- nothing to add ------------------------------------------------------------------------


def test_an_import_that_would_add_nothing_is_a_warning_not_imported(london):
    http = london.as_("therapist")
    data = calendar("UID:past@example\nSUMMARY:Last year's fair\nDTSTART:20251020T100000Z")
    pending = preview(london, data)
    page = http.get(reverse("community:import_preview", args=[pending.pk]))
    assert "Applying this file would add nothing" in page.text
    got = http.post(reverse("community:import_apply", args=[pending.pk]), follow=True)
    assert "Applying the file added, updated and removed nothing." in got.text
    assert "Imported." not in got.text and "Nothing was imported" in got.text
    assert PendingImport.objects.get(pk=pending.pk).added_nothing
    assert not Resource.objects.filter(source=Resource.Source.ICAL).exists()


def test_an_import_that_adds_something_is_imported(london):
    got = london.as_("therapist").post(
        reverse("community:import_apply", args=[preview(london, calendar(quiz(1))).pk]),
        follow=True,
    )
    assert "Imported." in got.text
    assert not PendingImport.objects.latest("pk").added_nothing


# --- malformed calendars -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:cut short",
        calendar("SUMMARY:\nDTSTART:nonsense\nGEO:;;;\nURL:::"),
        calendar("SUMMARY:No start, no UID"),
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:caf\xe9\r\nEND:VEVENT\r\nEND:VCALENDAR".encode(
            "latin-1"
        ),
    ],
)
def test_malformed_calendars_never_fail_the_page_and_change_nothing(london, data):
    before = Resource.objects.count()
    http = london.as_("therapist")
    got = http.post(
        reverse("community:import_upload"),
        {"kind": "ical", "file": upload(data, "bad.ics")},
        follow=True,
    )
    assert got.status_code == 200
    pending = PendingImport.objects.order_by("pk").last()  # none: the form refused the file
    if pending is not None:
        applied = http.post(reverse("community:import_apply", args=[pending.pk]), follow=True)
        assert applied.status_code == 200
    assert Resource.objects.count() == before


def test_coordinates_written_in_the_location_are_read_and_checked_like_a_geo():
    parsed = parse(
        calendar(
            "UID:1\nSUMMARY:Quiz\nDTSTART:20261012T190000Z\nLOCATION:The Crown (53.48\\, -2.24)",
            "UID:2\nSUMMARY:Walk\nDTSTART:20261013T100000Z\nLOCATION:Heaton Park 53°32′N 2°15′W",
            "UID:3\nSUMMARY:Swapped\nDTSTART:20261014T100000Z\nLOCATION:Hall -2.24\\, 53.48",
            "UID:4\nSUMMARY:Plain\nDTSTART:20261015T100000Z\nLOCATION:The library",
        ),
        region=REGION,
    )
    places = [(row["fields"]["latitude"], row["fields"]["longitude"]) for row in parsed.rows]
    assert places[0] == MANCHESTER and places[2] == MANCHESTER and places[3] == (None, None)
    assert round(places[1][0], 2) == 53.53 and round(places[1][1], 2) == -2.25
    assert (
        "calendar: 3 events' coordinates were read from their LOCATION text (event 1 (Quiz), "
        "event 2 (Walk), event 3 (Swapped))" in whys(parsed)
    )
    assert "event 3 (Swapped): GEO has latitude and longitude swapped" in " ".join(whys(parsed))
