"""The import pages: upload → preview (counts, rows, every problem with its line) → apply;
the feeds page. A practice's imports and feeds are its therapists' only."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from outward.care.models import SecurityEvent
from outward.community.imports import feeds
from outward.community.imports import services as import_services
from outward.community.models import CalendarSource, PendingImport, Resource

from .import_helpers import calendar, csv_file, upload, zip_folder

GOOD = csv_file(
    "1,Chess club,,club,Games,no,,,,Thu,19:00,21:00,,,,,,1",
    "2,Walking group,,group,,no,,,,Sat,10:00,,,,,,,",
)
BAD = csv_file(
    "1,Chess club,,club,Games,no,,abc,1,Thu,19:00,21:00,,,,,,1",
    "2,,,party,,no,,,,,,,,,,,,",
)


def post_upload(http, data, *, kind="csv", name="groups.csv"):
    return http.post(reverse("community:import_upload"), {"kind": kind, "file": upload(data, name)})


def test_the_upload_page_documents_the_csv_fields(world):
    page = world.as_("therapist").get(reverse("community:import_upload"))
    assert page.status_code == 200
    for field in ("Postcode or zip", "Opening times as text", "Categories or interests"):
        assert field in page.text
    assert 'type="file"' in page.text
    assert '<label for="id_file">' in page.text


def test_upload_preview_apply(world):
    http = world.as_("therapist")
    response = post_upload(http, GOOD)
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("community:import_preview", args=[pending.pk])
    assert pending.practice == world.practice and pending.created_by == world.therapist.user
    page = http.get(response["Location"])
    assert page.status_code == 200
    assert "2 new entries" in page.text
    assert "Chess club" in page.text and "Walking group" in page.text
    assert "Apply this import" in page.text
    assert not Resource.objects.exists()
    applied = http.post(reverse("community:import_apply", args=[pending.pk]))
    assert applied.status_code == 302
    assert applied["Location"] == reverse("community:directory")
    assert Resource.objects.filter(practice=world.practice).count() == 2
    logged = SecurityEvent.objects.get(action=SecurityEvent.Action.DIRECTORY_IMPORT)
    assert (logged.practice, logged.actor, logged.target) == (
        world.practice,
        world.therapist.user,
        "groups.csv",
    )
    assert logged.after == "2 added, 0 updated, 0 removed"
    # A colleague re-imports the same file: updates, no duplicates.
    colleague = world.as_("colleague")
    again = post_upload(colleague, GOOD)
    page = colleague.get(again["Location"])
    assert "2 already in the directory" in page.text and "0 new entries" in page.text


def test_bad_rows_are_listed_and_left_out_and_strict_mode_refuses_them(world):
    http = world.as_("therapist")
    post_upload(http, BAD)
    pending = PendingImport.objects.get()
    url = reverse("community:import_preview", args=[pending.pk])
    page = http.get(url)
    assert "2 rows have problems and will be left out" in page.text
    assert "line 2:</strong> latitude “abc”: Enter a number. The row was left out." in page.text
    assert "line 3:</strong> name: This field is required. The row was left out." in page.text
    assert "Strict mode: import nothing if any row has a problem" in page.text
    apply = reverse("community:import_apply", args=[pending.pk])
    response = http.post(apply, {"strict": "on"}, follow=True)
    assert "Strict mode: 2 rows have problems" in response.text
    assert not Resource.objects.exists()
    response = http.post(apply, follow=True)  # without strict mode, the rest goes in
    assert "Imported" in response.text or "Nothing was imported" in response.text
    assert not Resource.objects.exists()  # (here both rows were bad: nothing to add)
    post_upload(http, csv_file(GOOD.decode().splitlines()[1], BAD.decode().splitlines()[2]))
    pending = PendingImport.objects.latest("pk")
    http.post(reverse("community:import_apply", args=[pending.pk]))
    assert list(Resource.objects.values_list("name", flat=True)) == ["Chess club"]


def test_columns_are_mapped_on_the_preview_and_the_mapping_is_kept(world):
    http = world.as_("therapist")
    messy = (
        "\ufeffName of group;Where;Zip;When;Categories\r\n"
        "Chess club;Library, High St;LS1 4AP;Tuesdays 7–9pm;Games, Frobbing\r\n"
    ).encode()
    post_upload(http, messy)
    pending = PendingImport.objects.get()
    assert pending.mapping == ["name", "address", "postcode", "opening_hours", "categories"]
    page = http.get(reverse("community:import_preview", args=[pending.pk]))
    assert 'name="column_1"' in page.text and "Read the file with these columns" in page.text
    assert "e.g. “Library, High St”" in page.text  # a value of the column, to map it by
    assert "kept as tags on the entries: Frobbing" in page.text
    mapping_url = reverse("community:import_mapping", args=[pending.pk])
    refused = http.post(mapping_url, {"column_0": "name", "column_1": "name"}, follow=True)
    assert "already the column" in refused.text
    pending.refresh_from_db()
    assert pending.mapping[1] == "address"  # unchanged
    response = http.post(
        mapping_url,
        {"column_0": "name", "column_1": "description", "column_2": "postcode", "column_3": ""},
        follow=True,
    )
    assert "Columns mapped" in response.text
    pending.refresh_from_db()
    assert pending.state == PendingImport.State.READY
    (row,) = pending.rows
    assert row["fields"]["description"] == "Library, High St"
    assert row["fields"]["postcode"] == "LS1 4AP"
    assert "address" not in row["fields"]
    assert "weekday" not in row["fields"]  # the times column is no longer read
    http.post(reverse("community:import_apply", args=[pending.pk]))
    resource = Resource.objects.get()
    assert (resource.name, resource.postcode, resource.tags) == ("Chess club", "LS1 4AP", [])
    # The next file with the same header is read with the saved mapping.
    post_upload(http, messy)
    again = PendingImport.objects.latest("pk")
    assert again.mapping == ["name", "description", "postcode", "", ""]
    assert (
        "1 already in the directory"
        in http.get(reverse("community:import_preview", args=[again.pk])).text
    )


def test_a_file_that_is_no_such_thing_is_a_preview_with_a_reason_not_an_error(world):
    http = world.as_("therapist")
    for kind, data, reason in [
        ("hsds", b"id,name\r\n", "not a ZIP archive"),
        ("ical", b"just some text", "not an iCalendar file"),
        ("csv", b"\x00\x01\x02", "The file is not text"),
    ]:
        response = post_upload(http, data, kind=kind)
        assert response.status_code == 302
        page = http.get(response["Location"])
        assert page.status_code == 200
        assert reason in page.text
    assert not Resource.objects.exists()


def test_an_hsds_preview_lists_what_was_left_out(world):
    http = world.as_("therapist")
    response = post_upload(http, zip_folder("hsds-3.0-examples"), kind="hsds", name="x.zip")
    page = http.get(response["Location"])
    assert "Left out or changed on the way in" in page.text
    assert "latitude 100 is outside −90…90" in page.text
    assert "Apply this import" in page.text


def test_an_ical_preview_shows_meetings(world):
    http = world.as_("therapist")
    data = calendar(
        """
        UID:quiz@example
        SUMMARY:Pub quiz
        DTSTART;TZID=Europe/London:20261015T190000
        RRULE:FREQ=WEEKLY
        """
    )
    with time_machine.travel(datetime.datetime(2026, 10, 10, 12, tzinfo=datetime.UTC)):
        response = post_upload(http, data, kind="ical", name="pub.ics")
        page = http.get(response["Location"])
        assert "8 meetings in the next 8 weeks" in page.text
        assert re.search(r"Thursdays\s+7 p\.m\.", page.text)
        http.post(reverse("community:import_apply", args=[PendingImport.objects.get().pk]))
    assert PendingImport.objects.get().state == PendingImport.State.APPLIED
    assert Resource.objects.get().feed.name == "pub.ics"
    assert reverse("community:feed_refresh", args=[CalendarSource.objects.get().pk]) not in (
        http.get(reverse("community:feeds")).text
    )  # an uploaded file has no address to refresh from


def test_upload_form_errors(world):
    http = world.as_("therapist")
    page = http.post(reverse("community:import_upload"), {"kind": "csv"})
    assert page.status_code == 200
    assert "Choose a file to import." in page.text
    page = post_upload(http, b"x" * (import_services.MAX_BYTES + 1))
    assert page.status_code == 200
    assert "larger than 5 MB" in page.text
    page = post_upload(http, GOOD, kind="excel")
    assert page.status_code == 200
    assert not PendingImport.objects.exists()


def test_another_practice_cannot_see_or_apply_an_import(world):
    post_upload(world.as_("therapist"), GOOD)
    pending = PendingImport.objects.get()
    stranger = world.as_("stranger")
    assert stranger.get(reverse("community:import_preview", args=[pending.pk])).status_code == 404
    assert stranger.post(reverse("community:import_apply", args=[pending.pk])).status_code == 404
    assert not Resource.objects.exists()
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_the_preview_page_s_queries_do_not_grow_with_the_file(world, django_assert_max_num_queries):
    http = world.as_("therapist")
    rows = [f"{n},Group {n},,group,Games; Music,no,,,,Mon,10:00,,,,,,," for n in range(120)]
    post_upload(http, csv_file(*rows))
    pending = PendingImport.objects.get()
    with django_assert_max_num_queries(12):
        page = http.get(reverse("community:import_preview", args=[pending.pk]))
    assert "The first 50 are shown." in page.text
    assert page.text.count("Games, Music") == 50


# -- feeds -------------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    served = {}

    def fake_fetch(url):
        if url not in served:
            raise feeds.FeedUnavailable("The feed could not be reached (timed out).")
        return served[url]

    monkeypatch.setattr(feeds, "fetch_calendar", fake_fetch)
    return served


def test_add_a_feed(world, no_network, django_capture_on_commit_callbacks):
    http = world.as_("therapist")
    no_network["https://pub.example/events.ics"] = calendar(
        "UID:quiz@example\nSUMMARY:Pub quiz\nDTSTART:20991015T190000Z"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(
            reverse("community:feeds"),
            {
                "name": "The Crown",
                "url": "webcal://pub.example/events.ics",
                "default_kind": "event",
                "default_intensity": "3",
            },
        )
    assert response.status_code == 302
    source = CalendarSource.objects.get()
    assert (source.url, source.default_intensity, source.practice) == (
        "https://pub.example/events.ics",
        3,
        world.practice,
    )
    assert source.created_by == world.therapist.user
    source.refresh_from_db()
    assert source.last_refreshed is not None  # read once at once (through the task)
    page = http.get(reverse("community:feeds"))
    assert "The Crown" in page.text
    assert reverse("community:feed_refresh", args=[source.pk]) in page.text


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("not a web address", "Enter a valid URL."),
        ("ftp://pub.example/cal.ics", "Enter a valid URL."),
        ("", "This field is required."),
    ],
)
def test_a_feed_address_is_checked(world, url, error):
    page = world.as_("therapist").post(
        reverse("community:feeds"),
        {"name": "Pub", "url": url, "default_kind": "event", "default_intensity": "2"},
    )
    assert page.status_code == 200
    assert error in page.text
    assert not CalendarSource.objects.exists()


def test_the_same_feed_twice(world, no_network):
    http = world.as_("therapist")
    data = {
        "name": "Pub",
        "url": "https://pub.example/cal.ics",
        "default_kind": "event",
        "default_intensity": "2",
    }
    http.post(reverse("community:feeds"), data)
    page = http.post(reverse("community:feeds"), data)
    assert "already in your directory" in page.text
    assert CalendarSource.objects.count() == 1


def test_refresh_a_feed_now(world, no_network):
    source = CalendarSource.objects.create(
        practice=world.practice,
        name="The Crown",
        url="https://pub.example/events.ics",
        created_by=world.therapist.user,
    )
    url = reverse("community:feed_refresh", args=[source.pk])
    with time_machine.travel(datetime.datetime(2026, 10, 10, tzinfo=datetime.UTC)):
        http = world.as_("colleague")
        page = http.post(url, follow=True)
        assert "Nothing changed: The feed could not be reached (timed out)." in page.text
        no_network[source.url] = calendar(
            "UID:quiz@example\nSUMMARY:Pub quiz\nDTSTART:20261015T190000Z"
        )
        page = http.post(url, follow=True)
    assert (
        "“The Crown” refreshed. 1 added, 0 updated, 0 unchanged, 0 removed. "
        "1 dated meeting in the coming weeks." in page.text
    )
    assert Resource.objects.get().name == "Pub quiz"
    assert world.as_("stranger").post(url).status_code == 404
