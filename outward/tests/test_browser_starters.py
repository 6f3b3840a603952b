"""Real-browser test of conversation starters (issue 10): the therapist adds one to the
practice's bank on a desktop; on a phone the client rehearses a starter alone (say it three
times, confidence before and after), keeps it as a favourite, picks it as the opening line of
a first-visit plan, goes, and says it worked; the therapist sees the rehearsal and "opening
line used — it worked". Every page: screenshot, axe-core, no sideways overflow, no console
(CSP) errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.community.models import Plan, Resource
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELLO = "Hi, I'm new. Is it all right if I sit here?"  # club, level 1
PRACTICE_LINE = "Which table is the beginners' one?"


def test_a_starter_from_rehearsal_to_the_real_thing(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    make_staff(practice, "tara@riverside.test", "Tara Therapist")
    therapist = practice.members.get()
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    tomorrow = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    resource = Resource.objects.create(
        practice=practice,
        name="Board games night",
        kind=Resource.Kind.GROUP,
        address="Riverside Library, 12 Mill Lane",
        weekday=tomorrow.weekday(),
        start_time=datetime.time(19, 0),
        time_zone=PRACTICE_TZ,
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "starters-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "starters-desktop", VIEWPORTS["desktop"]
    )

    with phone_journey.recording(), desk_journey.recording():
        # The therapist adds a starter to the practice's bank.
        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("skills:starters", args=[client.pk]))
        desk.get_by_role("link", name="The practice's starter bank").click()
        desk.get_by_label("Starter", exact=True).fill(PRACTICE_LINE)
        desk.get_by_label("Setting").select_option("club")
        desk.get_by_label("Level of openness").select_option("1")
        desk.get_by_role("button", name="Add to the bank").click()
        expect(desk.get_by_role("status")).to_contain_text("Starter added")
        expect(desk.get_by_role("cell", name=f"“{PRACTICE_LINE}”", exact=True)).to_be_visible()
        desk_journey.check(desk, "practice-bank")

        # The client finds the club starters, level 1 first.
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("skills:my_skills"))
        phone.get_by_role("link", name="Your starters").click()
        expect(phone.get_by_role("heading", name="Conversation starters")).to_be_visible()
        phone_journey.check(phone, "starters")
        phone.get_by_role("link", name="A club or group").click()
        expect(phone.get_by_text("Start with level 1")).to_be_visible()
        expect(phone.locator(".starter-text", has_text=PRACTICE_LINE)).to_be_visible()
        phone_journey.check(phone, "club")

        # Rehearse it alone: before, three taps, after, next time.
        phone.get_by_role("link", name=f"Say it aloud “{HELLO}”").click()
        expect(phone.get_by_role("heading", name="Say it aloud")).to_be_visible()
        before = phone.get_by_role("group", name="How sure do you feel about saying it? (0–10)")
        before.get_by_label("3", exact=True).check()
        phone_journey.check(phone, "rehearse")
        phone.get_by_role("button", name="Save").click()  # no taps yet: a clear message
        expect(
            phone.locator("[data-error-summary]").get_by_text("Say it aloud at least once")
        ).to_be_visible()
        for tap in ("1st time", "2nd time", "3rd time"):
            phone.get_by_label(tap).check()
        phone.get_by_role("group", name="And now? (0–10)").get_by_label("7", exact=True).check()
        phone.get_by_label("Next time I would say…").fill("Then ask which game they like")
        phone_journey.check(phone, "rehearse-filled")
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_role("status")).to_contain_text("Well done")
        expect(phone.get_by_text("Ready for a step up? Try level 2")).to_be_visible()

        # Keep it as a favourite.
        phone.get_by_role("button", name=f"Add to favourites “{HELLO}”").click()
        expect(phone.get_by_role("status")).to_contain_text("Kept in your favourites")
        phone_journey.check(phone, "club-after")

        # And writes one of their own for this setting.
        phone.get_by_role("link", name="Write your own").click()
        phone.get_by_label("What you could say").fill("Which game would you teach a beginner?")
        expect(phone.get_by_label("A club or group")).to_be_checked()
        phone.get_by_label("2 · Opinions and likes").check()
        phone_journey.check(phone, "own-starter")
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_role("status")).to_contain_text("Saved in your favourites")
        expect(phone.locator(".starter", has_text="Which game would you teach")).to_contain_text(
            "your own words"
        )

        # Pick it as the opening line of a first-visit plan.
        phone.goto(reverse("community:my_plan_create", args=[resource.pk]))
        phone.get_by_role("group", name="When will you go?").get_by_role("radio").first.check()
        lines = phone.get_by_role("group", name="One thing you could say")
        lines.get_by_label(f"“{HELLO}” · a favourite").check()
        phone.get_by_label("How anxious do you expect to be? (0–100)").fill("60")
        phone_journey.check(phone, "plan-create")
        phone.get_by_role("button", name="Save my plan").click()
        expect(phone.get_by_role("status")).to_contain_text("Your plan is saved.")
        plan = Plan.objects.get()
        assert plan.opening_line == HELLO and plan.opening_line_key == "club-new-here"

        # The evening has come and gone: they went, used it, and it worked.
        Plan.objects.filter(pk=plan.pk).update(when=timezone.now() - datetime.timedelta(hours=2))
        phone.reload()
        expect(phone.get_by_role("heading", name="How did it go?")).to_be_visible()
        phone.get_by_label("How anxious were you? (0–100)").fill("40")
        phone.get_by_role("group", name="Did you use your opening line?").get_by_label(
            "Yes"
        ).check()
        phone.get_by_label("Yes, it got a conversation going").check()
        phone_journey.check(phone, "report")
        phone.get_by_role("button", name="Save: I went").click()
        expect(phone.get_by_text("You used your opening line, and it worked.")).to_be_visible()
        phone_journey.check(phone, "reported")

        phone.goto(reverse("skills:my_starters"))
        favourite = phone.locator(".starter", has_text=HELLO)
        expect(favourite.get_by_text("Rehearsed once · used once, worked once")).to_be_visible()
        phone_journey.check(phone, "starters-after")

        # The therapist sees the rehearsal and how the line went.
        desk.goto(reverse("skills:skills", args=[client.pk]))
        desk.get_by_role("link", name="Conversation starters").click()
        rehearsal = desk.get_by_role("row", name=HELLO)
        expect(rehearsal.get_by_role("cell", name="3 → 7")).to_be_visible()
        expect(rehearsal.get_by_role("cell", name="Then ask which game they like")).to_be_visible()
        expect(desk.get_by_text("Rehearsed once · used once, worked once")).to_be_visible()
        desk_journey.check(desk, "client-starters")
        desk.get_by_role("link", name="A club or group").click()
        expect(
            desk.get_by_text("Rehearsed up to level 1; level 2 is suggested next.")
        ).to_be_visible()
        desk_journey.check(desk, "client-club")
        desk.goto(reverse("community:plan", args=[client.pk, plan.pk]))
        expect(desk.get_by_text("Opening line: used — it worked.")).to_be_visible()
        desk_journey.check(desk, "plan")
