"""Real-browser test of directory imports: a therapist uploads a spreadsheet with its own
column names and a bad row, maps a column the header did not give away, sees strict mode
refuse the file and applies it without (the bad row left out); then imports .ics files and
adds a calendar feed. Every page gets a screenshot, axe-core, the sideways-overflow check and
the console check."""

import datetime

import pytest

from outward.care import services as care_services
from outward.community.imports import feeds
from outward.community.models import CalendarSource, Resource
from outward.conftest import make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A spreadsheet as a practice has it: its own column names (one Outward cannot guess), no id
# column, opening times as text, a category Outward does not know, and one bad row.
CSV_WITH_A_BAD_ROW = (
    "Name of group,Meeting place,Lat,Long,Opening times,Categories\r\n"
    "Chess club,Riverside Library,40.71,abc,Thursdays 7-9pm,Games\r\n"
    "Walking group,The park,,,Saturdays 10am,Nature and outdoors; Frobbing\r\n"
)


def ics() -> bytes:
    start = datetime.date.today() + datetime.timedelta(days=3)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Outward tests//EN",
        "BEGIN:VEVENT",
        "UID:book-club@library.example",
        "SUMMARY:Sci-fi book club",
        "CATEGORIES:Books and writing",
        f"DTSTART;TZID=America/New_York:{start:%Y%m%d}T183000",
        f"DTEND;TZID=America/New_York:{start:%Y%m%d}T200000",
        "RRULE:FREQ=WEEKLY",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:fair@library.example",
        "SUMMARY:Craft fair",
        f"DTSTART;VALUE=DATE:{start + datetime.timedelta(days=2):%Y%m%d}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def messy_ics() -> bytes:
    """A calendar as published feeds often are: no UIDs, an empty GEO."""
    start = datetime.date.today() + datetime.timedelta(days=2)
    events = [
        [f"SUMMARY:Quiz night {n}", f"DTSTART:{start + datetime.timedelta(days=n):%Y%m%d}T190000Z"]
        for n in range(3)
    ]
    events[0] += ["GEO:", "LOCATION:The Crown"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Outward tests//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


PAST_ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Outward tests//EN\r\nBEGIN:VEVENT\r\n"
    b"UID:old@example\r\nSUMMARY:Last year's fair\r\nDTSTART:20200101T100000Z\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_therapist_imports_a_csv_and_an_ics_file(
    request, browser, axe, live_server, tmp_path, monkeypatch
):
    from playwright.sync_api import expect

    # The feed added at the end is read at once (tasks run immediately in tests): no network.
    monkeypatch.setattr(feeds, "fetch_calendar", lambda url: ics())

    practice = care_services.practice_create(
        name="Riverside Practice", time_zone="America/New_York"
    )
    make_staff(practice, "tara@riverside.test", "Tara Therapist")
    (tmp_path / "groups.csv").write_text(CSV_WITH_A_BAD_ROW)
    (tmp_path / "library.ics").write_bytes(ics())
    (tmp_path / "pub.ics").write_bytes(messy_ics())
    (tmp_path / "past.ics").write_bytes(PAST_ICS)

    journey = new_journey(request, browser, axe, live_server, "imports", VIEWPORTS["desktop"])
    with journey.recording():
        page = journey.open("therapist")
        page.goto("/directory/import/")
        sign_in(page, "tara@riverside.test")
        expect(page.get_by_role("heading", name="Import into the directory")).to_be_visible()
        journey.check(page, "upload")

        page.get_by_label("CSV or spreadsheet export (.csv), any columns").check()
        page.get_by_label("File", exact=True).set_input_files(tmp_path / "groups.csv")
        page.get_by_role("button", name="Preview the import").click()
        expect(page.get_by_text("1 row has a problem and will be left out")).to_be_visible()
        expect(
            page.get_by_text("Long “abc”: Enter a number. The row was left out.")
        ).to_be_visible()
        expect(page.get_by_text("kept as tags on the entries: Frobbing")).to_be_visible()
        # The columns as suggested from the header; "Meeting place" was not guessed.
        expect(page.get_by_label("Name of group")).to_have_value("name")
        expect(page.get_by_label("Opening times")).to_have_value("opening_hours")
        expect(page.get_by_label("Meeting place")).to_have_value("")
        expect(page.get_by_text("e.g. “Riverside Library”")).to_be_visible()
        journey.check(page, "preview-with-a-bad-row")

        page.get_by_label("Meeting place").select_option("address")
        page.get_by_role("button", name="Read the file with these columns").click()
        expect(page.get_by_text("Columns mapped.")).to_be_visible()
        expect(page.get_by_role("cell", name="The park")).to_be_visible()
        journey.check(page, "preview-mapped")

        page.get_by_label("Strict mode: import nothing if any row has a problem").check()
        page.get_by_role("button", name="Apply this import").click()
        expect(page.get_by_text("Strict mode: 1 row has a problem")).to_be_visible()
        assert not Resource.objects.filter(practice=practice).exists()
        journey.check(page, "strict-mode-refused")

        page.get_by_role("button", name="Apply this import").click()
        expect(page.get_by_text("Imported. 1 added")).to_be_visible()
        walk = Resource.objects.get(practice=practice)
        assert (walk.name, walk.address, walk.weekday, walk.tags) == (
            "Walking group",
            "The park",
            5,
            ["Frobbing"],
        )

        page.goto("/directory/import/")
        page.get_by_label("iCalendar file (.ics)").check()
        page.get_by_label("File", exact=True).set_input_files(tmp_path / "library.ics")
        page.get_by_role("button", name="Preview the import").click()
        expect(page.get_by_role("rowheader", name="Sci-fi book club")).to_be_visible()
        journey.check(page, "preview-ics")
        page.get_by_role("button", name="Apply this import").click()
        expect(page.get_by_text("Imported. 2 added")).to_be_visible()
        assert Resource.objects.filter(practice=practice, source="ical").count() == 2

        # A messy feed: events without UIDs are kept, and the notes are given once.
        page.goto("/directory/import/")
        page.get_by_label("iCalendar file (.ics)").check()
        page.get_by_label("File", exact=True).set_input_files(tmp_path / "pub.ics")
        page.get_by_role("button", name="Preview the import").click()
        expect(page.get_by_text("3 events had no UID")).to_be_visible()
        expect(page.get_by_text("GEO cannot be read; imported without it")).to_be_visible()
        journey.check(page, "preview-ics-notes")
        page.get_by_role("button", name="Apply this import").click()
        expect(page.get_by_text("Imported. 3 added")).to_be_visible()

        # A file that would add nothing says so, before and after.
        page.goto("/directory/import/")
        page.get_by_label("iCalendar file (.ics)").check()
        page.get_by_label("File", exact=True).set_input_files(tmp_path / "past.ics")
        page.get_by_role("button", name="Preview the import").click()
        expect(page.get_by_text("Applying this file would add nothing")).to_be_visible()
        page.get_by_role("button", name="Apply this import").click()
        expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
        journey.check(page, "nothing-imported")

        page.goto("/directory/feeds/")
        page.get_by_label("Name").fill("Community centre")
        page.get_by_label("Feed address").fill("not an address")
        page.get_by_role("button", name="Add the feed").click()
        expect(
            page.locator("[data-error-summary]").get_by_text("Enter a valid URL.")
        ).to_be_visible()
        journey.check(page, "feeds-invalid")
        page.get_by_label("Feed address").fill("webcal://centre.example/events.ics")
        page.get_by_role("button", name="Add the feed").click()
        expect(page.get_by_text("Feed added.")).to_be_visible()
        page.reload()  # the first read happened after the page was made
        expect(page.get_by_role("button", name="Refresh now: Community centre")).to_be_visible()
        journey.check(page, "feeds")
        feed = CalendarSource.objects.get(url="https://centre.example/events.ics")
        assert feed.last_refreshed is not None and feed.last_problem == ""
