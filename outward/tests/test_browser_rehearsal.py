"""Real-browser test of role-play (issue 10): the therapist opens a role-play from the
client's Skills tab on a 1280 px shared screen (two clicks), swaps roles, watches the timer,
saves the debrief; the client then rehearses a scenario alone on a 375 px phone and sees both
rehearsals, with their confidence chart, in their history. Every page: screenshot, axe-core,
no sideways overflow, no console (CSP) errors."""

import re

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.skills.models import Rehearsal
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_role_play_in_session_then_a_rehearsal_alone(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    desk_journey = new_journey(
        request, browser, axe, live_server, "rehearsal-desktop", VIEWPORTS["desktop"]
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "rehearsal-phone", VIEWPORTS["phone"]
    )

    with desk_journey.recording(), phone_journey.recording():
        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("skills:skills", args=[client.pk]))
        desk.get_by_role("link", name="Start a role-play").click()  # click one
        expect(desk.get_by_role("heading", name="Role-play scenarios")).to_be_visible()
        desk_journey.check(desk, "scenarios")
        desk.get_by_label("Setting").select_option("workplace")
        desk.get_by_role("button", name="Show").click()
        desk.get_by_role("link", name=re.compile("Start role-play.*colleague for coffee")).click()
        expect(desk.get_by_role("heading", name="Inviting a colleague for coffee")).to_be_visible()
        you = desk.get_by_role("heading", name=re.compile("^You"))
        expect(you).to_contain_text("played by Robin Rivers")
        expect(desk.locator("[data-timer-elapsed]")).to_be_visible()
        assert "Caseload" not in desk.content()  # no therapist navigation on the shared screen
        desk_journey.check(desk, "shared-screen")

        desk.get_by_role("link", name="Swap roles").click()
        expect(you).to_contain_text("played by the therapist")
        expect(desk.get_by_text("Roles swapped.")).to_be_visible()
        desk_journey.check(desk, "swapped")

        desk.get_by_role("link", name="Finish and talk it over").click()
        expect(desk.get_by_role("heading", name="Talk it over")).to_be_visible()
        desk.get_by_label("How confident did you feel before? (0–10)").fill("12")
        desk.get_by_role("button", name="Save the role-play").click()
        expect(
            desk.locator("[data-error-summary]").get_by_text(
                "Ensure this value is less than or equal to 10."
            )
        ).to_be_visible()
        assert not Rehearsal.objects.exists()
        desk.get_by_label("How confident did you feel before? (0–10)").fill("3")
        desk.get_by_label("How confident do you feel now? (0–10)").fill("7")
        desk.get_by_label("What went well?").fill("Asked clearly, with a day in mind")
        desk.get_by_label("One thing to try next time").fill("Smile first")
        desk_journey.check(desk, "debrief")
        desk.get_by_role("button", name="Save the role-play").click()
        expect(desk.get_by_text("Role-play saved.")).to_be_visible()
        expect(desk.get_by_text("Roles swapped", exact=False).first).to_be_visible()
        desk_journey.check(desk, "history")
        saved = Rehearsal.objects.get()
        assert (saved.mode, saved.roles, saved.confidence_after) == ("in_session", "both", 7)

        # The practice writes a scenario of its own, and adapts it for Robin.
        desk.goto(reverse("skills:scenarios", args=[client.pk]))
        desk.get_by_role("link", name="Practice scenarios").click()
        desk.get_by_role("link", name="Write a scenario").click()
        desk_journey.check(desk, "practice-scenario-form")
        desk.get_by_label("Title").fill("At the allotment gate")
        desk.get_by_label("Setting").select_option("neighbours")
        desk.get_by_label("Social intensity").select_option("2")
        desk.get_by_label("The situation").fill("You both **arrive** at the gate. <b>hi</b>")
        desk.get_by_label("The client's aim").fill("Say hello and ask about their plot.")
        desk.get_by_label("The other person's role card").fill("You grow beans.")
        desk.get_by_label("If they respond warmly").fill("You chat about beans.")
        desk.get_by_label("If they respond neutrally").fill("You nod.")
        desk.get_by_label("If they are busy or distracted").fill("You are on the phone.")
        desk.get_by_label("Suggested opening lines").fill("Morning!\nHow are the beans?")
        desk.get_by_label("Debrief questions").fill("How did it go?")
        desk.get_by_role("button", name="Save").click()
        expect(desk.get_by_role("link", name="At the allotment gate")).to_be_visible()
        desk_journey.check(desk, "practice-scenarios")
        desk.goto(reverse("skills:scenarios", args=[client.pk]) + "?setting=neighbours")
        desk.get_by_role("link", name=re.compile("Adapt for this client.*allotment gate")).click()
        expect(desk.get_by_text("<b>hi</b>", exact=False)).to_be_attached()
        desk.get_by_label("The client's aim").fill("Say hello to Pat at the gate.")
        desk_journey.check(desk, "adapt")
        desk.get_by_role("button", name="Save").click()
        expect(desk.get_by_text("adapted for this client")).to_be_visible()

        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("skills:my_skills"))
        phone.get_by_role("link", name="Practise a conversation").first.click()
        phone_journey.check(phone, "scenarios")
        phone.get_by_role("link", name="Chatting with a neighbour at the door").click()
        expect(phone.get_by_role("heading", name="Say it out loud, three times")).to_be_visible()
        phone_journey.check(phone, "rehearse")
        phone.get_by_label("Three times", exact=True).check()
        phone.get_by_label("How confident did you feel before? (0–10)").fill("2")
        phone.get_by_label("How confident do you feel now? (0–10)").fill("5")
        phone.get_by_label("What would you say next time? (optional)").fill("Wave first")
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_text("Well done for practising.")).to_be_visible()
        expect(phone.get_by_role("heading", name="Inviting a colleague for coffee")).to_be_visible()
        expect(phone.locator(".chart-bar")).to_have_count(4)
        phone_journey.check(phone, "history")
