"""Real-browser test of the community room end to end: a therapist imports a weekly calendar
event and a CSV list into the directory; the client, on a phone, fills in the interest
inventory, sees suggestions with their reasons, plans a first visit and says how it went; the
win shows on both sides.

It reuses the checks of the other browser tests: every page gets a screenshot, axe-core, the
sideways-overflow check and the console (CSP) check.
"""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.community.models import Area, Plan, Resource
from outward.community.plans.selectors import WENT
from outward.conftest import make_client, make_staff
from outward.goals import services as goal_services
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = "Europe/London"
GOAL = "Attend one social event per month"
BOARD_GAMES = "Board games night"
CARD_CLUB = "Card and puzzle club"


def _ics_time(moment: datetime.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _meeting(moment: datetime.datetime) -> re.Pattern:
    """A meeting as the plan page labels it ("Thursday 27 November, 7 p.m.")."""
    return re.compile(rf"\b{moment.day} {moment:%B}, 7 p\.m\.")


def _board_games_ics(next_meeting: datetime.datetime) -> str:
    """A weekly Thursday 19:00 (London) event that began a month ago, with the meeting after
    the next one cancelled."""
    first = next_meeting - datetime.timedelta(weeks=4)
    cancelled = next_meeting + datetime.timedelta(weeks=1)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Islington Libraries//Events//EN",
        "BEGIN:VEVENT",
        "UID:board-games@libraries.example",
        "DTSTAMP:20250101T000000Z",
        f"DTSTART;TZID={LONDON}:{_ics_time(first)}",
        f"DTEND;TZID={LONDON}:{_ics_time(first + datetime.timedelta(hours=2))}",
        "RRULE:FREQ=WEEKLY;BYDAY=TH",
        f"SUMMARY:{BOARD_GAMES}",
        "LOCATION:Islington Central Library\\, 2 Fieldway Crescent\\, London N5 1PF",
        "DESCRIPTION:Cooperative board games for beginners. Rules are explained at the t",
        " able\\; come alone or with a friend.",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:board-games@libraries.example",
        "DTSTAMP:20250101T000000Z",
        f"RECURRENCE-ID;TZID={LONDON}:{_ics_time(cancelled)}",
        f"DTSTART;TZID={LONDON}:{_ics_time(cancelled)}",
        f"DTEND;TZID={LONDON}:{_ics_time(cancelled + datetime.timedelta(hours=2))}",
        f"SUMMARY:{BOARD_GAMES}",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


CSV = "\n".join(
    [
        "id,name,kind,interests,address,latitude,longitude,weekday,start_time,end_time,cost,"
        "social_intensity,accessibility,description",
        'cards-1,Card and puzzle club,club,Games,"Angel Library, 116 Essex Road",51.5390,'
        "-0.0990,Thu,18:30,20:30,0,1,Step-free entrance,"
        '"Quiet card games and jigsaws; talking is optional."',
        'books-1,Riverside book club,group,Books and writing,"Mildmay Library, 21 Mildmay Park",'
        '51.5480,-0.0830,Tue,19:00,20:30,2.50,3,,"One book a month, discussed over tea."',
        'choir-1,Community choir,group,Music,"St Mary\'s Hall, Upper Street",51.5410,-0.1020,'
        'Wed,19:30,21:00,4,2,Hearing loop,"No auditions; all voices welcome."',
        "",
    ]
)


def test_import_match_plan_and_report_a_visit(request, browser, axe, live_server, tmp_path):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=LONDON)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    Area.objects.create(practice=practice, name="Islington N1", latitude=51.5362, longitude=-0.1033)
    goal_services.goal_create(
        client=client,
        author=therapist.user,
        ip=None,
        title=GOAL,
        cadence_count=1,
        cadence_period="month",
        counts_kind=WENT,
    )

    london = zoneinfo.ZoneInfo(LONDON)
    now = timezone.localtime(timezone.now(), london)
    next_meeting = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=(3 - now.weekday()) % 7),
        datetime.time(19, 0),
        tzinfo=london,
    )
    if next_meeting <= now:
        next_meeting += datetime.timedelta(weeks=1)
    ics_file = tmp_path / "islington-libraries.ics"
    ics_file.write_text(_board_games_ics(next_meeting), encoding="utf-8")
    csv_file = tmp_path / "our-groups.csv"
    csv_file.write_text(CSV, encoding="utf-8")

    desk_journey = new_journey(
        request, browser, axe, live_server, "community-desktop", VIEWPORTS["desktop"]
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "community-phone", VIEWPORTS["phone"]
    )
    with desk_journey.recording(), phone_journey.recording():
        # 1. The therapist imports a library's calendar and the practice's own list. --------
        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.get_by_role("navigation", name="Main").get_by_role("link", name="Directory").click()
        expect(desk.get_by_role("heading", name="Community directory")).to_be_visible()
        expect(desk.get_by_text("The directory is empty.")).to_be_visible()
        desk_journey.check(desk, "directory-empty")

        desk.get_by_role("link", name="Import a list").click()
        expect(desk.get_by_role("heading", name="Import into the directory")).to_be_visible()
        desk_journey.check(desk, "import-upload")

        desk.get_by_label("iCalendar file (.ics)").check()
        desk.get_by_label("File", exact=True).set_input_files(ics_file)
        desk.get_by_role("button", name="Preview the import").click()
        expect(
            desk.get_by_role("heading", name="Preview of islington-libraries.ics")
        ).to_be_visible()
        rows = desk.get_by_role("region", name=re.compile("in the file"))
        expect(rows.get_by_role("rowheader", name=re.compile(BOARD_GAMES))).to_be_visible()
        # Eight Thursdays in the window, one of them cancelled.
        expect(rows).to_contain_text(re.compile(r"[67] meetings in the next 8 weeks"))
        expect(rows).to_contain_text("Islington Central Library")
        desk_journey.check(desk, "import-ics-preview")

        desk.get_by_role("button", name="Apply this import").click()
        expect(desk.get_by_role("status")).to_contain_text("Imported.")
        expect(desk.get_by_role("link", name=BOARD_GAMES)).to_be_visible()
        desk_journey.check(desk, "directory-after-ics")

        desk.get_by_role("link", name="Import a list").click()
        desk.get_by_label("CSV or spreadsheet export (.csv), any columns").check()
        desk.get_by_label("File", exact=True).set_input_files(csv_file)
        desk.get_by_role("button", name="Preview the import").click()
        expect(desk.get_by_role("heading", name="Preview of our-groups.csv")).to_be_visible()
        expect(desk.get_by_text("3 new entries")).to_be_visible()
        expect(desk.get_by_role("rowheader", name=re.compile(CARD_CLUB))).to_be_visible()
        desk_journey.check(desk, "import-csv-preview")

        desk.get_by_role("button", name="Apply this import").click()
        expect(desk.get_by_role("status")).to_contain_text("Imported.")
        for name in (BOARD_GAMES, CARD_CLUB, "Riverside book club", "Community choir"):
            expect(desk.get_by_role("link", name=name)).to_be_visible()
        desk_journey.check(desk, "directory-after-csv")

        # The calendar said nothing about interests or the map: add them by hand.
        desk.get_by_role("link", name=BOARD_GAMES).click()
        expect(desk.get_by_role("heading", name=BOARD_GAMES)).to_be_visible()
        desk_journey.check(desk, "resource")
        desk.get_by_role("link", name="Edit").click()
        desk_journey.check(desk, "resource-edit")
        desk.get_by_label("Interests").fill("Games")
        desk.get_by_text("Exact coordinates (optional)").click()
        desk.get_by_label("Latitude").fill("51.5466")
        desk.get_by_label("Longitude").fill("-0.1060")
        desk.get_by_label("Social intensity").select_option("1")
        desk.get_by_role("button", name="Save").click()
        expect(desk.get_by_role("status")).to_contain_text("Saved to the directory.")
        board_games = Resource.objects.get(name=BOARD_GAMES)
        assert board_games.latitude == pytest.approx(51.5466)
        assert [interest.label for interest in board_games.interests.all()] == ["Games"]

        # 2. The client says what they enjoy, and when they are free. ------------------------
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.get_by_role("navigation", name="Your places").get_by_role(
            "link", name="Groups"
        ).click()
        expect(phone.get_by_role("heading", name="Groups for you")).to_be_visible()
        expect(phone.get_by_role("heading", name="Fill in your interests first")).to_be_visible()
        phone_journey.check(phone, "groups-empty")

        phone.get_by_role("link", name="Fill in your interests").click()
        expect(phone.get_by_role("heading", name="What appeals to you?")).to_be_visible()
        phone_journey.check(phone, "interests")
        phone.get_by_label("Games", exact=True).check()
        phone.get_by_role("button", name="Save and go on").click()
        expect(phone.get_by_role("heading", name="Anything in particular?")).to_be_visible()
        phone.get_by_role("button", name="Save and go on").click()
        phone.get_by_label("Thursday evening").check()
        phone.get_by_role("button", name="Save and go on").click()
        phone.get_by_role("button", name="Save and go on").click()  # in person or online
        phone.get_by_label("Where you live (area)").select_option(label="Islington N1")
        phone.get_by_label("How far you can travel (km)").fill("5")
        phone.get_by_role("button", name="Save and go on").click()
        phone.get_by_label("What you can spend each time, in £ (0 = free only)").fill("5")
        phone.get_by_role("button", name="Save and see suggestions").click()

        # 3. Suggestions, each with its reason; the client plans a first visit. -------------
        expect(phone.get_by_role("heading", name="Groups for you")).to_be_visible()
        basis = phone.get_by_role("region", name="What these are based on")
        expect(basis).to_contain_text("Within 5 km of Islington N1 · in person or online")
        card = phone.get_by_role("article", name=BOARD_GAMES)
        expect(card.locator(".reason")).to_contain_text("Matches your interest in")
        expect(phone.get_by_role("article", name=CARD_CLUB).locator(".reason")).to_contain_text(
            "Matches your interest in"
        )
        phone_journey.check(phone, "suggestions")

        card.get_by_role("link", name=re.compile("Plan to go")).click()
        expect(phone.get_by_role("heading", name=f"Plan to go to {BOARD_GAMES}")).to_be_visible()
        times = phone.get_by_role("group", name="When will you go?")
        expect(times.get_by_label(_meeting(next_meeting))).to_be_visible()
        phone_journey.check(phone, "plan-create")

        times.get_by_role("radio").first.check()
        phone.get_by_label("How will you get there and arrive?").fill("Bus 19 at 18:30")
        phone.get_by_label("Your own words").fill("Hi, it's my first time — which game?")
        phone.get_by_label("How anxious do you expect to be? (0–100)").fill("70")
        phone.get_by_role("button", name="Save my plan").click()
        expect(phone.get_by_role("status")).to_contain_text("Your plan is saved.")
        expect(phone.get_by_label("Your own words")).to_have_value(
            "Hi, it's my first time — which game?"
        )
        phone_journey.check(phone, "bridge-before")

        # 4. The evening has come and gone (no time travel in a live browser). ---------------
        plan = Plan.objects.get(client=client, resource=board_games)
        Plan.objects.filter(pk=plan.pk).update(when=timezone.now() - datetime.timedelta(hours=1))
        phone.reload()
        went = phone.get_by_role("form", name="I went")
        expect(went).to_be_visible()
        phone_journey.check(phone, "bridge-after")

        went.get_by_label("How anxious were you? (0–100)").fill("35")
        went.get_by_label("8", exact=True).check()
        went.get_by_role("group", name="Did you talk to someone?").get_by_label("Yes").check()
        went.get_by_label("How did it go? Anything you noticed?").fill(
            "Someone taught me a game; I stayed until the end."
        )
        went.get_by_role("button", name="Save: I went").click()
        expect(phone.get_by_role("status")).to_contain_text("That took courage")
        phone_journey.check(phone, "reported")

        phone.goto(reverse("goals:my_goals"))
        expect(phone.get_by_text(f"Target met: “{GOAL}” this month").first).to_be_visible()
        phone_journey.check(phone, "goals")

        # 5. The therapist sees the win and the plan. ---------------------------------------
        desk.goto(reverse("goals:goals", args=[client.pk]))
        expect(desk.get_by_text(f"Target met: “{GOAL}” this month").first).to_be_visible()
        desk_journey.check(desk, "client-goals")

        desk.goto(reverse("community:plans", args=[client.pk]))
        expect(desk.get_by_text("1 plan attended: 1 in person, 0 online.")).to_be_visible()
        desk_journey.check(desk, "client-plans")
        desk.get_by_role("link", name=BOARD_GAMES).click()
        expect(desk.get_by_text("Predicted anxiety 70/100; actual 35/100.")).to_be_visible()
        desk_journey.check(desk, "client-plan")
